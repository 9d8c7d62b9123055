import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CALLER_TONE_HZ,
  labCall,
  labCallee,
  labDown,
  labUp,
  ngRequest,
  POSITION_TONE_HZ,
  type LabInfo,
} from './index.js';

// Real Kamailio + rtpengine + SIPp on 127.0.0.1; the audio comes from Node RTP endpoints (electron/lab/rtp.ts).
const root = mkdtempSync(join(tmpdir(), 'vigie-lab-media-'));
let lab: LabInfo;

beforeAll(async () => {
  lab = await labUp({ dir: join(root, 'lab') });
}, 30_000);

afterAll(async () => {
  await labDown({ dir: lab.dir }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
}, 30_000);

describe('lab callers with real audio through Kamailio and rtpengine', () => {
  it('a caller and a callee each hear the other one’s tone, every packet relayed by rtpengine', async () => {
    const callee = await labCallee({
      dir: lab.dir,
      user: '2101',
      mode: 'answer',
      audio: { toneHz: POSITION_TONE_HZ, detectHz: CALLER_TONE_HZ },
    });
    const caller = await labCall({ dir: lab.dir, to: '2101', talkS: 2, ringS: 5 });
    expect(caller, caller.output).toMatchObject({ exitCode: 0, successful: 1 });
    const heard = await callee.media;
    const [leg] = caller.media;
    const [calleeLeg] = heard.media;
    // ~100 packets in 2 s of talk at 20 ms each; both media addresses are the relay's, not each other's.
    for (const side of [caller, heard]) {
      expect(side.rtpReceived).toBeGreaterThan(60);
      expect(side.rtpSent).toBeGreaterThan(60);
      expect(side.energyReceived).toBeGreaterThan(0.1);
      expect(side.toneShareReceived).toBeGreaterThan(0.9);
    }
    const port = (remote: string | undefined): number => Number(remote?.split(':')[1]);
    for (const remote of [leg?.remote, calleeLeg?.remote]) {
      expect(port(remote)).toBeGreaterThanOrEqual(lab.rtpengine.portMin);
      expect(port(remote)).toBeLessThanOrEqual(lab.rtpengine.portMax);
    }
    // The relay deleted the session at BYE.
    expect(await ngRequest(lab.rtpengine.ngPort, { command: 'list' })).toMatchObject({ calls: [] });
  });

  it('goes without audio when asked: no RTP, and the call still completes', async () => {
    const callee = await labCallee({ dir: lab.dir, user: '2102', mode: 'answer', audio: false });
    const caller = await labCall({ dir: lab.dir, to: '2102', talkS: 0.5, ringS: 5, audio: false });
    expect(caller, caller.output).toMatchObject({ exitCode: 0, successful: 1, rtpReceived: 0, rtpSent: 0 });
    expect((await callee.done).exitCode).toBe(0);
  });
});
