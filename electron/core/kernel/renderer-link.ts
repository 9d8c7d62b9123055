/**
 * Requests from the core to the renderers (docs/architecture.md, "Two-way contract"). Transports attach each
 * connected renderer as a peer; one of them declares itself the media owner. A request waits for a media
 * owner up to its timeout and fails with a clear French error when no renderer is connected.
 * Interface only for now: the implementation comes with the two-way contract.
 */
import type { Result } from '../../contract/index.js';

/** A connected renderer as a transport sees it (one browser tab, one Electron window). */
export interface RendererPeer {
  readonly id: string;
  /** Sends one core → renderer request and resolves with the renderer's answer (never rejects). */
  request(method: string, args: unknown): Promise<Result<unknown>>;
}

export interface RendererAttachment {
  /** The renderer said it is ready; `mediaOwner` when it owns the position's audio devices. */
  ready(flags: { mediaOwner: boolean }): void;
  detach(): void;
}

export interface RendererLink {
  attach(peer: RendererPeer): RendererAttachment;
  /** Id of the current media owner, if any. */
  mediaOwner(): string | null;
}
