import { readSetting, writeSetting } from '../settings';

/**
 * The audio devices chosen on this console. They belong to the position (the headset and the loudspeakers
 * plugged into this desk), not to the operator, so the key carries the position id; they are screen
 * preferences, not facts, and stay out of the event log (docs/architecture.md, "renderer").
 */
export interface AudioPreferences {
  microphoneId?: string;
  fallbackMicrophoneId?: string;
  headsetId?: string;
  ringId?: string;
  secondRingId?: string;
}

const FIELDS = ['microphoneId', 'fallbackMicrophoneId', 'headsetId', 'ringId', 'secondRingId'] as const;

const keyOf = (position: string): string => `audio.${position}`;

/** Reads what a stored JSON holds, keeping only non-empty string fields: a damaged entry gives defaults. */
export const parseAudioPreferences = (raw: string | null): AudioPreferences => {
  if (raw === null) return {};
  let value: unknown;
  try {
    value = JSON.parse(raw);
  } catch {
    return {};
  }
  if (typeof value !== 'object' || value === null) return {};
  const prefs: AudioPreferences = {};
  for (const field of FIELDS) {
    const v: unknown = Reflect.get(value, field);
    if (typeof v === 'string' && v !== '') prefs[field] = v;
  }
  return prefs;
};

/** Per position (localStorage key includes the position id). */
export function loadAudioPreferences(position: string): AudioPreferences {
  return parseAudioPreferences(readSetting(keyOf(position)));
}

export function saveAudioPreferences(position: string, prefs: AudioPreferences): void {
  const clean: AudioPreferences = {};
  for (const field of FIELDS) {
    const v = prefs[field];
    if (v !== undefined && v !== '') clean[field] = v;
  }
  writeSetting(keyOf(position), JSON.stringify(clean));
}

/**
 * What getUserMedia gets for the microphone: audio only, the chosen device if any. `exact` would make a
 * missing device fail the call; `ideal` falls back to the system default, which is better than silence.
 */
export function microphoneConstraints(prefs: AudioPreferences): MediaTrackConstraints | true {
  if (prefs.microphoneId === undefined) return true;
  return { deviceId: { ideal: prefs.microphoneId } };
}
