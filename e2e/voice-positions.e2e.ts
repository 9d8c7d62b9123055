/**
 * Two Vigie positions talk to each other: the second one (its own core and page) dials the first through
 * the lab's Kamailio (and its media relay), the first answers with F9; both pages hear the other's tone.
 * Then hold and resume with F10: the re-INVITE's SDP directions (RFC 3264 §8.4) and the audio coming back.
 * Runs in a network namespace with only lo (scripts/test.sh).
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labDown, labUp } from '../electron/lab/index.js';
import { removeDataDir } from '../electron/testing/data-dir.js';
import { launchChromium } from './support/chromium.js';
import { serve, type Served } from './support/serve.js';
import {
  contractRequest,
  fakeMicrophoneArgs,
  peerAudio,
  sdpDirection,
  watchPeers,
  writeToneWav,
} from './support/voice.js';

interface Mine {
  id: string;
  state: string;
}

const mine = async (page: Page): Promise<Mine[]> => {
  const queue = (await contractRequest(page, 'calls.queue', {})) as { value?: { mine?: Mine[] } }; // Result<QueueSnapshot>
  return queue.value?.mine ?? [];
};

/** True once the page's connection received audio with energy beyond `after` (webrtc-stats totalAudioEnergy). */
const hears = async (page: Page, after = 0): Promise<boolean> => {
  const audio = await peerAudio(page);
  return (audio?.packetsReceived ?? 0) > 0 && (audio?.energy ?? 0) > after;
};

describe('voice: two positions through Kamailio, WebRTC both ends', () => {
  let lab: string;
  const data: string[] = [];
  const served: Served[] = [];
  let chromium: Awaited<ReturnType<typeof launchChromium>>;

  beforeAll(async () => {
    lab = mkdtempSync(join(tmpdir(), 'vigie-e2e-lab-'));
    const wav = join(lab, 'tone-440.wav');
    writeToneWav(wav, 440);
    await labUp({ dir: lab });
    for (const user of ['1001', '1002']) {
      const dir = mkdtempSync(join(tmpdir(), `vigie-e2e-${user}-`));
      data.push(dir);
      // Media, not the roster, is under test: this position lets anyone answer (vigie.json, calls.answerRequiresSignIn).
      writeFileSync(join(dir, 'vigie.json'), JSON.stringify({ calls: { answerRequiresSignIn: false } }));
      served.push(await serve(['--lab', lab, '--user', user, '--data', dir]));
    }
    chromium = await launchChromium({ media: true, args: fakeMicrophoneArgs(wav) });
    await watchPeers(chromium.context);
  });

  afterAll(async () => {
    await chromium?.close();
    for (const s of served) await s.stop();
    await labDown({ dir: lab }).catch(() => undefined);
    rmSync(lab, { recursive: true, force: true });
    for (const dir of data) removeDataDir(dir);
  });

  it('the second position dials the first: audio both ways, then hold and resume', async () => {
    const pages: Page[] = [];
    const errors: string[] = [];
    for (const s of served) {
      const page = await chromium.context.newPage();
      page.on('pageerror', (e) => errors.push(e.message));
      await page.goto(s.url);
      await expect
        .poll(() => page.getByTestId('status-telephony').textContent(), { timeout: 15_000 })
        .toContain('enregistrée');
      pages.push(page);
    }
    const [first, second] = pages;
    if (first === undefined || second === undefined) throw new Error('deux pages attendues');

    const dialled = await contractRequest(second, 'calls.dial', { target: '1001' });
    expect(dialled).toMatchObject({ ok: true });
    const ringing = first.getByTestId('queue').getByTestId('call');
    await expect.poll(() => ringing.count(), { timeout: 15_000 }).toBe(1);
    await first.bringToFront();
    await first.keyboard.press('F9');
    const answeredAt = Date.now();
    await expect.poll(async () => (await mine(first))[0]?.state, { timeout: 10_000 }).toBe('active');
    await expect.poll(() => hears(first), { timeout: 5_000, interval: 200 }).toBe(true);
    await expect.poll(() => hears(second), { timeout: 5_000, interval: 200 }).toBe(true);
    console.log(`voix : les deux postes s’entendent ${Date.now() - answeredAt} ms après F9`);
    const heard = [await peerAudio(first), await peerAudio(second)];
    console.log(
      'voix : postes 1 et 2',
      JSON.stringify(heard.map((a) => ({ rx: a?.packetsReceived, tx: a?.packetsSent, energy: a?.energy }))),
    );

    // Hold from the first position: it offers sendonly, the second answers recvonly; no track was stopped.
    await first.keyboard.press('F10');
    await expect.poll(async () => (await mine(first))[0]?.state, { timeout: 10_000 }).toBe('held');
    const held = [await peerAudio(first), await peerAudio(second)];
    expect(sdpDirection(held[0]?.local ?? '')).toBe('sendonly');
    expect(sdpDirection(held[0]?.remote ?? '')).toBe('recvonly');
    expect(sdpDirection(held[1]?.local ?? '')).toBe('recvonly');
    // While on hold the second position still hears the first (sendonly keeps our microphone going).
    const secondOnHold = held[1]?.energy ?? 0;
    await expect.poll(() => hears(second, secondOnHold), { timeout: 5_000 }).toBe(true);

    // Resume: sendrecv both ways, and the first position hears the second again.
    await first.keyboard.press('F10');
    await expect.poll(async () => (await mine(first))[0]?.state, { timeout: 10_000 }).toBe('active');
    const resumed = [await peerAudio(first), await peerAudio(second)];
    expect(sdpDirection(resumed[0]?.local ?? '')).toBe('sendrecv');
    expect(sdpDirection(resumed[0]?.remote ?? '')).toBe('sendrecv');
    const firstResumed = resumed[0]?.energy ?? 0;
    await expect.poll(() => hears(first, firstResumed), { timeout: 5_000 }).toBe(true);

    // The first position hangs up (F12): both connections close.
    await first.keyboard.press('F12');
    await expect.poll(async () => (await peerAudio(first)) === null, { timeout: 10_000 }).toBe(true);
    await expect.poll(async () => (await peerAudio(second)) === null, { timeout: 10_000 }).toBe(true);
    expect(errors).toEqual([]);
  });
});
