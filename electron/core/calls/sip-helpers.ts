/**
 * Small pure helpers the call manager needs around SIP messages: the Reason of a CANCEL, SDP direction
 * for hold, the DTMF INFO body, the caller's identity. Pure so they are unit-tested without a network.
 */
import { normaliseNumber, numberFromHeaderValue } from './lines.js';

/**
 * True when a CANCEL's Reason says the call was answered at another branch: `SIP;cause=200`
 * (RFC 3326 §2, as sent by forking proxies, RFC 3261 §16.7 step 10 behaviour), or Q.850 cause 26
 * "non-selected user clearing" (ITU-T Q.850), which some gateways use for the same thing.
 */
export const answeredElsewhere = (reason: string | undefined): boolean => {
  if (reason === undefined) return false;
  for (const entry of reason.slice(0, 1024).split(',')) {
    const [protocol, ...params] = entry.split(';').map((s) => s.trim());
    const cause = params.map((p) => /^cause\s*=\s*"?(\d+)"?$/i.exec(p)?.[1]).find((c) => c !== undefined);
    if (protocol?.toUpperCase() === 'SIP' && cause === '200') return true;
    if (protocol?.toUpperCase() === 'Q.850' && cause === '26') return true;
  }
  return false;
};

export type MediaDirection = 'sendrecv' | 'sendonly' | 'recvonly' | 'inactive';

/**
 * Sets the direction attribute of every media section (RFC 4566 §6; hold per RFC 3264 §8.4: the
 * side putting on hold offers sendonly, or inactive when it was already receive-only).
 * Session-level direction lines are removed so the media-level one is the only one that counts.
 */
export const setSdpDirection = (sdp: string, direction: MediaDirection): string => {
  const eol = sdp.includes('\r\n') ? '\r\n' : '\n';
  const lines = sdp.split(/\r?\n/);
  const out: string[] = [];
  let inMedia = false;
  for (const line of lines) {
    if (/^a=(sendrecv|sendonly|recvonly|inactive)$/.test(line)) continue;
    if (line.startsWith('m=')) {
      if (inMedia) out.push(`a=${direction}`);
      inMedia = true;
    }
    out.push(line);
  }
  // Keep the trailing empty line (SDP ends with CRLF) after the added attribute.
  if (inMedia) {
    const last = out.length > 0 && out[out.length - 1] === '' ? out.pop() : undefined;
    out.push(`a=${direction}`);
    if (last !== undefined) out.push(last);
  }
  return out.join(eol);
};

/** The direction of the first media section (default sendrecv, RFC 4566 §6). */
export const sdpDirection = (sdp: string): MediaDirection => {
  const media = sdp.split(/\r?\n/);
  const start = media.findIndex((l) => l.startsWith('m='));
  const section = start < 0 ? media : media.slice(start);
  const line = section.find((l) => /^a=(sendrecv|sendonly|recvonly|inactive)$/.test(l));
  return (line?.slice(2) as MediaDirection | undefined) ?? 'sendrecv';
};

/** SIP INFO body for one DTMF digit (application/dtmf-relay, the de-facto format most PBXs accept). */
export const dtmfInfoBody = (digit: string, durationMs = 160): string =>
  `Signal=${digit}\r\nDuration=${durationMs}\r\n`;

/** Removes control characters and bounds a display name taken from a SIP header. */
export const cleanDisplayName = (raw: string | undefined): string | null => {
  if (raw === undefined) return null;
  // \p{Cc}: C0 and C1 controls (U+0000–001F, U+007F–009F); \p{Cf}: format characters, among them the
  // bidirectional overrides (U+202A–202E, U+2066–2069) that could make a number read backwards on screen.
  const cleaned = raw
    .replace(/[\p{Cc}\p{Cf}\u2028\u2029]/gu, ' ')
    .replace(/\s+/g, ' ')
    .trim()
    .slice(0, 120);
  return cleaned === '' ? null : cleaned;
};

/**
 * The caller's number: P-Asserted-Identity when present (set by the trusted network, RFC 3325 §9.1),
 * else the From user part; empty when anonymous (RFC 3323).
 */
export const callerNumber = (pAssertedIdentity: string | undefined, fromUser: string | undefined): string => {
  const asserted = pAssertedIdentity === undefined ? null : numberFromHeaderValue(pAssertedIdentity);
  if (asserted !== null) return asserted.slice(0, 64);
  if (fromUser === undefined || /^anonymous$/i.test(fromUser)) return '';
  const n = normaliseNumber(fromUser);
  return (n === '' || n === '+' ? fromUser.replace(/[^A-Za-z0-9+*#._-]/g, '') : n).slice(0, 64);
};

/** A dial target (`1002`, `+687…`, `sip:1002@host`) as a SIP URI in the account's domain. */
export const targetUri = (target: string, domain: string): string =>
  /^sips?:/i.test(target) ? target : `sip:${target}@${domain}`;
