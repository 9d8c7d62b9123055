import { z } from 'zod';
import { logbookTextSchema } from './logbook.js';

export interface HandoverNote {
  /** Free text of the outgoing team. */
  consignes: string;
  /** Listed automatically when the shift closes. */
  openOperations: { id: string; title: string; commune: string }[];
  /**
   * `label` is the line (and the caller's name when it is not the number itself); `abandonedAt` (ISO) and
   * `attempts` since this version: a handover written before has neither.
   */
  pendingCallbacks: { id: string; number: string; label: string; abandonedAt?: string; attempts?: number }[];
}

/** What closing the shift now would hand over: shown, then confirmed (`shift.close`). */
export interface HandoverPreview {
  shift: Shift;
  openOperations: HandoverNote['openOperations'];
  pendingCallbacks: HandoverNote['pendingCallbacks'];
  /** Entries written during this shift. */
  entries: number;
}

export interface Shift {
  shiftId: string;
  team: string[];
  openedBy: string;
  openedAt: string;
  closedBy: string | null;
  closedAt: string | null;
  handover: HandoverNote | null;
}

const teamMember = z.string().trim().min(1).max(60);

export const shiftRequests = {
  /** Chef de salle only. The answer carries the last handover for the incoming team. */
  'shift.open': z.object({ team: z.array(teamMember).min(1).max(30) }).strict(),
  /** Chef de salle only. Open operations and pending callbacks are added automatically. */
  'shift.close': z.object({ consignes: logbookTextSchema }).strict(),
  /** Chef de salle only: the handover that `shift.close` would write now, to read before confirming. */
  'shift.preview': z.object({}).strict(),
  'shift.current': z.object({}).strict(),
  'shift.lastHandover': z.object({}).strict(),
  'shift.list': z.object({ limit: z.number().int().min(1).max(500).optional() }).strict(),
};

export interface ShiftResults {
  'shift.open': { shift: Shift; lastHandover: Shift | null };
  'shift.close': Shift;
  'shift.preview': HandoverPreview;
  'shift.current': Shift | null;
  'shift.lastHandover': Shift | null;
  'shift.list': Shift[];
}

export type ShiftEvent = { type: 'shift'; shift: Shift };
