/**
 * PIN verifiers. A PIN has 10^4 to 10^8 values: no hash alone makes that slow to exhaust offline at a
 * cost a sign-in can pay. So the verifier is keyed: scrypt (RFC 7914) of HMAC-SHA-256(PIN key, PIN),
 * where the PIN key is a 256-bit deployment secret kept in a 0600 file outside the data directory
 * (pin-key.ts) — never in the database, its events or its backups. Without that file a stolen database
 * or backup gives nothing to guess against; with it, scrypt's cost still applies. The calculation is in
 * README.md ("PIN verifiers").
 *
 * `crypto.scrypt` (async) runs in libuv's thread pool, never on the core's event loop: a burst of wrong
 * PINs does not hold up `status.get` or an append. At most MAX_IN_FLIGHT run at once, so that sign-in
 * attempts cannot take the whole pool from SQLite backups and file I/O.
 */
import { createHash, createHmac, randomBytes, scrypt, timingSafeEqual } from 'node:crypto';

const SCHEME = 'scrypt-k1';
const KEY_LENGTH = 32;
/** N = 2^15, r = 8, p = 1: 32 MiB and about 160 ms per PIN here (README "PIN verifiers"). */
const COST = { N: 32_768, r: 8, p: 1 } as const;
const maxmem = (n: number, r: number): number => 256 * n * r;
const MAX_IN_FLIGHT = 2;

export type PinCheck = 'ok' | 'wrong' | 'other_key' | 'unusable';

let inFlight = 0;
const waiting: (() => void)[] = [];
const slot = async <T>(fn: () => Promise<T>): Promise<T> => {
  if (inFlight >= MAX_IN_FLIGHT) await new Promise<void>((resolve) => waiting.push(resolve));
  inFlight += 1;
  try {
    return await fn();
  } finally {
    inFlight -= 1;
    waiting.shift()?.();
  }
};

const derive = (secret: Buffer, salt: Buffer, cost: { N: number; r: number; p: number }): Promise<Buffer> =>
  slot(
    () =>
      new Promise<Buffer>((resolve, reject) =>
        scrypt(secret, salt, KEY_LENGTH, { ...cost, maxmem: 2 * maxmem(cost.N, cost.r) }, (error, key) =>
          error === null ? resolve(key) : reject(error),
        ),
      ),
  );

const keyed = (pin: string, pinKey: Buffer): Buffer => createHmac('sha256', pinKey).update(pin, 'utf8').digest();

/** Which PIN key made a verifier: 8 hex digits of SHA-256 of the key (says "other key", never helps guess). */
export const pinKeyId = (pinKey: Buffer): string => createHash('sha256').update(pinKey).digest('hex').slice(0, 8);

/** "scrypt-k1$<key id>$<N>$<r>$<p>$<salt hex>$<derived hex>" */
export const hashPin = async (pin: string, pinKey: Buffer): Promise<string> => {
  const salt = randomBytes(16);
  const key = await derive(keyed(pin, pinKey), salt, COST);
  return [SCHEME, pinKeyId(pinKey), COST.N, COST.r, COST.p, salt.toString('hex'), key.toString('hex')].join('$');
};

/**
 * 'other_key': made with another PIN key (the key file was replaced): the PIN cannot be checked, and
 * the attempt says so instead of counting as a wrong PIN. 'unusable': not a verifier of this scheme
 * (e.g. the unkeyed hashes of earlier versions, README "Upgrade").
 */
export const checkPin = async (pin: string, stored: string, pinKey: Buffer): Promise<PinCheck> => {
  const [scheme, kid, n, r, p, saltHex, keyHex, ...rest] = stored.split('$');
  if (scheme !== SCHEME || rest.length > 0 || saltHex === undefined || keyHex === undefined) return 'unusable';
  if (kid !== pinKeyId(pinKey)) return 'other_key';
  const cost = { N: Number(n), r: Number(r), p: Number(p) };
  // Only the costs this code writes, or stronger ones within bounds: a forged row cannot make the core
  // allocate gigabytes.
  if (!(cost.N >= COST.N && cost.N <= 2 ** 17 && cost.r === COST.r && cost.p === COST.p)) return 'unusable';
  const expected = Buffer.from(keyHex, 'hex');
  if (expected.length !== KEY_LENGTH) return 'unusable';
  const actual = await derive(keyed(pin, pinKey), Buffer.from(saltHex, 'hex'), cost);
  return timingSafeEqual(actual, expected) ? 'ok' : 'wrong';
};
