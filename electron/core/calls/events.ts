/**
 * The call log events (zod schemas of their payloads). Every call transition is one of these, appended
 * in the process that owns the database; the `calls` and `callbacks` tables are projections of them.
 * Times are wall-clock ms since epoch taken when the transition happened (the HLC orders events across
 * positions; `at` gives the durations the log shows). Operator = event author, position = event origin.
 */
import { z } from 'zod';
import { codeSchema } from '../../contract/calls.js';
import { endCauses } from './state.js';

const id = z.string().min(1).max(64);
const at = z.number().int().nonnegative();
const code = codeSchema;

export const callOfferedSchema = z.object({
  callId: id,
  direction: z.enum(['in', 'out']),
  /** SIP Call-ID: the same call ringing at several positions shares it (RFC 3261 §8.1.1.4). */
  sipCallId: z.string().min(1).max(256),
  line: z.object({
    number: z.string().max(64),
    label: z.string().max(80),
    priority: z.number().int(),
    configured: z.boolean(),
  }),
  /** The remote party: the caller for incoming calls, the callee for outgoing ones. */
  caller: z.object({ number: z.string().max(64), name: z.string().max(120).nullable() }),
  at,
});
export const callAnsweredSchema = z.object({ callId: id, at });
export const callHeldSchema = z.object({ callId: id, at });
export const callResumedSchema = z.object({ callId: id, at });
export const callTransferredSchema = z.object({
  callId: id,
  at,
  mode: z.enum(['blind', 'attended']),
  target: z.string().min(1).max(256),
  /** Attended transfer: the consultation call whose dialog the REFER replaces (RFC 3891). */
  consultCallId: id.optional(),
});
export const callEndedSchema = z.object({
  callId: id,
  at,
  cause: z.enum(endCauses),
  sipCode: z.number().int().min(100).max(699).optional(),
  detail: z.string().max(200).optional(),
});
export const callQualifiedSchema = z.object({ callId: id, at, code, label: z.string().min(1).max(80) });
export const callNotedSchema = z.object({ callId: id, at, text: z.string().min(1).max(4000) });
export const linkKinds = ['entry', 'operation', 'call'] as const;
export const callLinkedSchema = z.object({ callId: id, at, kind: z.enum(linkKinds), targetId: id });
export const callbackOutcomeEventSchema = z.object({
  callbackId: id,
  at,
  code,
  label: z.string().min(1).max(80),
  closes: z.boolean(),
  note: z.string().max(2000).optional(),
});

export type CallOffered = z.infer<typeof callOfferedSchema>;
export type CallAnswered = z.infer<typeof callAnsweredSchema>;
export type CallHeld = z.infer<typeof callHeldSchema>;
export type CallResumed = z.infer<typeof callResumedSchema>;
export type CallTransferred = z.infer<typeof callTransferredSchema>;
export type CallEnded = z.infer<typeof callEndedSchema>;
export type CallQualified = z.infer<typeof callQualifiedSchema>;
export type CallNoted = z.infer<typeof callNotedSchema>;
export type CallLinked = z.infer<typeof callLinkedSchema>;
export type CallbackOutcomeEvent = z.infer<typeof callbackOutcomeEventSchema>;

/** Event type name → payload schema. */
export const callSchemas = {
  'call.offered': callOfferedSchema,
  'call.answered': callAnsweredSchema,
  'call.held': callHeldSchema,
  'call.resumed': callResumedSchema,
  'call.transferred': callTransferredSchema,
  'call.ended': callEndedSchema,
  'call.qualified': callQualifiedSchema,
  'call.noted': callNotedSchema,
  'call.linked': callLinkedSchema,
  'callback.outcome': callbackOutcomeEventSchema,
} as const;
export type CallEventType = keyof typeof callSchemas;
export type CallPayload<T extends CallEventType> = z.infer<(typeof callSchemas)[T]>;

/** What the store registers (StoreOptions.eventTypes). */
export const eventTypes: readonly { type: CallEventType; schema: z.ZodType }[] = (
  Object.keys(callSchemas) as CallEventType[]
).map((type) => ({ type, schema: callSchemas[type] }));
