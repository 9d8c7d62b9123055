import { z } from 'zod';

/**
 * Telephony configuration of a position (the `telephony` key of <data>/vigie.json). Validated here, where it
 * enters the core. The password is a secret: it is only handed to sip.js for digest auth and never logged.
 */
const wsUrl = z
  .string()
  .url()
  .refine((value) => /^wss?:\/\//.test(value), 'URL ws:// ou wss:// attendue (RFC 7118)');

const sipUri = z.string().regex(/^sips?:[^@\s]+@[^@\s]+$/, 'AOR SIP attendue, par exemple sip:1001@127.0.0.1');

export const iceServerSchema = z
  .object({
    urls: z.union([z.string(), z.array(z.string())]),
    username: z.string().optional(),
    credential: z.string().optional(),
  })
  .strict();

export const lineSchema = z
  .object({
    number: z.string().trim().min(1).max(64),
    label: z.string().trim().min(1).max(80),
    /** Higher rings first in the queue (e.g. 18 and 112 above the administrative line). */
    priority: z.number().int(),
  })
  .strict();

export const telephonyConfigSchema = z
  .object({
    account: z
      .object({
        aor: sipUri,
        authUser: z.string().min(1).max(128).optional(),
        password: z.string().min(1).max(256).optional(),
        displayName: z.string().max(80).optional(),
      })
      .strict(),
    /** Ordered registrars, primary first: failover goes down the list, the primary is preferred again when it answers. */
    registrars: z.array(wsUrl).min(1).max(8),
    /** sip.js defaults to a public STUN host; nothing leaves the site unless configured. */
    iceServers: z.array(iceServerSchema).default([]),
    /**
     * Where the audio of a call lives: 'renderer' is the console (the media-owner page's RTCPeerConnection,
     * docs/architecture.md "Processes"); 'null' a static SDP and no RTP, for headless use and signalling-only
     * tests and benchmarks.
     */
    media: z.enum(['renderer', 'null']).default('renderer'),
    /**
     * DTMF as RFC 4733 telephone-events in the RTP stream, or as SIP INFO (application/dtmf-relay) for a far
     * end that does not take telephone-events. Null media has no RTP: it always sends INFO.
     */
    dtmf: z.enum(['rfc4733', 'info']).default('rfc4733'),
    lines: z.array(lineSchema).default([]),
    calledNumberFrom: z
      .array(z.enum(['to', 'p-called-party-id', 'diversion']))
      .default(['p-called-party-id', 'diversion', 'to']),
    /** WebSocket ping period (RFC 6455 section 5.5.2); a missing pong within pongTimeoutMs means the server is gone. */
    pingIntervalMs: z.number().int().min(50).max(60_000).default(2_000),
    pongTimeoutMs: z.number().int().min(50).max(60_000).default(1_500),
    /** WebSocket opening handshake limit: a hung server accepts TCP but never answers the upgrade. */
    connectTimeoutMs: z.number().int().min(100).max(60_000).default(2_000),
    /** Reconnection delays: exponential from initialMs, capped at maxMs, with jitter. */
    backoff: z
      .object({ initialMs: z.number().int().min(10).max(60_000), maxMs: z.number().int().min(10).max(300_000) })
      .strict()
      .refine((b) => b.maxMs >= b.initialMs, 'maxMs doit être ≥ initialMs')
      .default({ initialMs: 500, maxMs: 3_000 }),
    /** While on a secondary registrar, how often to check whether the primary answers again. */
    primaryProbeMs: z.number().int().min(100).max(600_000).default(5_000),
    /** REGISTER Expires (RFC 3261 section 10.2.1); sip.js refreshes before it runs out. */
    registerExpires: z.number().int().min(10).max(3_600).default(300),
    /** How long to wait for a REGISTER answer before treating the registrar as unreachable. */
    registerTimeoutMs: z.number().int().min(100).max(60_000).default(4_000),
  })
  .strict();

export type TelephonyConfigInput = z.input<typeof telephonyConfigSchema>;
export type TelephonyConfig = z.output<typeof telephonyConfigSchema>;
export type LineConfig = z.output<typeof lineSchema>;

/** The user part of the AOR (sip:1001@host → 1001). */
export const aorUser = (aor: string): string => aor.slice(aor.indexOf(':') + 1, aor.indexOf('@'));

/** Configuration of a position registered on a `vigie lab` (no password: the lab's open mode). */
export const labTelephonyConfig = (lab: { wsUrl: string }, user: string, password?: string): TelephonyConfigInput => ({
  account: { aor: `sip:${user}@127.0.0.1`, ...(password !== undefined ? { password } : {}) },
  registrars: [lab.wsUrl],
});
