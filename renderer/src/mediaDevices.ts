/** The position's audio devices, for the core's `media.devices` request (electron/contract/renderer.ts). */
import { VigieError, type MediaDevice, type RendererResultOf } from '../../electron/contract/index.js';

/** The contract bounds lists to 64 entries and strings to 256 characters; a crowded machine is cut, not refused. */
const MAX_DEVICES = 64;
const MAX_TEXT = 256;

export const listAudioDevices = async (): Promise<RendererResultOf<'media.devices'>> => {
  // Absent outside a secure context (the app's own scheme and 127.0.0.1 are secure).
  if (typeof navigator.mediaDevices?.enumerateDevices !== 'function') {
    throw new VigieError('unavailable', 'Périphériques audio inaccessibles sur cette page');
  }
  const all = await navigator.mediaDevices.enumerateDevices();
  const pick = (kind: MediaDeviceKind): MediaDevice[] =>
    all
      .filter((device) => device.kind === kind)
      .slice(0, MAX_DEVICES)
      .map((device) => ({ deviceId: device.deviceId.slice(0, MAX_TEXT), label: device.label.slice(0, MAX_TEXT) }));
  return { inputs: pick('audioinput'), outputs: pick('audiooutput') };
};
