/**
 * What the position plays while calls ring (issue 9 item 3), as a pure function of the queue: nothing when
 * no call rings; the ring tone on the ring device while the operator is free, louder past `louderAfterS`
 * of the longest wait and on the second ring device too past `secondDeviceAfterS`; a discreet tone in the
 * headset while the operator is in a call, so that the caller is not drowned and the ringing is not missed.
 */
import type { RingConfig } from '../../../electron/contract/voice.js';

export type RingTone = 'none' | 'ring' | 'busy';

export interface RingPlan {
  tone: RingTone;
  volume: number;
  secondDevice: boolean;
  /** 0 ringing start, 1 louder, 2 second device: for the screen and the tests. */
  stage: 0 | 1 | 2;
}

export const SILENT: RingPlan = { tone: 'none', volume: 0, secondDevice: false, stage: 0 };

export const ringPlan = (input: { longestWaitS: number | null; busy: boolean }, config: RingConfig): RingPlan => {
  if (input.longestWaitS === null) return SILENT;
  const wait = input.longestWaitS;
  const stage = wait >= config.secondDeviceAfterS ? 2 : wait >= config.louderAfterS ? 1 : 0;
  if (input.busy) return { tone: 'busy', volume: config.busyVolume, secondDevice: false, stage };
  return {
    tone: 'ring',
    volume: stage === 0 ? config.volume : config.loudVolume,
    secondDevice: stage === 2,
    stage,
  };
};

/** The longest wait (s) among ringing calls offered at `offeredAt` (ms), or null when none rings. */
export const longestWait = (offeredAt: readonly number[], now: number): number | null =>
  offeredAt.length === 0 ? null : Math.max(0, ...offeredAt.map((t) => (now - t) / 1000));

export const BASE_TITLE = 'Vigie — standard opérationnel';

/** The window title: the count of ringing calls first, so that it shows in a task bar cut short. */
export const windowTitle = (ringing: number): string =>
  ringing === 0 ? BASE_TITLE : `(${ringing}) ${ringing === 1 ? 'Appel en attente' : 'Appels en attente'} — Vigie`;
