/**
 * Hot-plug of the microphone (issue 9 item 4): on `devicechange`, and on the `ended` event of the track a
 * call sends, capture from the next microphone (fallback.ts) and swap it into every open call with
 * mediaRegistry.replaceMicrophone — RTCRtpSender.replaceTrack, no renegotiation. Every step is reported
 * to the core (`voice.device`), which writes it as an event.
 */
import type { VoiceDeviceArgs } from '../../../electron/contract/voice.js';
import type { MediaRegistry } from '../media/registry.js';
import { nextMicrophone, type InputDevice } from './fallback.js';
import type { AudioPreferences } from './preferences.js';

export type ReportDevice = (args: VoiceDeviceArgs) => void;

const inputs = async (): Promise<InputDevice[]> =>
  (await navigator.mediaDevices.enumerateDevices())
    .filter((d) => d.kind === 'audioinput')
    .map((d) => ({ deviceId: d.deviceId, label: d.label }));

const currentMicrophone = (registry: MediaRegistry): MediaStreamTrack | undefined =>
  registry.list().find((c) => c.microphone !== undefined && c.microphone.readyState === 'live')?.microphone ??
  registry.list().find((c) => c.microphone !== undefined)?.microphone;

/** Starts watching; returns the stop function. `prefs` is read at each change (the panel may change it). */
export const watchMicrophone = (
  registry: MediaRegistry,
  prefs: () => AudioPreferences,
  report: ReportDevice,
  onSwitched: (message: string | null) => void,
): (() => void) => {
  let known: InputDevice[] = [];
  let busy = Promise.resolve();
  const watched = new WeakSet<MediaStreamTrack>();

  const switchTo = async (reason: 'removed' | 'track-ended', gone: MediaStreamTrack | undefined) => {
    if (registry.list().length === 0) return; // no call: the next getUserMedia picks the right one
    const goneId = gone?.getSettings().deviceId;
    const available = (await inputs()).filter((d) => reason === 'removed' || d.deviceId !== goneId);
    const next = nextMicrophone(available, prefs(), reason === 'track-ended' ? undefined : goneId);
    if (next === null) {
      if (reason === 'track-ended' || !available.some((d) => d.deviceId === goneId)) {
        report({ change: 'fallback-failed', kind: 'microphone', deviceId: goneId ?? '', label: gone?.label ?? '' });
        onSwitched('Micro perdu et aucun micro de secours disponible');
      }
      return;
    }
    try {
      const stream = await navigator.mediaDevices.getUserMedia({
        audio: { deviceId: { exact: next.deviceId } },
        video: false,
      });
      const [track] = stream.getAudioTracks();
      if (track === undefined) throw new Error('aucune piste audio');
      await registry.replaceMicrophone(track);
      report({
        change: 'fallback',
        kind: 'microphone',
        deviceId: next.deviceId.slice(0, 256),
        label: next.label.slice(0, 256),
        detail: `remplace « ${(gone?.label ?? '').slice(0, 200)} » (${reason === 'removed' ? 'débranché' : 'piste terminée'})`,
      });
      onSwitched(`Micro basculé sur « ${next.label || next.deviceId} »`);
    } catch (error) {
      report({
        change: 'fallback-failed',
        kind: 'microphone',
        deviceId: next.deviceId.slice(0, 256),
        label: next.label.slice(0, 256),
        detail: (error instanceof Error ? error.message : String(error)).slice(0, 500),
      });
      onSwitched('Micro perdu : le micro de secours ne répond pas');
    }
  };
  const serial = (work: () => Promise<void>) => {
    busy = busy.then(work).catch(() => undefined);
  };

  const onDeviceChange = () =>
    serial(async () => {
      const now = await inputs();
      for (const d of now.filter((d) => !known.some((k) => k.deviceId === d.deviceId)))
        report({
          change: 'plugged',
          kind: 'microphone',
          deviceId: d.deviceId.slice(0, 256),
          label: d.label.slice(0, 256),
        });
      const removed = known.filter((k) => !now.some((d) => d.deviceId === k.deviceId));
      for (const d of removed)
        report({
          change: 'removed',
          kind: 'microphone',
          deviceId: d.deviceId.slice(0, 256),
          label: d.label.slice(0, 256),
        });
      known = now;
      const mic = currentMicrophone(registry);
      const micId = mic?.getSettings().deviceId;
      if (mic !== undefined && (removed.some((d) => d.deviceId === micId) || mic.readyState === 'ended'))
        await switchTo('removed', mic);
    });

  const watchTracks = () => {
    for (const call of registry.list()) {
      const track = call.microphone;
      if (track === undefined || watched.has(track)) continue;
      watched.add(track);
      track.addEventListener('ended', () => {
        report({
          change: 'track-ended',
          kind: 'microphone',
          deviceId: (track.getSettings().deviceId ?? '').slice(0, 256),
          label: track.label.slice(0, 256),
        });
        serial(() => switchTo('track-ended', track));
      });
    }
  };

  void inputs()
    .then((list) => (known = list))
    .catch(() => undefined);
  navigator.mediaDevices.addEventListener('devicechange', onDeviceChange);
  const off = registry.subscribe(watchTracks);
  watchTracks();
  return () => {
    navigator.mediaDevices.removeEventListener('devicechange', onDeviceChange);
    off();
  };
};
