/**
 * The operator's screen, issue 10 items 1 and 2, for real: a Kamailio lab on loopback, two positions
 * (two browser hosts registered as the same user, so each call rings on both), SIPp callers, Chromium
 * driven by the keyboard. Screenshots at 1366×768 and 1920×1080, both themes, in dist/test-artifacts/.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp } from '../electron/lab/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { screenshots, SIZES } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

describe('queue and calls in progress, two positions on a real Kamailio', () => {
  let lab: string;
  const data: string[] = [];
  const served: Served[] = [];
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let a: Page;
  let b: Page;
  const callers: Promise<unknown>[] = [];

  const registered = (page: Page) =>
    page.getByTestId('status-telephony').getByText('enregistrée').waitFor({ timeout: 20_000 });

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'vigie-e2e-screen-lab-'));
    await labUp({ dir: lab });
    for (let i = 0; i < 2; i++) {
      const dir = mkdtempSync(join(tmpdir(), `vigie-e2e-screen-${i}-`));
      data.push(dir);
      // About the queue, not who answers (screen-whoanswers.e2e.ts): no roster, anyone answers.
      writeFileSync(join(dir, 'vigie.json'), JSON.stringify({ calls: { answerRequiresSignIn: false } }));
      served.push(await serve(['--lab', lab, '--user', '1001', '--data', dir]));
    }
    // The page answers with its own audio (telephony media "renderer"): Chromium's fake microphone.
    chromium = await launchChromium({ media: true });
    a = await chromium.context.newPage();
    b = await chromium.context.newPage();
    // Short thresholds on position A (a site setting), so the colour changes are seen within the test.
    await a.addInitScript("localStorage.setItem('vigie.queue.thresholds', JSON.stringify({ warnS: 3, alarmS: 6 }))");
    await a.setViewportSize(SIZES[0]);
    await b.setViewportSize(SIZES[1]);
    await a.goto(served[0]?.url ?? '');
    await b.goto(served[1]?.url ?? '');
    await registered(a);
    await registered(b);
  });

  afterAll(async () => {
    await chromium?.close();
    for (const s of served) await s.stop();
    await Promise.allSettled(callers);
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    for (const dir of data) removeDataDir(dir);
  });

  const queueCalls = (page: Page) => page.getByTestId('queue').getByTestId('call');

  it('shows nine ringing calls at 1366×768, counted, all on screen, with the waiting time and its level', async () => {
    // Three callers on the 18, three on the 112, three masked ones on the standard; all wait up to 90 s.
    for (const [line, from] of [
      ['18', '0687000018'],
      ['112', '0687000112'],
      ['3000', 'anonymous'],
    ] as const) {
      callers.push(
        labCall({ dir: lab, to: '1001', count: 3, rate: 10, ringS: 90, talkS: 60, line, from }).then((r) => {
          // Each call waits 90 s, longer than these tests: a caller whose calls failed says how (e.g. a 500
          // from Kamailio is a position's 503 turned into 500, RFC 3261 §16.7 item 6).
          if (r.failed > 0) console.log(`appelant ${line} : ${r.failed} appel(s) en échec\n${r.output.slice(-1200)}`);
          return r;
        }),
      );
    }
    await expect.poll(() => queueCalls(a).count(), { timeout: 20_000 }).toBe(9);
    await expect.poll(() => queueCalls(b).count(), { timeout: 20_000 }).toBe(9);
    expect(await a.getByTestId('queue-count').textContent()).toBe('9 appels sonnent');

    // Every call within the 1366×768 viewport, its line label on one line.
    for (let i = 0; i < 9; i++) {
      const box = await queueCalls(a).nth(i).boundingBox();
      expect(box).not.toBeNull();
      expect((box?.y ?? 1e9) + (box?.height ?? 0)).toBeLessThanOrEqual(768);
      // One line of 16 px type is about 19 px tall; two would be 38.
      const label = await queueCalls(a).nth(i).locator('.call-line-label').boundingBox();
      expect(label?.height ?? 0).toBeGreaterThan(10);
      expect(label?.height ?? 99).toBeLessThan(28);
    }
    // Masked callers: « Numéro masqué » and nothing after it.
    const masked = a.locator('[data-testid="queue"] [data-testid="call"] .call-caller', { hasText: 'Numéro masqué' });
    expect(await masked.count()).toBe(3);
    expect(await masked.allTextContents()).toEqual(['Numéro masqué', 'Numéro masqué', 'Numéro masqué']);
    expect(await a.getByTestId('queue').textContent()).not.toContain('anonymous');

    // Past 6 s (A's alarm threshold) every call is « ATTENTE CRITIQUE »: a word and an icon, not only a colour.
    await expect
      .poll(() => a.locator('[data-testid="queue"] [data-wait-level="alarm"]').count(), { timeout: 15_000 })
      .toBe(9);
    expect(await queueCalls(a).first().getByTestId('wait-level').textContent()).toBe('‼ ATTENTE CRITIQUE');
    const colours = await a.evaluate<string[]>(
      '[...document.querySelectorAll(\'[data-testid="queue"] .qcall-time\')].map((e) => getComputedStyle(e).color)',
    );
    // Position B keeps the defaults (15 s / 20 s): not yet past them, no word there.
    expect(await b.locator('[data-testid="queue"] [data-wait-level="alarm"]').count()).toBe(0);
    const normalColour = await b.evaluate<string>(
      'getComputedStyle(document.querySelector(\'[data-testid="queue"] .qcall-time\')).color',
    );
    expect(colours.every((c) => c !== normalColour)).toBe(true);
    await screenshots(a, 'queue-nine-calls');
  });

  it('shows a call answered at the other position as such for a moment, then drops it', async () => {
    const first = await queueCalls(a).first().getAttribute('data-call-id');
    await b.bringToFront();
    await b.keyboard.press('F9');
    await a.bringToFront();
    const gone = a.getByTestId('call-gone');
    await expect.poll(() => gone.count(), { timeout: 10_000 }).toBe(1);
    expect(await gone.textContent()).toContain('PRIS PAR UN AUTRE POSTE');
    expect(await a.getByTestId('queue-count').textContent()).toBe('8 appels sonnent');
    await screenshots(a, 'queue-answered-elsewhere');
    await expect.poll(() => gone.count(), { timeout: 10_000 }).toBe(0);
    expect(await a.locator(`[data-testid="queue"] [data-call-id="${first ?? ''}"]`).count()).toBe(0);
    // B's call: hung up by its operator with F12, so that the next calls are A's.
    await b.bringToFront();
    await b.keyboard.press('F12');
    await expect.poll(() => b.getByTestId('mine').count(), { timeout: 10_000 }).toBe(0);
    await a.bringToFront();
  });

  it('never locks F9 or F12 while a command waits, gives up waiting at 5 s with the reason', async () => {
    const mine = a.getByTestId('mine').getByTestId('call');
    await a.keyboard.press('F9');
    await expect.poll(() => mine.count(), { timeout: 10_000 }).toBe(1);
    expect(await mine.first().getByTestId('call-state').textContent()).toBe('en ligne');

    // F10 holds: the caller (SIPp) may leave the re-INVITE unanswered, the screen must not wait on it.
    await a.keyboard.press('F10');
    const pendingOrHeld = () =>
      a.evaluate<string>(
        "document.querySelector('[data-testid=\"call-pending\"]') ? 'pending' : (document.querySelector('[data-testid=\"mine\"] [data-state=\"held\"]') ? 'held' : 'none')",
      );
    await expect.poll(pendingOrHeld, { timeout: 5_000 }).not.toBe('none');
    const started = Date.now();
    // F9 while the hold is pending: the screen sends it at once instead of refusing it (its answer is checked below).
    await a.keyboard.press('F9');
    const banner = a.getByTestId('error-banner');
    // The hold either succeeded (held look and hold timer) or was given up at 5 s with the reason.
    await expect
      .poll(
        async () =>
          (await a.locator('[data-testid="mine"] [data-state="held"]').count()) > 0 ||
          (await banner.allTextContents()).join(' ').includes('pas de réponse du poste après 5 s'),
        { timeout: 8_000 },
      )
      .toBe(true);
    expect(Date.now() - started).toBeLessThan(8_000);
    // The core itself may still refuse or hold back a second command while its hold runs (up to Timer B,
    // 32 s, when the caller never answers the re-INVITE; RFC 3261 §17.1.1.2): the screen shows its answer.
    await expect
      .poll(async () => `${await mine.count()} ${(await banner.allTextContents()).join(' ')}`, { timeout: 10_000 })
      .toMatch(/^2 |Décrocher le plus urgent|déjà en cours/);
    await screenshots(a, 'calls-command-pending');

    // F12 acts on the chosen call (F3 then ↑/↓ choose it), whatever the state of the others.
    const chosen = await mine.first().getAttribute('data-call-id');
    await a.keyboard.press('F3');
    await a.keyboard.press('ArrowUp');
    expect(await mine.first().getAttribute('aria-selected')).toBe('true');
    await a.keyboard.press('F12');
    // Sent at once: either the call is hung up, or the core's own refusal is on screen (the calls core still
    // serialises commands on a call whose hold is unanswered; the screen never swallows the key).
    await expect
      .poll(
        async () =>
          (await a.locator(`[data-testid="mine"] [data-call-id="${chosen ?? ''}"]`).count()) === 0 ||
          (await banner.allTextContents()).join(' ').includes('déjà en cours'),
        { timeout: 10_000 },
      )
      .toBe(true);

    // Not checked here: the end of that call. SIPp drops the unanswered re-INVITE's dialog without a BYE,
    // and the core keeps the call up (RFC 3261 §12.2.1.2: a 408 to a request inside a dialog SHOULD end it):
    // that is the calls core's part. The screen's part (an end reported → out of « en ligne », into the
    // wrap-up) is checked in screen-wrapup.e2e.ts and calls/useCalls.test.ts.
  });
});
