/**
 * The position's signing: its key registered in the log, checkpoints appended and signed, key rotation.
 * Used by the trust module (index.ts) in the console and by the CLI (`vigie keys`, `vigie export`).
 */
import { VigieError } from '../../contract/result.js';
import { GENESIS_HASH } from '../store/chain.js';
import type { Store, StoredEvent } from '../store/types.js';
import {
  CHECKPOINT,
  KEY_REGISTERED,
  TRUST_AUTHOR,
  type CheckpointPayload,
  type CheckpointReason,
  type KeyRegisteredPayload,
} from './events.js';
import {
  createKeyFile,
  discardPending,
  loadOrCreateKey,
  pendingKeyPath,
  promotePending,
  readKeyFile,
  type PositionKey,
} from './keys.js';
import { buildTree } from './merkle.js';
import { currentKeyRow, keyRow } from './projection.js';
import { checkpointStatement, formatFingerprint, keyStatement, signBytes } from './signatures.js';

export interface TrustService {
  /** The key file's key, registered in the log if it was not yet (first open of a position). */
  ensureKey(): PositionKey;
  /** Appends a signed checkpoint of this origin's chain as it stands; `merkle` adds the RFC 9162 tree head. */
  checkpoint(reason: CheckpointReason, options?: { merkle?: boolean }): StoredEvent<CheckpointPayload>;
  /** New key, registered by an event signed with the old one, then a checkpoint signed with the new one. */
  rotate(): { previous: PositionKey; current: PositionKey; checkpoint: StoredEvent<CheckpointPayload> };
  fingerprint(): string;
}

const registration = (
  store: Store,
  key: PositionKey,
  signer: PositionKey,
  previousKeyId: string | null,
  now: number,
): KeyRegisteredPayload => {
  const body = {
    algorithm: 'Ed25519' as const,
    keyId: key.keyId,
    publicKey: key.publicKey,
    previousKeyId,
    registeredAt: new Date(now).toISOString(),
  };
  return { ...body, signature: signBytes(signer.privateKey, keyStatement(store.origin, body)) };
};

/** The leaves of this origin's tree: the 32 bytes of each event hash, seq 1..upTo. */
export const originLeaves = (store: Pick<Store, 'db'>, origin: string, upTo: number): Buffer[] =>
  (
    store.db
      .prepare('SELECT hash FROM events WHERE origin = ? AND seq <= ? ORDER BY seq')
      .pluck()
      .all(origin, upTo) as string[]
  ).map((h) => Buffer.from(h, 'hex'));

export const createTrustService = (store: Store, keyFile: string, now: () => number = Date.now): TrustService => {
  let key: PositionKey | undefined;

  const ensureKey = (): PositionKey => {
    if (key !== undefined) return key;
    const pending = readKeyFile(pendingKeyPath(keyFile));
    const current = currentKeyRow(store.db, store.origin);
    // A rotation cut short after the log registered the new key: finish it; before: forget the new key.
    if (pending !== undefined) {
      if (current?.key_id === pending.keyId) promotePending(keyFile);
      else discardPending(keyFile);
    }
    const file = loadOrCreateKey(keyFile);
    if (current === undefined) {
      store.append(KEY_REGISTERED, registration(store, file, file, null, now()), TRUST_AUTHOR);
    } else if (current.key_id !== file.keyId) {
      const known = keyRow(store.db, store.origin, file.keyId) !== undefined;
      throw new VigieError(
        'unavailable',
        `La clé privée du poste (${keyFile}, clé ${file.keyId}) n'est pas sa clé en vigueur dans le journal ` +
          `(${current.key_id})${known ? ' : c’est une clé retirée' : ''}. Aucun point de contrôle ne sera signé ; remettez la bonne clé en place.`,
      );
    }
    key = file;
    return file;
  };

  const checkpoint = (reason: CheckpointReason, options: { merkle?: boolean } = {}): StoredEvent<CheckpointPayload> => {
    const signer = ensureKey();
    // Synchronous from the read of the head to the append: nothing of this process can slip in between.
    const head = store.db.prepare('SELECT seq, hash FROM heads WHERE origin = ?').get(store.origin) as
      { seq: number; hash: string } | undefined;
    const seq = head?.seq ?? 0;
    const body = {
      origin: store.origin,
      seq,
      headHash: head?.hash ?? GENESIS_HASH,
      time: new Date(now()).toISOString(),
      keyId: signer.keyId,
      reason,
      ...(options.merkle === true ? { merkleRoot: buildTree(originLeaves(store, store.origin, seq)).root } : {}),
    };
    const payload: CheckpointPayload = { ...body, signature: signBytes(signer.privateKey, checkpointStatement(body)) };
    return store.append(CHECKPOINT, payload, TRUST_AUTHOR);
  };

  return {
    ensureKey,
    checkpoint,
    rotate() {
      const previous = ensureKey();
      const pendingFile = pendingKeyPath(keyFile);
      discardPending(keyFile);
      const next = createKeyFile(pendingFile);
      store.append(KEY_REGISTERED, registration(store, next, previous, previous.keyId, now()), TRUST_AUTHOR);
      promotePending(keyFile);
      key = { ...next, file: keyFile };
      return { previous, current: key, checkpoint: checkpoint('rotation') };
    },
    fingerprint: () => formatFingerprint(ensureKey().publicKey),
  };
};
