/**
 * Issue 12 item 2 in the browser host: a SIPp caller with audio through Kamailio and rtpengine, answered
 * with F9; Kamailio is killed during the conversation. The call panel says its signalling is lost and that
 * it goes on while the audio flows; once the page's watchdog hears no RTP it is ended, logged `failed`
 * with its detail. Screenshots at both sizes while flagged.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labKill } from '../electron/lab/index.js';
import { startLabPosition, type LabPosition } from './support/lab-position.js';
import { screenshots } from './support/screenshots.js';

// Same lab/Chromium BUNDLE mismatch as e2e/voice-ux-call.e2e.ts (its KNOWN ISSUE): 'balanced' accepts it.
const BALANCED = `
  const Pc = window.RTCPeerConnection;
  window.RTCPeerConnection = class extends Pc {
    constructor(config) {
      super({ ...config, bundlePolicy: 'balanced' });
    }
  };
`;

describe('a call in conversation when Kamailio dies', () => {
  let position: LabPosition | undefined;
  let lab: string;
  let data: string;
  let page: Page;
  let caller: ReturnType<typeof labCall> | undefined;

  beforeAll(async () => {
    position = await startLabPosition({
      name: 'outage',
      // Who answers is not this test's subject (e2e/screen-directory.e2e.ts): the position answers.
      config: { calls: { answerRequiresSignIn: false } },
      initScript: BALANCED,
    });
    ({ lab, data, page } = position);
  });

  afterAll(async () => {
    await position?.stop([caller]);
  });

  it('is flagged on its panel, then ended failed once no RTP arrives', async () => {
    caller = labCall({ dir: lab, to: '1001', count: 1, ringS: 20, talkS: 4, line: '18', from: '0687000018' });
    await page.getByTestId('queue').getByTestId('call').first().waitFor({ timeout: 20_000 });
    await page.keyboard.press('F9');
    const mine = page.getByTestId('mine').getByTestId('call').first();
    await mine.waitFor({ timeout: 10_000 });
    await expect
      .poll(() => page.getByTestId('quality-inbound').getAttribute('data-mos'), { timeout: 10_000 })
      .toMatch(/^\d/);
    await labKill(lab);
    const flag = mine.getByTestId('call-signalling-lost');
    await flag.waitFor({ timeout: 10_000 });
    expect(await flag.textContent()).toContain('signalisation perdue — l’appel continue tant que le son passe');
    await screenshots(page, 'outage-signalling-lost');
    // rtpengine outlives Kamailio: the caller's audio flows until SIPp gives up its BYE, which goes nowhere
    // (RFC 3261 timer F, 32 s) and exits; then the page's watchdog raises no-RTP after its 5 s.
    await expect.poll(() => page.getByTestId('mine').getByTestId('call').count(), { timeout: 70_000 }).toBe(0);
    const ended = JSON.parse(sql(data, `SELECT payload FROM events WHERE type = 'call.ended'`)) as Record<
      string,
      unknown
    >;
    expect(ended).toMatchObject({ cause: 'failed', detail: 'signalisation perdue, plus de son reçu' });
  }, 120_000);
});

/** One value from the position's log with the sqlite3 shell, read-only beside the running core. */
const sql = (data: string, query: string): string =>
  execFileSync('sqlite3', ['-readonly', join(data, 'vigie.db'), query], { encoding: 'utf8' }).trim();
