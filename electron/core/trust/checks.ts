/**
 * The trust events of other positions are verified before they are applied (docs/architecture.md,
 * "Replication", witnesses; store/remote-checks.ts): a key registration is signed by itself (the first one)
 * or by the key it replaces; a checkpoint by its origin's key in force, and the head hash it attests is the
 * hash of its origin's event at that seq, in the log or earlier in the same batch; a countersignature by
 * its witness's key in force. The same rules as `vigie verify` (verify.ts), asked one event at a time. A
 * refusal sends the event and the later ones of its origin to the replication quarantine.
 */
import type Database from 'better-sqlite3';
import type { z } from 'zod';
import { GENESIS_HASH } from '../store/chain.js';
import type { RemoteCheck, RemoteCheckContext, RemoteCheckRefusal } from '../store/remote-checks.js';
import type { EventTypeDef, RemoteEvent } from '../store/types.js';
import {
  CHECKPOINT,
  COUNTERSIGNED,
  KEY_REGISTERED,
  checkpointPayload,
  countersignedPayload,
  keyRegisteredPayload,
  trustEventTypes,
} from './events.js';
import { checkpointStatement, countersignatureStatement, keyIdOf, keyStatement, verifyBytes } from './signatures.js';

interface KeyInForce {
  keyId: string;
  publicKey: string;
}

const latestKey = new WeakMap<Database.Database, Database.Statement>();

const parse = <T>(schema: z.ZodType<T>, event: RemoteEvent): T | undefined => {
  // checkRemote has already parsed the payload against this schema: a failure here is not expected.
  const parsed = schema.safeParse(JSON.parse(event.payloadJson));
  return parsed.success ? parsed.data : undefined;
};

/**
 * The key in force for `origin` at this point of its chain: its latest registration earlier in the batch,
 * else the latest one in the log (trust_keys, the projection of registrations each checked as it entered).
 */
const keyInForce = (ctx: RemoteCheckContext, origin: string): KeyInForce | undefined => {
  const batch = ctx.batchOf(origin);
  for (let i = batch.length - 1; i >= 0; i -= 1) {
    const e = batch[i];
    if (e?.type !== KEY_REGISTERED) continue;
    const k = parse(keyRegisteredPayload, e);
    if (k !== undefined) return { keyId: k.keyId, publicKey: k.publicKey };
  }
  let select = latestKey.get(ctx.db);
  if (select === undefined) {
    select = ctx.db.prepare(
      'SELECT key_id AS keyId, public_key AS publicKey FROM trust_keys WHERE origin = ? ORDER BY event_seq DESC LIMIT 1',
    );
    latestKey.set(ctx.db, select);
  }
  return select.get(origin) as KeyInForce | undefined; // aliased to KeyInForce's two text fields
};

const refuse = (problem: RemoteCheckRefusal['problem'], message: string): RemoteCheckRefusal => ({ problem, message });
const unreadable = (what: string): RemoteCheckRefusal => refuse('invalid', `${what} illisible`);

const checkKey: RemoteCheck = (ctx, event) => {
  const k = parse(keyRegisteredPayload, event);
  if (k === undefined) return unreadable('enregistrement de clé');
  if (keyIdOf(k.publicKey) !== k.keyId)
    return refuse('signature', `identifiant de clé ${k.keyId} faux pour sa clé publique`);
  const current = keyInForce(ctx, event.origin);
  if (k.previousKeyId !== (current?.keyId ?? null))
    return refuse(
      'signature',
      `clé ${k.keyId} : remplace ${k.previousKeyId ?? 'aucune clé'}, la clé en vigueur est ${current?.keyId ?? 'aucune'}`,
    );
  // The first key proves its holder has the private key; a later one is vouched for by the key it replaces.
  if (!verifyBytes(current?.publicKey ?? k.publicKey, keyStatement(event.origin, k), k.signature))
    return refuse(
      'signature',
      `signature invalide de l'enregistrement de la clé ${k.keyId}${current === undefined ? '' : ` (par la clé ${current.keyId})`}`,
    );
  return undefined;
};

export const checkCheckpoint: RemoteCheck = (ctx, event) => {
  const c = parse(checkpointPayload, event);
  if (c === undefined) return unreadable('point de contrôle');
  // A checkpoint attests its own origin's chain, before itself (it covers the events before it, never itself).
  if (c.origin !== event.origin || c.seq >= event.seq)
    return refuse('invalid', `point de contrôle de ${c.origin} seq ${c.seq} écrit dans la chaîne ${event.origin}`);
  const current = keyInForce(ctx, event.origin);
  if (current?.keyId !== c.keyId)
    return refuse(
      'signature',
      `point de contrôle signé par la clé ${c.keyId}, qui n'est pas la clé en vigueur (${current?.keyId ?? 'aucune clé enregistrée'})`,
    );
  if (!verifyBytes(current.publicKey, checkpointStatement(c), c.signature))
    return refuse('signature', `signature invalide du point de contrôle (seq ${c.seq}, clé ${c.keyId}, ${c.time})`);
  const actual = c.seq === 0 ? GENESIS_HASH : ctx.eventAt(event.origin, c.seq)?.hash;
  if (actual !== c.headHash)
    return refuse(
      'checkpoint',
      `le point de contrôle signé du ${c.time} atteste le hash ${c.headHash.slice(0, 16)}… de l'événement seq ${c.seq}, ` +
        `la chaîne reçue porte ${actual === undefined ? 'aucun événement' : `${actual.slice(0, 16)}…`}`,
    );
  return undefined;
};

const checkCountersignature: RemoteCheck = (ctx, event) => {
  const c = parse(countersignedPayload, event);
  if (c === undefined) return unreadable('contre-signature');
  const current = keyInForce(ctx, event.origin);
  if (current?.keyId !== c.keyId)
    return refuse(
      'signature',
      `contre-signature par la clé ${c.keyId}, qui n'est pas la clé en vigueur du témoin (${current?.keyId ?? 'aucune clé enregistrée'})`,
    );
  // What it attests is not compared here: a countersignature that disagrees with this log is evidence of an
  // equivocation (witness.ts), to be kept, never refused.
  if (!verifyBytes(current.publicKey, countersignatureStatement(event.origin, c), c.signature))
    return refuse('signature', `signature invalide de la contre-signature du ${c.time} (clé ${c.keyId})`);
  return undefined;
};

const checks: ReadonlyMap<string, RemoteCheck> = new Map([
  [KEY_REGISTERED, checkKey],
  [CHECKPOINT, checkCheckpoint],
  [COUNTERSIGNED, checkCountersignature],
]);

/** The trust module's event types with their remote checks (what the module declares to the store). */
export const checkedTrustEventTypes: readonly EventTypeDef[] = trustEventTypes.map((d) => {
  const remoteCheck = checks.get(d.type);
  return remoteCheck === undefined ? d : { ...d, remoteCheck };
});
