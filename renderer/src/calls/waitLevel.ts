import type { WaitThresholds } from '../settings.js';

export type WaitLevel = 'normal' | 'warn' | 'alarm';

/** How long a ringing call has waited, against the thresholds (at the threshold is already past it). */
export const waitLevel = (seconds: number, t: WaitThresholds): WaitLevel =>
  seconds >= t.alarmS ? 'alarm' : seconds >= t.warnS ? 'warn' : 'normal';
