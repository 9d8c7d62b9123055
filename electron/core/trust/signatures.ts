/**
 * What a position signs, byte for byte. Ed25519 (RFC 8032, `node:crypto` sign/verify with a null digest:
 * Ed25519 hashes internally) over the UTF-8 bytes of the canonical JSON (RFC 8785, store/canonical.ts) of
 * a statement that names its own purpose, so that a signature made for one kind of statement can never
 * be replayed as another.
 */
import { createHash, createPrivateKey, createPublicKey, sign, verify, type KeyObject } from 'node:crypto';
import { canonicalJson } from '../store/canonical.js';
import type { CheckpointPayload, CountersignedPayload, KeyRegisteredPayload } from './events.js';

export const CHECKPOINT_STATEMENT = 'vigie.checkpoint.v1';
export const KEY_STATEMENT = 'vigie.key.v1';
export const BUNDLE_STATEMENT = 'vigie.bundle.v1';
export const COUNTERSIGNATURE_STATEMENT = 'vigie.countersignature.v1';

/** The bytes a checkpoint's signature covers: every field of the payload but the signature itself. */
export const checkpointStatement = (c: Omit<CheckpointPayload, 'signature'>): Buffer =>
  Buffer.from(
    canonicalJson({
      statement: CHECKPOINT_STATEMENT,
      origin: c.origin,
      seq: c.seq,
      headHash: c.headHash,
      time: c.time,
      keyId: c.keyId,
      reason: c.reason,
      merkleRoot: c.merkleRoot,
    }),
    'utf8',
  );

/** The bytes a key registration's signature covers (origin included: a key belongs to one position). */
export const keyStatement = (origin: string, k: Omit<KeyRegisteredPayload, 'signature'>): Buffer =>
  Buffer.from(
    canonicalJson({
      statement: KEY_STATEMENT,
      origin,
      algorithm: k.algorithm,
      keyId: k.keyId,
      publicKey: k.publicKey,
      previousKeyId: k.previousKeyId,
      registeredAt: k.registeredAt,
    }),
    'utf8',
  );

/** The bytes a countersignature covers: the witness (the event's origin) and every field but the signature. */
export const countersignatureStatement = (witness: string, c: Omit<CountersignedPayload, 'signature'>): Buffer =>
  Buffer.from(
    canonicalJson({
      statement: COUNTERSIGNATURE_STATEMENT,
      witness,
      items: c.items.map((i) => ({
        origin: i.origin,
        seq: i.seq,
        headHash: i.headHash,
        time: i.time,
        keyId: i.keyId,
        reason: i.reason,
        merkleRoot: i.merkleRoot,
        signature: i.signature,
        checkpointId: i.checkpointId,
      })),
      time: c.time,
      keyId: c.keyId,
    }),
    'utf8',
  );

/** Raw 32-byte Ed25519 public key (RFC 8032 §5.1.5) of a key object, base64. */
export const rawPublicKey = (key: KeyObject): string => {
  const jwk = createPublicKey(key).export({ format: 'jwk' });
  if (typeof jwk.x !== 'string') throw new Error('clé Ed25519 sans composante publique');
  return Buffer.from(jwk.x, 'base64url').toString('base64');
};

export const publicKeyFromRaw = (raw: string): KeyObject =>
  createPublicKey({
    key: { kty: 'OKP', crv: 'Ed25519', x: Buffer.from(raw, 'base64').toString('base64url') },
    format: 'jwk',
  });

/** SHA-256 of the raw public key, hex: the fingerprint printed on paper; its first 16 digits are the key id. */
export const fingerprintHex = (rawPublicKeyB64: string): string =>
  createHash('sha256').update(Buffer.from(rawPublicKeyB64, 'base64')).digest('hex');
export const keyIdOf = (rawPublicKeyB64: string): string => fingerprintHex(rawPublicKeyB64).slice(0, 16);
/** The fingerprint as printed: 16 groups of 4 hex digits. */
export const formatFingerprint = (rawPublicKeyB64: string): string =>
  (fingerprintHex(rawPublicKeyB64).match(/.{4}/g) ?? []).join(' ');

export const signBytes = (privateKey: KeyObject, data: Buffer): string =>
  sign(null, data, privateKey).toString('base64');

export const verifyBytes = (rawPublicKeyB64: string, data: Buffer, signatureB64: string): boolean => {
  try {
    return verify(null, data, publicKeyFromRaw(rawPublicKeyB64), Buffer.from(signatureB64, 'base64'));
  } catch {
    // A public key that does not parse verifies nothing.
    return false;
  }
};

export const privateKeyFromPem = (pem: string): KeyObject => createPrivateKey({ key: pem, format: 'pem' });
