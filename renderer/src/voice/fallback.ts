/**
 * Which microphone to switch to when the one in use goes away (issue 9 item 4): the chosen one if it is
 * (back) there, else the configured fallback, else the system default; never the device that just left.
 */
import type { AudioPreferences } from './preferences.js';

export interface InputDevice {
  deviceId: string;
  label: string;
}

/** The device to capture from now, or null when the current one is still there and is the best choice. */
export const nextMicrophone = (
  inputs: readonly InputDevice[],
  prefs: AudioPreferences,
  current: string | undefined,
): InputDevice | null => {
  const present = (id: string | undefined): InputDevice | undefined =>
    id === undefined ? undefined : inputs.find((d) => d.deviceId === id);
  const chosen = present(prefs.microphoneId);
  if (current !== undefined && present(current) !== undefined) {
    // Still there: only move back to the chosen device once it is plugged in again.
    return chosen !== undefined && chosen.deviceId !== current ? chosen : null;
  }
  return chosen ?? present(prefs.fallbackMicrophoneId) ?? present('default') ?? inputs[0] ?? null;
};
