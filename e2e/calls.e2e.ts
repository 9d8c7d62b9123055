/**
 * The operator's first minute, for real: a Kamailio lab on loopback, the browser host registered on it,
 * SIPp callers on the 18, and Chromium driven by the keyboard only (F9 answer, F12 hang up).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp } from '../electron/lab/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { cliPath } from './support/paths.js';
import { serve, type Served } from './support/serve.js';

describe('call queue in Chromium against a real Kamailio and SIPp', () => {
  let lab: string;
  let data: string;
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'vigie-e2e-lab-'));
    data = mkdtempSync(join(tmpdir(), 'vigie-e2e-data-'));
    await labUp({ dir: lab });
    // About the queue and the keys, not who answers (screen-whoanswers.e2e.ts): no roster, anyone answers.
    writeFileSync(join(data, 'vigie.json'), JSON.stringify({ calls: { answerRequiresSignIn: false } }));
    served = await serve(['--lab', lab, '--user', '1001', '--data', data]);
    // The page answers with its own audio (telephony media "renderer"): Chromium's fake microphone.
    chromium = await launchChromium({ media: true });
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    removeDataDir(data);
  });

  it('shows ringing calls, answers the most urgent with F9 and hangs up with F12', async () => {
    const page = await chromium.context.newPage();
    await page.goto(served.url);
    await expect
      .poll(() => page.getByTestId('status-telephony').textContent(), { timeout: 15_000 })
      .toContain('enregistrée');

    // Two callers on the 18; each waits up to 30 s, then talks 2 s once answered.
    const callers = labCall({
      dir: lab,
      to: '1001',
      count: 2,
      rate: 10,
      ringS: 30,
      talkS: 2,
      line: '18',
      from: '0687123456',
    });
    const ringing = page.getByTestId('queue').getByTestId('call');
    await expect.poll(() => ringing.count(), { timeout: 15_000 }).toBe(2);
    expect(await ringing.first().textContent()).toContain('18 — Sapeurs-pompiers');
    expect(await ringing.first().textContent()).toContain('0687123456');

    // First call: answered with F9, hung up by the operator with F12.
    await page.keyboard.press('F9');
    const mine = page.getByTestId('mine').getByTestId('call');
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
    expect(await mine.first().textContent()).toContain('en ligne');
    await page.keyboard.press('F12');
    await expect.poll(() => page.getByTestId('mine').count(), { timeout: 10_000 }).toBe(0);

    // Second call: answered with F9; the caller hangs up after 2 s of talk.
    await page.keyboard.press('F9');
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
    await expect.poll(() => page.getByTestId('mine').count(), { timeout: 15_000 }).toBe(0);
    expect(await page.getByTestId('queue').count()).toBe(0);

    const result = await callers;
    expect(result).toMatchObject({ successful: 2, failed: 0 });
    await page.close();

    // The call log, as the CLI prints it.
    const log = spawnSync(process.execPath, [cliPath, 'calls', '--data', data, '--json'], { encoding: 'utf8' });
    expect(log.status).toBe(0);
    const calls = log.stdout
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { cause: string; line: string; answered_at: string | null });
    expect(calls.map((c) => c.cause).sort()).toEqual(['caller_hangup', 'operator_hangup']);
    expect(calls.every((c) => c.answered_at !== null && c.line === '18 — Sapeurs-pompiers')).toBe(true);
  });
});
