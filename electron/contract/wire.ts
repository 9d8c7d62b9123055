import { z } from 'zod';
import type { CoreEvent } from './index.js';
import type { Result } from './result.js';

/**
 * Framing of the contract over the browser host's WebSocket: the renderer sends requests with an id,
 * the host answers with the same id, and pushes events without one.
 */
export const clientFrameSchema = z
  .object({
    id: z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER),
    method: z.string().min(1).max(100),
    args: z.unknown(),
  })
  .strict();

export type ClientFrame = z.infer<typeof clientFrameSchema>;
export type ServerFrame = { id: number; result: Result<unknown> } | { event: CoreEvent };

/** WebSocket path, and the name of the query parameter that carries the per-launch token. */
export const WS_PATH = '/api';
export const TOKEN_PARAM = 'token';
