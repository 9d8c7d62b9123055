/**
 * The calls part of the API contract: the queue, call commands, the call log and callbacks.
 * Every argument is bounded; the core re-checks state (a command on an ended call is a `conflict`).
 */
import { z } from 'zod';

const callId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'identifiant d’appel invalide');
/**
 * A qualification or callback-outcome code: the one rule, used by the contract, the configured lists and
 * the event schemas (codes are stable; labels are French and copied into the events).
 */
export const codeSchema = z
  .string()
  .min(1)
  .max(40)
  .regex(/^[a-z0-9_]+$/, 'code en minuscules, chiffres et _');
const code = codeSchema;
/** A number or user (`18`, `+687270000`, `1002`) or a SIP URI (`sip:1002@127.0.0.1`). */
export const dialTargetSchema = z
  .string()
  .trim()
  .min(1, 'numéro obligatoire')
  .max(128, 'numéro : 128 caractères au plus')
  .regex(/^(sips?:)?[A-Za-z0-9+*#._~-]+(@[A-Za-z0-9.-]+(:\d{1,5})?)?$/, 'numéro ou adresse SIP invalide');
/** DTMF digits (RFC 4733 events 0-15: 0-9 * # A-D). */
export const dtmfDigitsSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[0-9*#A-D]+$/, 'chiffres DTMF autorisés : 0-9 * # A-D');

export const callsRequests = {
  'calls.queue': z.object({}).strict(),
  'calls.list': z
    .object({
      limit: z.number().int().min(1).max(1000).default(200),
      /** Only calls offered before this instant (ms since epoch), for paging back. */
      before: z.number().int().nonnegative().optional(),
      /** History filters (issue 10 item 7), all optional, combined with AND. The line's number. */
      line: z.string().trim().min(1).max(64).optional(),
      qualification: code.optional(),
      /** How the call ended. */
      cause: z
        .enum(['caller_hangup', 'abandoned', 'answered_elsewhere', 'operator_hangup', 'transferred', 'failed', 'busy'])
        .optional(),
      /** Digits the caller's number contains (spaces and signs typed are ignored). */
      number: z
        .string()
        .trim()
        .max(32)
        .regex(/^[0-9+ .()-]*$/, 'numéro : chiffres seulement')
        .optional(),
    })
    .strict(),
  'calls.options': z.object({}).strict(),
  'calls.answer': z.object({ callId }).strict(),
  'calls.answerNext': z.object({}).strict(),
  'calls.hold': z.object({ callId }).strict(),
  'calls.resume': z.object({ callId }).strict(),
  'calls.hangup': z.object({ callId }).strict(),
  'calls.transfer': z
    .object({
      callId,
      target: dialTargetSchema,
      mode: z.enum(['blind', 'attended']),
      /** Attended: the consultation call already established with the target. */
      consultCallId: callId.optional(),
    })
    .strict()
    .refine((a) => a.mode === 'blind' || a.consultCallId !== undefined, {
      message: 'transfert accompagné : appel de consultation (consultCallId) requis',
      path: ['consultCallId'],
    }),
  'calls.dial': z.object({ target: dialTargetSchema }).strict(),
  'calls.dtmf': z.object({ callId, digits: dtmfDigitsSchema }).strict(),
  'calls.mute': z.object({ callId, muted: z.boolean() }).strict(),
  'calls.qualify': z.object({ callId, code }).strict(),
  'calls.note': z.object({ callId, text: z.string().trim().min(1).max(4000) }).strict(),
  'calls.link': z
    .object({ callId, kind: z.enum(['entry', 'operation', 'call']), targetId: z.string().min(1).max(64) })
    .strict(),
  'callbacks.list': z
    .object({
      status: z.enum(['pending', 'done', 'all']).default('pending'),
      limit: z.number().int().min(1).max(1000).default(200),
    })
    .strict(),
  'callbacks.outcome': z.object({ callbackId: callId, code, note: z.string().trim().max(2000).optional() }).strict(),
};

/**
 * The `call.ended` detail of a call that was ringing when the SIP registration was lost (the desk ends it
 * `abandoned`): the call log and its callback say « perdu pendant la coupure » (issue 12 item 2).
 */
export const LOST_IN_OUTAGE_DETAIL = 'liaison SIP perdue pendant la sonnerie';

export type CallStateName = 'ringing' | 'dialing' | 'active' | 'held' | 'ended';
export type CallEndCause =
  'caller_hangup' | 'abandoned' | 'answered_elsewhere' | 'operator_hangup' | 'transferred' | 'failed' | 'busy';

/** A call in progress at this position, as the queue shows it. */
export interface LiveCall {
  id: string;
  direction: 'in' | 'out';
  state: CallStateName;
  line: { number: string; label: string; priority: number };
  caller: { number: string; name: string | null };
  offeredAt: number;
  answeredAt: number | null;
  muted: boolean;
  /** The SIP registration was lost during the conversation: it goes on while its audio flows (issue 12). */
  signallingLost: boolean;
}

export interface QueueSnapshot {
  /** Ringing calls, in answer-next order (priority, then waiting time). */
  ringing: LiveCall[];
  /** Calls this position holds: active, held, dialing. */
  mine: LiveCall[];
}

/** A row of the call log (`calls` projection). Times in ms since epoch. */
export interface CallRecord {
  id: string;
  direction: 'in' | 'out';
  line: { number: string; label: string; priority: number };
  caller: { number: string; name: string | null };
  state: CallStateName;
  cause: CallEndCause | null;
  position: string;
  operator: string | null;
  offeredAt: number;
  answeredAt: number | null;
  endedAt: number | null;
  waitMs: number | null;
  talkMs: number | null;
  qualification: { code: string; label: string } | null;
  transferredTo: string | null;
  /** Why it ended, as logged (`call.ended` detail), when the desk said. */
  endDetail: string | null;
  /** Ringing when the registration was lost (detail LOST_IN_OUTAGE_DETAIL). */
  lostInOutage: boolean;
  notes: { at: number; author: string; text: string }[];
  links: { kind: 'entry' | 'operation' | 'call'; targetId: string }[];
}

export interface CallbackRecord {
  id: string;
  callId: string;
  number: string;
  name: string | null;
  line: string;
  createdAt: number;
  status: 'pending' | 'done';
  attempts: number;
  /** The call was ringing when the registration was lost (« perdu pendant la coupure »). */
  lostInOutage: boolean;
  outcome: { code: string; label: string; at: number; by: string } | null;
}

export interface CallsOptions {
  qualifications: { code: string; label: string }[];
  callbackOutcomes: { code: string; label: string; closes: boolean }[];
}

export interface CallsResults {
  'calls.queue': QueueSnapshot;
  'calls.list': CallRecord[];
  'calls.options': CallsOptions;
  'calls.answer': LiveCall;
  'calls.answerNext': LiveCall;
  'calls.hold': LiveCall;
  'calls.resume': LiveCall;
  'calls.hangup': { callId: string };
  'calls.transfer': { callId: string };
  'calls.dial': LiveCall;
  'calls.dtmf': { callId: string };
  'calls.mute': LiveCall;
  'calls.qualify': { callId: string };
  'calls.note': { callId: string };
  'calls.link': { callId: string };
  'callbacks.list': CallbackRecord[];
  'callbacks.outcome': CallbackRecord;
}

export type CallsEvent =
  | { type: 'calls.queue'; queue: QueueSnapshot }
  | { type: 'call.state'; call: LiveCall | (Omit<LiveCall, 'state'> & { state: 'ended'; cause: CallEndCause }) }
  | { type: 'callbacks.changed'; pending: number }
  /** The transferee reported that the transfer failed (NOTIFY sipfrag ≥ 300): the call is still ours. */
  | { type: 'call.transferFailed'; callId: string; target: string; sipCode: number; message: string };
