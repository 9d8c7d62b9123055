import { randomBytes, scryptSync, timingSafeEqual } from 'node:crypto';

// scrypt (RFC 7914) with Node's defaults N=16384, r=8, p=1: about 50 ms, enough for a 4–8 digit PIN
// that only guards a sign-in at a console in a locked room, not a remote login.
const KEY_LENGTH = 32;

/** "scrypt$<salt hex>$<key hex>" */
export const hashPin = (pin: string): string => {
  const salt = randomBytes(16);
  return `scrypt$${salt.toString('hex')}$${scryptSync(pin, salt, KEY_LENGTH).toString('hex')}`;
};

export const verifyPin = (pin: string, stored: string): boolean => {
  const [scheme, saltHex, keyHex] = stored.split('$');
  if (scheme !== 'scrypt' || saltHex === undefined || keyHex === undefined) return false;
  const expected = Buffer.from(keyHex, 'hex');
  const actual = scryptSync(pin, Buffer.from(saltHex, 'hex'), expected.length);
  return expected.length === KEY_LENGTH && timingSafeEqual(actual, expected);
};
