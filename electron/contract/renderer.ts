/**
 * The other direction of the contract: requests from the core to the renderer that owns the position's
 * audio (docs/architecture.md, "Two-way contract"). The SIP process's SessionDescriptionHandler reaches the
 * page's RTCPeerConnection through these. Each request has a schema for its arguments (parsed by the
 * renderer before it acts), one for its result (parsed by the core before it believes it) and a default
 * timeout. Every string and array is bounded: neither side trusts the other with unbounded input.
 */
import { z } from 'zod';
import { ERROR_CODES, type Result } from './result.js';

const callId = z
  .string()
  .min(1)
  .max(64)
  .regex(/^[A-Za-z0-9_-]+$/, 'identifiant d’appel invalide');

/** STUN/TURN URIs (RFC 7064, RFC 7065): scheme, host, optional port and transport. */
const iceUrl = z
  .string()
  .min(1)
  .max(512)
  .regex(/^(stuns?|turns?):[^\s]+$/, 'adresse STUN/TURN invalide (stun:, stuns:, turn: ou turns:)');

/** The subset of WebRTC's RTCIceServer the position needs (credentials for TURN only). */
export const iceServerSchema = z
  .object({
    urls: z.union([iceUrl, z.array(iceUrl).min(1).max(8)]),
    username: z.string().max(256).optional(),
    credential: z.string().max(256).optional(),
  })
  .strict();
export type IceServer = z.output<typeof iceServerSchema>;

/** Largest SDP accepted, in UTF-8 bytes: an audio-only offer with ICE candidates is a few KiB. */
export const MAX_SDP_BYTES = 16 * 1024;
const utf8Bytes = (s: string): number => new TextEncoder().encode(s).length;
const sdpSchema = z
  .string()
  .min(1, 'SDP vide')
  // Cheap bound first (a UTF-8 byte is at least one UTF-16 unit), then the exact byte count.
  .max(MAX_SDP_BYTES, `SDP trop long (${MAX_SDP_BYTES} octets au plus)`)
  .refine((s) => utf8Bytes(s) <= MAX_SDP_BYTES, `SDP trop long (${MAX_SDP_BYTES} octets au plus)`);

/** Offer/answer model of SDP (RFC 3264), and its media directions (RFC 3264 §5.1). */
export const sdpTypeSchema = z.enum(['offer', 'answer']);
export const mediaDirectionSchema = z.enum(['sendrecv', 'sendonly', 'recvonly', 'inactive']);

/** DTMF tones as telephone-events (RFC 4733 §3.2, events 0-15: 0-9 * # A-D). */
export const dtmfTonesSchema = z
  .string()
  .min(1)
  .max(32)
  .regex(/^[0-9*#A-D]+$/, 'tonalités DTMF autorisées : 0-9 * # A-D');

const deviceSchema = z.object({ deviceId: z.string().max(256), label: z.string().max(256) }).strict();
const deviceListSchema = z.array(deviceSchema).max(64);
export type MediaDevice = z.output<typeof deviceSchema>;

const empty = z.object({}).strict();

export interface RendererRequestSpec {
  args: z.ZodType;
  result: z.ZodType;
  /** Default time the core waits for a media owner and its answer, together. */
  timeoutMs: number;
}

export const rendererRequests = {
  /** Creates the call's RTCPeerConnection (with the headset track); idempotent per callId. */
  'media.open': {
    args: z.object({ callId, iceServers: z.array(iceServerSchema).max(8).default([]) }).strict(),
    result: empty,
    timeoutMs: 5_000,
  },
  /**
   * The local description, complete (non-trickle ICE: answered once gathering is over, so the SIP side
   * sends one SDP with every candidate). An offer, or the answer when a remote offer was set.
   */
  'media.getDescription': {
    args: z.object({ callId, direction: mediaDirectionSchema }).strict(),
    result: z.object({ type: sdpTypeSchema, sdp: sdpSchema }).strict(),
    // ICE gathering may wait for STUN/TURN servers that do not answer.
    timeoutMs: 10_000,
  },
  'media.setDescription': {
    args: z.object({ callId, type: sdpTypeSchema, sdp: sdpSchema }).strict(),
    result: empty,
    timeoutMs: 5_000,
  },
  /**
   * Tones sent as RFC 4733 telephone-events; `sent` is false when the connection cannot send DTMF (no
   * telephone-event negotiated). Bounds are WebRTC's insertDTMF clamps (40–6000 ms tones, ≥ 30 ms gaps).
   */
  'media.dtmf': {
    args: z
      .object({
        callId,
        tones: dtmfTonesSchema,
        durationMs: z.number().int().min(40).max(6000).optional(),
        gapMs: z.number().int().min(30).max(6000).optional(),
      })
      .strict(),
    result: z.object({ sent: z.boolean() }).strict(),
    timeoutMs: 5_000,
  },
  'media.mute': { args: z.object({ callId, muted: z.boolean() }).strict(), result: empty, timeoutMs: 3_000 },
  'media.close': { args: z.object({ callId }).strict(), result: empty, timeoutMs: 3_000 },
  /** Audio devices only; labels are empty until the page was granted the microphone once. */
  'media.devices': {
    args: empty,
    result: z.object({ inputs: deviceListSchema, outputs: deviceListSchema }).strict(),
    timeoutMs: 5_000,
  },
} satisfies Record<string, RendererRequestSpec>;

export type RendererMethod = keyof typeof rendererRequests;
/** What the core passes (defaults may be left out). */
export type RendererArgsOf<M extends RendererMethod> = z.input<(typeof rendererRequests)[M]['args']>;
/** What the renderer's handler receives, parsed. */
export type RendererParsedArgsOf<M extends RendererMethod> = z.output<(typeof rendererRequests)[M]['args']>;
export type RendererResultOf<M extends RendererMethod> = z.output<(typeof rendererRequests)[M]['result']>;

export const isRendererMethod = (name: string): name is RendererMethod => Object.hasOwn(rendererRequests, name);

/** Largest renderer reply a transport accepts (bytes of JSON); longer ones are dropped before parsing. */
export const MAX_RENDERER_REPLY_BYTES = 64 * 1024;

/** What a renderer declares once its handlers are registered. */
export const readyFlagsSchema = z.object({ mediaOwner: z.boolean() }).strict();
export type ReadyFlags = z.output<typeof readyFlagsSchema>;

/** The envelope of a renderer's answer (contract/result.ts), checked before its value is. */
export const rendererReplySchema = z.union([
  z.object({ ok: z.literal(true), value: z.unknown() }).strict(),
  z
    .object({
      ok: z.literal(false),
      error: z
        .object({
          code: z.enum(ERROR_CODES),
          message: z.string().max(2000),
          details: z.array(z.string().max(500)).max(20).optional(),
        })
        .strict(),
    })
    .strict(),
]);

/** One core → renderer request as the page's serving function receives it: untyped on the wire. */
export type RendererServe = (method: string, args: unknown) => Promise<Result<unknown>>;

/**
 * The page side of the two-way contract, which the preload exposes beside VigieBridge and the WebSocket
 * transport implements: `serve` installs the one function that answers the core's requests (returns a
 * function that removes it), `ready` declares the page's flags (again after every reconnection).
 */
export interface RendererBridge {
  serve(handler: RendererServe): () => void;
  ready(flags: ReadyFlags): void;
}

/** A page's handler for one core request: gets parsed arguments, returns the result (or throws). */
export type RendererHandler<M extends RendererMethod> = (
  args: RendererParsedArgsOf<M>,
) => RendererResultOf<M> | Promise<RendererResultOf<M>>;
/** The handlers a page registers; a contract method without one is answered `unavailable`. */
export type RendererHandlers = { [M in RendererMethod]?: RendererHandler<M> };
