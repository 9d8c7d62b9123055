/**
 * The events of the main courante and of what it records (sessions, shifts, operations). Payloads are
 * validated by the store on append (zod), and bounded: a replicated event cannot bloat the database.
 */
import { z } from 'zod';
import { logbookTextSchema } from '../../contract/logbook.js';
import { ROLES } from '../../contract/session.js';
import type { EventTypeDef } from '../store/types.js';
import { LOGBOOK_ENTRY, logbookEntryPayload } from './events.js';

const id = z.string().min(1).max(64);
const iso = z.iso.datetime({ offset: true });
const name = z.string().min(1).max(60);
const position = z.string().min(1).max(40);
/**
 * `logbook.entry`: one inscription. Only `text` and `category` are required (what `vigie append`
 * writes); the time written is the event's HLC physical time, stamped inside the append transaction.
 * Extends the loose payload of events.ts (unknown fields from newer versions are kept and hashed).
 */
export const entryPayloadSchema = logbookEntryPayload.extend({
  /** When the fact happened, if earlier than the writing ("saisie différée"). */
  factAt: iso.optional(),
  important: z.boolean().optional(),
  operationId: id.optional(),
  callId: id.optional(),
  shiftId: id.optional(),
  position: position.optional(),
  role: z.enum(ROLES).optional(),
});
export type EntryPayload = z.output<typeof entryPayloadSchema>;

/**
 * A logbook.entry payload as the projection reads it: what `entryPayloadSchema.parse` gives. Every event of
 * the log passed that schema when it was appended or received (store.ts `prepare`, remote.ts `checkRemote`),
 * and on a valid payload the schema changes nothing but blanks around `text` and `category`: a payload
 * whose two strings have none is used as it is — the cast restates the schema's type — which spares a
 * schema run (refinements included) per entry of a rebuild. Any other payload goes through the schema.
 */
export const readEntryPayload = (payload: unknown): EntryPayload => {
  if (typeof payload === 'object' && payload !== null && !Array.isArray(payload)) {
    const p = payload as { text?: unknown; category?: unknown };
    if (typeof p.text === 'string' && typeof p.category === 'string' && p.text !== '' && p.category !== '')
      if (p.text === p.text.trim() && p.category === p.category.trim()) return payload as EntryPayload;
  }
  return entryPayloadSchema.parse(payload);
};

export const userEnrolledSchema = z
  .object({ name, role: z.enum(ROLES), pinHash: z.string().max(200).nullable() })
  .strict();
export const userPinSetSchema = z.object({ name, pinHash: z.string().max(200) }).strict();
/** `userId` since the roster (absent from sessions written by earlier versions). */
export const signedInSchema = z
  .object({ sessionId: id, userId: id.optional(), name, role: z.enum(ROLES), position })
  .strict();
/** A PIN verifier (pin.ts): keyed, so useless without the PIN key that never enters the log. */
const verifier = z.string().min(1).max(300);
export const userAddedSchema = z
  .object({ userId: id, name, role: z.enum(ROLES), pinVerifier: verifier.nullable(), position })
  .strict();
export const userPinResetSchema = z.object({ userId: id, pinVerifier: verifier, position }).strict();
export const userRoleSetSchema = z.object({ userId: id, role: z.enum(ROLES), position }).strict();
/** Why a sign-in was refused; only 'pin' counts towards the lock (sessions.ts). */
export const SIGN_IN_FAILURES = ['pin', 'locked', 'delay', 'no_pin', 'other_key'] as const;
export const userSignInFailedSchema = z.object({ userId: id, position, reason: z.enum(SIGN_IN_FAILURES) }).strict();
export const userUnlockedSchema = z.object({ userId: id, position }).strict();
export const signedOutSchema = z.object({ sessionId: id, reason: z.enum(['signOut', 'replaced']) }).strict();

const handoverOperation = z.object({ id, title: z.string().max(120), commune: z.string().max(60) }).strict();
const handoverCallback = z
  .object({
    id,
    number: z.string().max(64),
    label: z.string().max(200),
    abandonedAt: iso.optional(),
    attempts: z.number().int().min(0).max(10_000).optional(),
  })
  .strict();

export const shiftOpenedSchema = z
  .object({ shiftId: id, team: z.array(name).min(1).max(30), position, role: z.enum(ROLES) })
  .strict();
export const shiftClosedSchema = z
  .object({
    shiftId: id,
    consignes: logbookTextSchema,
    openOperations: z.array(handoverOperation).max(500),
    pendingCallbacks: z.array(handoverCallback).max(2000),
    position,
    role: z.enum(ROLES),
  })
  .strict();

export const operationCreatedSchema = z
  .object({
    operationId: id,
    title: z.string().min(1).max(120),
    type: z.string().min(1).max(40),
    communeId: z.string().min(1).max(40),
    commune: z.string().min(1).max(60),
    province: z.string().min(1).max(40),
    position,
    role: z.enum(ROLES),
  })
  .strict();
export const operationClosedSchema = z
  .object({ operationId: id, summary: z.string().max(2000).optional(), position, role: z.enum(ROLES) })
  .strict();

/** `logbook.operationLinked`: an existing entry rattachée to an operation (links.ts). */
export const operationLinkedSchema = z.object({ entryId: id, operationId: id, position, role: z.enum(ROLES) }).strict();

export const logbookEventTypes = [
  { type: LOGBOOK_ENTRY, schema: entryPayloadSchema },
  { type: 'user.enrolled', schema: userEnrolledSchema },
  { type: 'user.pinSet', schema: userPinSetSchema },
  { type: 'user.added', schema: userAddedSchema },
  { type: 'user.pinReset', schema: userPinResetSchema },
  { type: 'user.roleSet', schema: userRoleSetSchema },
  { type: 'user.signInFailed', schema: userSignInFailedSchema },
  { type: 'user.unlocked', schema: userUnlockedSchema },
  { type: 'session.signedIn', schema: signedInSchema },
  { type: 'session.signedOut', schema: signedOutSchema },
  { type: 'shift.opened', schema: shiftOpenedSchema },
  { type: 'shift.closed', schema: shiftClosedSchema },
  { type: 'operation.created', schema: operationCreatedSchema },
  { type: 'operation.closed', schema: operationClosedSchema },
  { type: 'logbook.operationLinked', schema: operationLinkedSchema },
] as const satisfies readonly EventTypeDef[];
