/**
 * The trust module's events (docs/architecture.md, rule 2, "Keyed integrity"): a position's public keys and
 * its signed checkpoints, written in the log like any other fact so that they replicate with it and a
 * central server or another position can later countersign them.
 */
import { z } from 'zod';

export const KEY_REGISTERED = 'trust.keyRegistered';
export const CHECKPOINT = 'trust.checkpoint';
export const TIMESTAMPED = 'trust.timestamped';
export const COUNTERSIGNED = 'trust.countersigned';
/** Author of the trust events: the position itself, not a signed-in user. */
export const TRUST_AUTHOR = 'poste';

const hex64 = z.string().regex(/^[0-9a-f]{64}$/, '64 chiffres hexadécimaux attendus');
const keyId = z.string().regex(/^[0-9a-f]{16}$/, 'identifiant de clé : 16 chiffres hexadécimaux');
const base64 = z.string().regex(/^[A-Za-z0-9+/]*={0,2}$/, 'base64 attendu');

/**
 * A public key of this origin (Ed25519, RFC 8032). The first one is signed by itself (proof that the
 * position holds the private key); each later one (rotation) by the key it replaces.
 */
export const keyRegisteredPayload = z
  .object({
    algorithm: z.literal('Ed25519'),
    keyId,
    /** The 32 raw bytes of the public key (RFC 8032 §5.1.5), base64. */
    publicKey: base64.length(44),
    /** The key this one replaces, null for the first key of the origin. */
    previousKeyId: keyId.nullable(),
    registeredAt: z.iso.datetime(),
    /** Signature of `keyStatement(origin, payload)` (signatures.ts) by previousKeyId's key, else by this key. */
    signature: base64.length(88),
  })
  .strict();
export type KeyRegisteredPayload = z.infer<typeof keyRegisteredPayload>;

export const CHECKPOINT_REASONS = ['shift', 'timer', 'export', 'manual', 'rotation'] as const;
export type CheckpointReason = (typeof CHECKPOINT_REASONS)[number];

/**
 * A signed checkpoint: "the chain of `origin` up to `seq` ends with `headHash`", signed at `time` with the
 * origin's current key. It covers the events before it, never itself.
 */
export const checkpointPayload = z
  .object({
    origin: z.uuid(),
    seq: z.number().int().min(0),
    /** Hash of event `seq` (64 zeros for an empty chain). */
    headHash: hex64,
    time: z.iso.datetime(),
    keyId,
    reason: z.enum(CHECKPOINT_REASONS),
    /** RFC 9162 §2.1 Merkle tree head over the origin's events 1..seq (export checkpoints only). */
    merkleRoot: hex64.optional(),
    signature: base64.length(88),
  })
  .strict();
export type CheckpointPayload = z.infer<typeof checkpointPayload>;

/** An RFC 3161 time-stamp token over a checkpoint's signed statement, from the configured authority. */
export const timestampedPayload = z
  .object({
    /** Id of the trust.checkpoint event stamped. */
    checkpointId: z.uuid(),
    authority: z.string().max(2000),
    /** DER TimeStampResp (RFC 3161 §2.4.2), base64. */
    response: base64.max(200_000),
  })
  .strict();
export type TimestampedPayload = z.infer<typeof timestampedPayload>;

/** Most checkpoints one countersignature lists; more arriving at once are split over several events. */
export const MAX_COUNTERSIGNED = 200;

/**
 * One checkpoint of another position, as the witness verified and applied it: the subject's whole signed
 * checkpoint (its signature included, so that anyone holding the subject's public key can check that the
 * subject signed it and a witness cannot put words in its mouth) and the id of its event.
 */
export const countersignedItem = checkpointPayload.extend({ checkpointId: z.uuid() }).strict();
export type CountersignedItem = z.infer<typeof countersignedItem>;

/**
 * A countersignature (docs/architecture.md, "Replication", witnesses): the position that writes it
 * (the witness: the event's origin) says « I verified these checkpoints of other positions, and my log
 * holds those chains up to those hashes », signed with its own key in force. Every position compares the
 * countersignatures it receives with its own log and with each other (witness.ts): a position that shows
 * different histories to different peers is found out.
 */
export const countersignedPayload = z
  .object({
    items: z.array(countersignedItem).min(1).max(MAX_COUNTERSIGNED),
    time: z.iso.datetime(),
    keyId,
    /** Signature of `countersignatureStatement(witness, payload)` (signatures.ts) by keyId's key. */
    signature: base64.length(88),
  })
  .strict();
export type CountersignedPayload = z.infer<typeof countersignedPayload>;

export const trustEventTypes = [
  { type: KEY_REGISTERED, schema: keyRegisteredPayload },
  { type: CHECKPOINT, schema: checkpointPayload },
  { type: TIMESTAMPED, schema: timestampedPayload },
  { type: COUNTERSIGNED, schema: countersignedPayload },
];
