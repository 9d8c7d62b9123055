/**
 * Voice, issue 9 items 3, 4 and 7, for real: a Kamailio lab on loopback, one position (browser host),
 * a SIPp caller with null media that rings, Chromium with fake audio devices driven by the keyboard.
 * The ring is heard (its <audio> element plays) once the first gesture unlocked audio, the title counts the
 * call, the queue tile shows « SONNERIE »; Alt+U opens the audio panel whose level meter moves with the
 * fake microphone; the self-test is written to the main courante. Screenshots at 1366×768 and 1920×1080.
 */
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall } from '../electron/lab/index.js';
import { startLabPosition, type LabPosition } from './support/lab-position.js';
import { screenshots } from './support/screenshots.js';

/**
 * The desktop autoplay policy, enforced in the page: headless Chromium driven by the test lets media play
 * without a gesture (its user-activation flag is already set), which would hide the very case the warning
 * is for. play() is refused with NotAllowedError, as the policy refuses it, until a trusted key or pointer
 * event reached the page; this listener runs before the page's own, as the browser's activation does.
 */
const AUTOPLAY_POLICY = `
  let gesture = false;
  for (const type of ['keydown', 'pointerdown'])
    addEventListener(type, (e) => { if (e.isTrusted) gesture = true; }, { capture: true });
  const play = HTMLMediaElement.prototype.play;
  HTMLMediaElement.prototype.play = function () {
    if (gesture) return play.call(this);
    return Promise.reject(new DOMException('play() needs a user gesture', 'NotAllowedError'));
  };
`;

describe('ringing, audio panel and self-test on a real Kamailio', () => {
  let position: LabPosition | undefined;
  let lab: string;
  let page: Page;
  const callers: Promise<unknown>[] = [];

  // Page-side code as strings: the e2e files are compiled without the DOM library (they run under Node).
  const playing = (testId: string) =>
    page.evaluate<boolean>(
      `(() => { const el = document.querySelector('audio[data-testid="${testId}"]');
        return el !== null && !el.paused && !el.muted && el.currentTime > 0; })()`,
    );
  const focused = () => page.evaluate<string | undefined>('document.activeElement?.dataset.testid');

  beforeAll(async () => {
    position = await startLabPosition({
      name: 'voice',
      config: {
        // Short escalation thresholds (a site setting in vigie.json), so that « louder » is reached in the test.
        voice: { ring: { louderAfterS: 4, secondDeviceAfterS: 8 } },
        // Media, not the roster, is under test: anyone may answer here.
        calls: { answerRequiresSignIn: false },
      },
      initScript: AUTOPLAY_POLICY,
    });
    ({ lab, page } = position);
  });

  afterAll(async () => {
    await position?.stop(callers);
  });

  it('says so on screen when the ring cannot play, then rings once a gesture unlocked audio', async () => {
    expect(await page.title()).toBe('Vigie — standard opérationnel');
    callers.push(labCall({ dir: lab, to: '1001', count: 1, ringS: 25, talkS: 1, line: '18', from: '0687000018' }));
    await page.getByTestId('queue').getByTestId('call').first().waitFor({ timeout: 20_000 });
    // No gesture yet: play() is refused, and the operator is told, not left with a silent console.
    const blocked = page.getByTestId('ring-blocked');
    await blocked.waitFor({ timeout: 5_000 });
    expect(await blocked.textContent()).toContain('Sonnerie inaudible');
    expect(await playing('ring-audio')).toBe(false);
    await screenshots(page, 'voice-ring-blocked');
    // The operator's first gesture (the sign-in key press) unlocks audio: the ring plays, the warning goes.
    await page.keyboard.press('F4');
    await expect.poll(() => playing('ring-audio'), { timeout: 5_000 }).toBe(true);
    await blocked.waitFor({ state: 'detached', timeout: 3_000 });
  });

  it('rings louder once the wait passes the configured threshold', async () => {
    const volume = () =>
      page.evaluate<number | undefined>(`document.querySelector('audio[data-testid="ring-audio"]')?.volume`);
    // The call has rung for more than louderAfterS (4 s) by now: full volume instead of the base 0.5.
    await expect.poll(volume, { timeout: 5_000 }).toBe(1);
  });

  it('rings out loud while a call waits, counts it in the title, flashes the queue tile', async () => {
    await expect.poll(() => page.title()).toBe('(1) Appel en attente — Vigie');
    await expect(page.getByTestId('ring-badge').textContent()).resolves.toContain('SONNERIE');
    expect(await page.getByTestId('ring-blocked').count()).toBe(0);
    await screenshots(page, 'voice-ringing');
  });

  it('stops ringing and restores the title when the call leaves the queue', async () => {
    // The caller gives up after 25 s of ringing.
    await expect.poll(() => page.getByTestId('queue').getByTestId('call').count(), { timeout: 40_000 }).toBe(0);
    await expect.poll(() => playing('ring-audio'), { timeout: 3_000 }).toBe(false);
    expect(await page.title()).toBe('Vigie — standard opérationnel');
    expect(await page.getByTestId('ring-badge').count()).toBe(0);
  });

  it('opens the audio panel with Alt+U; its level meter follows the fake microphone', async () => {
    await page.keyboard.press('Alt+KeyU');
    const panel = page.getByTestId('voice-panel');
    await panel.waitFor({ state: 'visible' });
    // The focus is inside the dialog, on its first field: the panel is used from the keyboard.
    expect(await page.evaluate<string | undefined>("document.activeElement?.closest('dialog')?.dataset.testid")).toBe(
      'voice-panel',
    );
    // The fake devices are listed once the microphone is granted (the meter's capture asks for it).
    await expect.poll(() => page.getByTestId('voice-mic').locator('option').count()).toBeGreaterThan(1);
    const levels: number[] = [];
    for (let i = 0; i < 20; i++) {
      levels.push(Number(await page.getByTestId('voice-level').getAttribute('data-level')));
      await page.waitForTimeout(100);
    }
    // Chromium's fake microphone beeps: the level is above silence and changes over two seconds.
    expect(Math.max(...levels)).toBeGreaterThan(0.001);
    expect(new Set(levels).size).toBeGreaterThan(2);
    await screenshots(page, 'voice-panel');
  });

  it('runs the self-test from the keyboard and writes it to the main courante', async () => {
    for (let i = 0; i < 12; i++) {
      if ((await focused()) === 'voice-selftest') break;
      await page.keyboard.press('Tab');
    }
    await page.keyboard.press('Enter');
    const result = page.getByTestId('voice-selftest-result');
    await result.waitFor({ timeout: 20_000 });
    const summary = (await result.textContent()) ?? '';
    expect(summary).toMatch(/^Auto-test audio du poste : RÉUSSI — micro OK/);
    expect(summary).toContain('média OK');
    await page.keyboard.press('Escape');
    await page.getByTestId('voice-panel').waitFor({ state: 'hidden' });
    await page
      .getByText(/Auto-test audio du poste : RÉUSSI/)
      .first()
      .waitFor({ timeout: 10_000 });
  });
});
