import { useCallback, useEffect, useState } from 'react';

/**
 * Preferences of this console, kept in the page's localStorage: they belong to the screen (theme, queue
 * thresholds, the unsent draft), not to the event log, and survive a reload.
 */
const PREFIX = 'vigie.';

export const readSetting = (key: string): string | null => {
  try {
    return window.localStorage.getItem(PREFIX + key);
  } catch {
    return null; // storage refused (private mode, quota): the defaults apply
  }
};

export const writeSetting = (key: string, value: string | null): void => {
  try {
    if (value === null) window.localStorage.removeItem(PREFIX + key);
    else window.localStorage.setItem(PREFIX + key, value);
  } catch {
    // Not remembered; the screen still works.
  }
};

export type Theme = 'dark' | 'light';

/** The theme, remembered; applied on <html data-theme> so that every stylesheet follows it. */
export const useTheme = (): [Theme, () => void] => {
  const [theme, setTheme] = useState<Theme>(() => (readSetting('theme') === 'light' ? 'light' : 'dark'));
  useEffect(() => {
    document.documentElement.dataset.theme = theme;
    writeSetting('theme', theme);
  }, [theme]);
  const toggle = useCallback(() => setTheme((t) => (t === 'dark' ? 'light' : 'dark')), []);
  return [theme, toggle];
};

export interface WaitThresholds {
  /** Seconds of ringing after which a call is shown « attente longue ». */
  warnS: number;
  /** Seconds of ringing after which a call is shown « attente critique ». */
  alarmS: number;
}

/**
 * 15 s and 20 s: the answering times that emergency call centres commonly aim at (the defaults issue 10
 * asks for). A site may set others in `vigie.queue.thresholds` ({"warnS":…, "alarmS":…}).
 */
export const DEFAULT_THRESHOLDS: WaitThresholds = { warnS: 15, alarmS: 20 };

export const parseThresholds = (raw: string | null): WaitThresholds => {
  if (raw === null) return DEFAULT_THRESHOLDS;
  try {
    const value: unknown = JSON.parse(raw);
    if (typeof value !== 'object' || value === null) return DEFAULT_THRESHOLDS;
    const warnS: unknown = Reflect.get(value, 'warnS');
    const alarmS: unknown = Reflect.get(value, 'alarmS');
    if (typeof warnS !== 'number' || typeof alarmS !== 'number') return DEFAULT_THRESHOLDS;
    if (!(warnS > 0 && alarmS >= warnS && alarmS <= 3600)) return DEFAULT_THRESHOLDS;
    return { warnS, alarmS };
  } catch {
    return DEFAULT_THRESHOLDS;
  }
};

export const readThresholds = (): WaitThresholds => parseThresholds(readSetting('queue.thresholds'));
