/**
 * The messages between the core and its SIP child process, both ways, as zod schemas. Each side parses
 * what it receives: for the core the child's messages are network input (they carry what callers sent),
 * so a malformed one is dropped and logged, never thrown (docs/architecture.md, "Validation at the edges").
 */
import { z } from 'zod';
import { telephonyConfigSchema } from './config.js';

const sid = z.string().min(1).max(64);
/** Header values are bounded by the child before sending; longer ones would be a broken child. */
const header = z.string().max(16_384).optional();
const text = z.string().max(2_000);
const sipCode = z.number().int().min(100).max(699);

export const registrationStateSchema = z.object({
  state: z.enum(['disabled', 'connecting', 'registered', 'lost']),
  registrar: z.string().max(512).nullable(),
  detail: z.string().max(500),
});

export const commandOps = [
  'accept',
  'reject',
  'bye',
  'cancel',
  'hold',
  'resume',
  'refer',
  'dtmf',
  'dial',
  'mute',
  'dispose',
] as const;
export type CommandOp = (typeof commandOps)[number];

export const commandSchema = z.object({
  t: z.literal('cmd'),
  id: z.number().int().nonnegative(),
  op: z.enum(commandOps),
  sid,
  code: sipCode.optional(),
  target: z.string().min(1).max(256).optional(),
  replacesSid: sid.optional(),
  digits: z
    .string()
    .regex(/^[0-9A-D*#]{1,32}$/)
    .optional(),
  muted: z.boolean().optional(),
});
export type Command = z.infer<typeof commandSchema>;

/** SDP between the child and the core: bounded like the contract's (contract/renderer.ts, MAX_SDP_BYTES). */
const sdp = z.string().min(1).max(16_384);
const direction = z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/**
 * The child's SessionDescriptionHandler asking the media owner (through the core) to act on a session's
 * media (sip/channel-bridge.ts ⇄ media-relay.ts). Each is answered by one `mediaResult` with the same id.
 */
export const mediaRequestSchema = z.discriminatedUnion('op', [
  z.object({
    t: z.literal('media'),
    id: z.number().int().nonnegative(),
    sid,
    op: z.literal('getDescription'),
    direction,
  }),
  z.object({
    t: z.literal('media'),
    id: z.number().int().nonnegative(),
    sid,
    op: z.literal('setDescription'),
    type: z.enum(['offer', 'answer']),
    sdp,
  }),
  z.object({
    t: z.literal('media'),
    id: z.number().int().nonnegative(),
    sid,
    op: z.literal('dtmf'),
    tones: z.string().regex(/^[0-9A-D*#]{1,32}$/),
  }),
  z.object({
    t: z.literal('media'),
    id: z.number().int().nonnegative(),
    sid,
    op: z.literal('mute'),
    muted: z.boolean(),
  }),
  z.object({ t: z.literal('media'), id: z.number().int().nonnegative(), sid, op: z.literal('close') }),
]);
export type MediaRequest = z.infer<typeof mediaRequestSchema>;

export const mediaResultSchema = z.discriminatedUnion('ok', [
  z.object({
    t: z.literal('mediaResult'),
    id: z.number().int().nonnegative(),
    ok: z.literal(true),
    /** getDescription: the complete local SDP (non-trickle ICE). */
    sdp: sdp.optional(),
    /** dtmf: false when the media cannot send telephone-events. */
    sent: z.boolean().optional(),
  }),
  z.object({ t: z.literal('mediaResult'), id: z.number().int().nonnegative(), ok: z.literal(false), message: text }),
]);
export type MediaResult = z.infer<typeof mediaResultSchema>;

/** Core → child. */
export const toChildSchema = z.discriminatedUnion('t', [
  z.object({
    t: z.literal('start'),
    config: telephonyConfigSchema,
    /** See CallDesk: 'info' sends DTMF as SIP INFO (the null media handler has no RTP). */
    dtmfMethod: z.enum(['media', 'info']),
    /** Offers not yet acknowledged as durable above which new INVITEs are answered 503. */
    maxPendingOffers: z.number().int().min(1).max(10_000),
  }),
  z.object({ t: z.literal('ping'), seq: z.number().int().nonnegative() }),
  /** The core appended `call.offered` (durable) or refused it: the child may ring, or answers 500. */
  z.object({ t: z.literal('ack'), sid, durable: z.boolean() }),
  commandSchema,
  mediaResultSchema,
  /** A simulated drill's cut of the SIP transport (electron/core/drills), and its end. */
  z.object({ t: z.literal('simulate'), lost: z.boolean() }),
  z.object({ t: z.literal('stop') }),
]);
export type ToChild = z.infer<typeof toChildSchema>;

const factSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('confirmed'), sid }),
  z.object({ kind: z.literal('cancelled'), sid, elsewhere: z.boolean() }),
  z.object({ kind: z.literal('bye'), sid }),
  z.object({ kind: z.literal('rejected'), sid, code: sipCode }),
  z.object({ kind: z.literal('terminated'), sid }),
  z.object({ kind: z.literal('transferNotify'), sid, code: z.number().int().min(0).max(699) }),
]);

/** Child → core. */
export const fromChildSchema = z.discriminatedUnion('t', [
  z.object({ t: z.literal('ready') }),
  /** `lagMs`: how late the child's own timers ran lately (a busy event loop is not a dead one). */
  z.object({ t: z.literal('pong'), seq: z.number().int().nonnegative(), lagMs: z.number().nonnegative() }),
  z.object({ t: z.literal('registration'), state: registrationStateSchema }),
  z.object({
    t: z.literal('offer'),
    sid,
    sipCallId: z.string().min(1).max(256),
    headers: z.object({ to: header, pCalledPartyId: header, diversion: header }),
    pAssertedIdentity: header,
    fromUser: header,
    displayName: header,
  }),
  z.object({ t: z.literal('fact'), fact: factSchema }),
  z.discriminatedUnion('ok', [
    z.object({
      t: z.literal('result'),
      id: z.number().int().nonnegative(),
      ok: z.literal(true),
      /** dial only. */
      dialled: z.object({ sipCallId: z.string().min(1).max(256), number: z.string().max(256) }).optional(),
      /** When the request or response left the child (ms, performance.timeOrigin + now(): comparable across processes). */
      sentAt: z.number().optional(),
    }),
    z.object({
      t: z.literal('result'),
      id: z.number().int().nonnegative(),
      ok: z.literal(false),
      code: z.enum(['invalid_argument', 'not_found', 'conflict', 'unavailable']),
      message: text,
    }),
  ]),
  /** Overload: INVITEs refused with 503 since the last report (batched, about once a second). */
  z.object({
    t: z.literal('refused'),
    count: z.number().int().positive(),
    numbers: z.array(z.string().max(64)).max(50),
    from: z.number(),
    to: z.number(),
  }),
  mediaRequestSchema,
  z.object({ t: z.literal('log'), level: z.enum(['info', 'warn', 'error']), message: text }),
  /** The child is about to exit on an error nobody caught. */
  z.object({ t: z.literal('fatal'), reason: text }),
]);
export type FromChild = z.infer<typeof fromChildSchema>;

/** `.catch`-style parse for received messages: the parsed message, or a short French reason. */
export const parseMessage = <S extends z.ZodType>(
  schema: S,
  raw: unknown,
): { ok: true; message: z.output<S> } | { ok: false; reason: string } => {
  const parsed = schema.safeParse(raw);
  if (parsed.success) return { ok: true, message: parsed.data };
  const first = parsed.error.issues[0];
  return {
    ok: false,
    reason: `message invalide (${first === undefined ? 'inconnu' : `${first.path.join('.') || 'racine'} : ${first.message}`})`,
  };
};
