/**
 * RFC 3161 time-stamping of a checkpoint: a TimeStampReq (§2.4.1) over SHA-256 of the checkpoint's signed
 * statement, POSTed as `application/timestamp-query` (§3.4), the TimeStampResp kept as it came in a
 * `trust.timestamped` event. The request is DER written by hand (X.690 §8): it has five fixed fields.
 */
import { createHash, randomBytes } from 'node:crypto';

const derLength = (n: number): Buffer =>
  n < 0x80 ? Buffer.from([n]) : n < 0x100 ? Buffer.from([0x81, n]) : Buffer.from([0x82, n >> 8, n & 0xff]);
const tlv = (tag: number, body: Buffer): Buffer => Buffer.concat([Buffer.from([tag]), derLength(body.length), body]);
/** id-sha256 (RFC 5754 §2.2) with NULL parameters. */
const SHA256_ALGORITHM = Buffer.from('300d06096086480165030402010500', 'hex');

/** A positive INTEGER from big-endian bytes (a leading 0x00 when the top bit is set, X.690 §8.3). */
const positiveInteger = (bytes: Buffer): Buffer =>
  tlv(0x02, bytes[0] !== undefined && bytes[0] >= 0x80 ? Buffer.concat([Buffer.from([0]), bytes]) : bytes);

export const timeStampRequest = (digest: Buffer, nonce: Buffer = randomBytes(8)): Buffer =>
  tlv(
    0x30,
    Buffer.concat([
      tlv(0x02, Buffer.from([1])),
      tlv(0x30, Buffer.concat([SHA256_ALGORITHM, tlv(0x04, digest)])),
      positiveInteger(nonce),
      // certReq TRUE: the TSA's certificate comes with the token, so that it can be checked offline.
      tlv(0x01, Buffer.from([0xff])),
    ]),
  );

export const sha256 = (data: Buffer): Buffer => createHash('sha256').update(data).digest();

/** Asks the authority; resolves to the DER TimeStampResp. */
export const requestTimestamp = async (url: string, data: Buffer, timeoutMs = 10_000): Promise<Buffer> => {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/timestamp-query' },
    body: timeStampRequest(sha256(data)),
    signal: AbortSignal.timeout(timeoutMs),
  });
  if (!response.ok) throw new Error(`horodatage refusé par ${url} : HTTP ${response.status}`);
  const body = Buffer.from(await response.arrayBuffer());
  // PKIStatusInfo.status (§2.4.2) is the first INTEGER inside the first SEQUENCE: 0 granted, 1 with mods.
  const status = body
    .subarray(0, 16)
    .toString('hex')
    .match(/^30(?:8[12][0-9a-f]{2,4}|[0-7][0-9a-f])30(?:8[12][0-9a-f]{2,4}|[0-7][0-9a-f])0201(0[0-9a-f])/);
  if (status?.[1] !== '00' && status?.[1] !== '01')
    throw new Error(`horodatage refusé par ${url} (statut ${status?.[1] ?? 'illisible'})`);
  return body;
};
