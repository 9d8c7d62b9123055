import { describe, expect, it } from 'vitest';
import { createMediaRegistry, type MediaCallEntry } from './registry.js';

/** Stand-ins for the WebRTC objects: the registry only keeps them and calls replaceTrack / setSinkId / stop. */
interface FakeTrack {
  id: string;
  enabled: boolean;
  stopped: boolean;
  stop(): void;
  clone(): FakeTrack;
}
const track = (id: string): FakeTrack => ({
  id,
  enabled: true,
  stopped: false,
  stop() {
    this.stopped = true;
  },
  clone: () => track(`${id}-copie`),
});

const entry = (callId: string, mic: FakeTrack, log: string[]): MediaCallEntry => {
  const sender = { replaceTrack: async (t: FakeTrack) => void log.push(`${callId} replaceTrack ${t.id}`) };
  const audio = { setSinkId: async (id: string) => void log.push(`${callId} sink ${id || 'défaut'}`) };
  // Only the members the registry touches are provided; the test's fakes stand for the DOM/WebRTC types.
  return {
    call: {
      callId,
      pc: {} as RTCPeerConnection,
      microphone: mic as unknown as MediaStreamTrack,
      remote: {} as MediaStream,
      muted: false,
      onHold: false,
    },
    sender: sender as unknown as RTCRtpSender,
    audio: audio as unknown as HTMLAudioElement,
  };
};

describe('media registry', () => {
  it('tells its listeners of every change, with new snapshots, and survives a listener that throws', () => {
    const registry = createMediaRegistry();
    const seen: number[] = [];
    registry.subscribe(() => {
      throw new Error('écouteur en panne');
    });
    const off = registry.subscribe(() => seen.push(registry.list().length));
    registry.add(entry('c1', track('m1'), []));
    const before = registry.get('c1');
    registry.update('c1', { muted: true });
    expect(registry.get('c1')).not.toBe(before);
    expect(registry.get('c1')?.muted).toBe(true);
    registry.remove('c1');
    off();
    registry.add(entry('c2', track('m2'), []));
    expect(seen).toEqual([1, 1, 0]);
  });

  it('swaps the microphone on every call without renegotiating, keeps mute, stops the old track', async () => {
    const registry = createMediaRegistry();
    const log: string[] = [];
    const old1 = track('m1');
    const old2 = track('m2');
    registry.add(entry('c1', old1, log));
    registry.add(entry('c2', old2, log));
    registry.update('c2', { muted: true });
    const headset = track('casque');
    await registry.replaceMicrophone(headset as unknown as MediaStreamTrack);
    expect(log).toEqual(['c1 replaceTrack casque', 'c2 replaceTrack casque-copie']);
    expect(registry.get('c1')?.microphone).toBe(headset);
    expect(old1.stopped && old2.stopped).toBe(true);
    // Each call its own track: the muted one stays muted, the other one is heard.
    expect(headset.enabled).toBe(true);
    expect(registry.get('c2')?.microphone?.enabled).toBe(false);
  });

  it('routes every call to the chosen headset, and new calls too; nothing is set before a choice', async () => {
    const registry = createMediaRegistry();
    const log: string[] = [];
    registry.add(entry('c1', track('m1'), log));
    expect(log).toEqual([]);
    await registry.setHeadset('casque-1');
    registry.add(entry('c2', track('m2'), log));
    await registry.setHeadset(undefined);
    expect(log).toEqual(['c1 sink casque-1', 'c2 sink casque-1', 'c1 sink défaut', 'c2 sink défaut']);
  });
});
