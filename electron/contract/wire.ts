import { z } from 'zod';
import type { CoreEvent } from './index.js';
import { readyFlagsSchema, rendererReplySchema } from './renderer.js';
import type { Result } from './result.js';

/**
 * Framing of the contract over the browser host's WebSocket, both directions (docs/architecture.md,
 * "Two-way contract"):
 *   client → server  { id, method, args }         a page request; answered { id, result }
 *                    { rid, result }              the page's answer to core request `rid`
 *                    { ready: { mediaOwner } }    the page's handlers are in place
 *   server → client  { id, result }               answer to a page request
 *                    { event }                    a pushed event
 *                    { rid, method, args }        a core → page request (contract/renderer.ts)
 * Every client frame is parsed here; one that matches none of the three closes the socket.
 */
const frameId = z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER);

export const requestFrameSchema = z
  .object({
    id: frameId,
    method: z.string().min(1).max(100),
    args: z.unknown(),
  })
  .strict();
export const replyFrameSchema = z.object({ rid: frameId, result: rendererReplySchema }).strict();
export const readyFrameSchema = z.object({ ready: readyFlagsSchema }).strict();

export const clientFrameSchema = z.union([requestFrameSchema, replyFrameSchema, readyFrameSchema]);
export type ClientFrame = z.infer<typeof clientFrameSchema>;

/** A core → page request frame; the page parses it before serving (the host is trusted, its bugs are not). */
export const rendererRequestFrameSchema = z
  .object({ rid: frameId, method: z.string().min(1).max(100), args: z.unknown() })
  .strict();
export type RendererRequestFrame = z.infer<typeof rendererRequestFrameSchema>;

export type ServerFrame = { id: number; result: Result<unknown> } | { event: CoreEvent } | RendererRequestFrame;

/** WebSocket path, and the name of the query parameter that carries the per-launch token. */
export const WS_PATH = '/api';
export const TOKEN_PARAM = 'token';
/** HTTP: is this token the current launch's? 204 yes, 401 no (host restarted), 503 closing. */
export const LINK_PATH = '/link';
/** HTTP header carrying the token (downloads, LINK_PATH): never in a URL, which ends in logs. */
export const TOKEN_HEADER = 'x-vigie-token';
