/**
 * Requests from the core to the renderers (docs/architecture.md, "Two-way contract"). Transports attach each
 * connected renderer as a peer; one of them declares itself the media owner. A request waits for a media
 * owner up to its timeout and fails with a clear French error when no renderer is connected.
 *
 * Arguments are parsed before they leave the core and the renderer's answer is parsed with the result
 * schema (contract/renderer.ts) before anyone believes it: a wrong answer is a VigieError, never a crash.
 */
import type { z } from 'zod';
import {
  rendererReplySchema,
  rendererRequests,
  VigieError,
  type ReadyFlags,
  type RendererArgsOf,
  type RendererMethod,
  type RendererResultOf,
  type Result,
  type VigieBridge,
} from '../../contract/index.js';
import type { LogLevel } from './module.js';

/** A connected renderer as a transport sees it (one browser tab, one Electron window). */
export interface RendererPeer {
  readonly id: string;
  /**
   * Sends one core → renderer request and resolves with the renderer's answer (never rejects). `signal`
   * aborts when the core stopped waiting (timeout), so the transport can forget the request.
   */
  request(method: string, args: unknown, signal?: AbortSignal): Promise<Result<unknown>>;
}

export interface RendererAttachment {
  /** The renderer said it is ready; `mediaOwner` when it owns the position's audio devices. */
  ready(flags: ReadyFlags): void;
  /** The renderer is gone: its pending requests fail at once. Idempotent. */
  detach(): void;
}

export interface RendererRequestOptions {
  /** Overrides the request's default timeout (contract/renderer.ts). */
  timeoutMs?: number;
}

export interface RendererLink {
  attach(peer: RendererPeer): RendererAttachment;
  /** Id of the current media owner, if any. */
  mediaOwner(): string | null;
  /** Calls `listener` with the new owner's id (or null) each time it changes. Returns the unsubscribe. */
  onMediaOwner(listener: (id: string | null) => void): () => void;
  /** Number of attached renderers, ready or not. */
  peers(): number;
  /** Sends `method` to the media owner; resolves with its parsed result, or throws a VigieError. */
  request<M extends RendererMethod>(
    method: M,
    args: RendererArgsOf<M>,
    opts?: RendererRequestOptions,
  ): Promise<RendererResultOf<M>>;
}

/** What the transports (IPC adapter, browser host) take: the core's requests, events, and its renderer link. */
export interface CoreEndpoint extends VigieBridge {
  readonly renderer: RendererLink;
}

export interface RendererLinkOptions {
  /** One timeout for every request instead of the contract's defaults (tests, benchmarks). */
  timeoutMs?: number;
  log?: (level: LogLevel, message: string) => void;
}

export const NO_RENDERER_MESSAGE =
  'Aucun écran n’est connecté à ce poste : ouvrez la console Vigie (fenêtre ou page du navigateur) pour utiliser l’audio.';

interface PeerState {
  readonly peer: RendererPeer;
  ready: boolean;
  wantsOwner: boolean;
  /** Rejects of the requests in flight on this peer, failed at once when it detaches. */
  readonly inFlight: Set<(error: VigieError) => void>;
}

interface OwnerWaiter {
  resolve(peer: PeerState): void;
  reject(error: VigieError): void;
}

const describe = (error: z.ZodError): string[] =>
  error.issues.map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : '(racine)'} : ${issue.message}`);

export const createRendererLink = (options: RendererLinkOptions = {}): RendererLink => {
  const log = options.log ?? (() => undefined);
  // Insertion order is attach order: the next owner is the oldest ready candidate.
  const peers = new Map<string, PeerState>();
  const ownerListeners = new Set<(id: string | null) => void>();
  const waiters = new Set<OwnerWaiter>();
  let owner: PeerState | null = null;

  const setOwner = (next: PeerState | null): void => {
    if (next === owner) return;
    owner = next;
    log('info', next === null ? 'plus aucun écran ne gère l’audio' : `écran ${next.peer.id} : gère l’audio du poste`);
    for (const listener of ownerListeners) {
      try {
        listener(next?.peer.id ?? null);
      } catch (error) {
        log('error', `écouteur du gestionnaire audio en échec : ${String(error)}`);
      }
    }
    if (next !== null) {
      for (const waiter of waiters) waiter.resolve(next);
      waiters.clear();
    }
  };

  /** The oldest attached peer that is ready and asked to own the media, or null. */
  const candidate = (): PeerState | null => {
    for (const state of peers.values()) if (state.ready && state.wantsOwner) return state;
    return null;
  };
  /** Keeps the owner while it stays a candidate (no handover for nothing), otherwise takes the next one. */
  const elect = (): void => {
    if (owner === null || !owner.wantsOwner || !peers.has(owner.peer.id)) setOwner(candidate());
  };

  const waitForOwner = (signal: AbortSignal): Promise<PeerState> =>
    owner !== null
      ? Promise.resolve(owner)
      : new Promise<PeerState>((resolve, reject) => {
          const waiter: OwnerWaiter = {
            resolve: (peer) => {
              signal.removeEventListener('abort', onAbort);
              resolve(peer);
            },
            reject: (error) => {
              signal.removeEventListener('abort', onAbort);
              reject(error);
            },
          };
          const onAbort = (): void => {
            waiters.delete(waiter);
            reject(signal.reason);
          };
          signal.addEventListener('abort', onAbort);
          waiters.add(waiter);
        });

  const send = (state: PeerState, method: RendererMethod, args: unknown, signal: AbortSignal): Promise<unknown> =>
    new Promise<unknown>((resolve, reject) => {
      const fail = (error: VigieError): void => {
        signal.removeEventListener('abort', onAbort);
        state.inFlight.delete(fail);
        reject(error);
      };
      const onAbort = (): void => fail(signal.reason);
      signal.addEventListener('abort', onAbort);
      state.inFlight.add(fail);
      state.peer.request(method, args, signal).then(
        (reply) => {
          signal.removeEventListener('abort', onAbort);
          state.inFlight.delete(fail);
          resolve(reply);
        },
        // The peer promised never to reject; a transport bug must still not become an unhandled rejection.
        (error: unknown) => {
          log('warn', `écran ${state.peer.id} : ${method} a échoué dans le transport (${String(error)})`);
          fail(new VigieError('unavailable', `La liaison avec l’écran a échoué pendant ${method}.`));
        },
      );
    });

  const request = async <M extends RendererMethod>(
    method: M,
    args: RendererArgsOf<M>,
    opts: RendererRequestOptions = {},
  ): Promise<RendererResultOf<M>> => {
    // A typed caller can still pass a method name that is not in the table (a cast, a string from a log).
    if (!Object.hasOwn(rendererRequests, method)) {
      throw new VigieError('unknown_method', `Requête inconnue vers l’écran : ${String(method).slice(0, 80)}`);
    }
    const spec = rendererRequests[method];
    const argsSchema: z.ZodType = spec.args;
    const parsedArgs = argsSchema.safeParse(args);
    if (!parsedArgs.success) {
      const details = describe(parsedArgs.error);
      throw new VigieError('invalid_argument', `Argument invalide pour ${method} : ${details.join(' ; ')}`, details);
    }
    if (peers.size === 0) throw new VigieError('unavailable', NO_RENDERER_MESSAGE);

    const timeoutMs = opts.timeoutMs ?? options.timeoutMs ?? spec.timeoutMs;
    const deadline = new AbortController();
    let stage: 'owner' | 'answer' = 'owner';
    const timer = setTimeout(
      () =>
        deadline.abort(
          stage === 'owner'
            ? new VigieError(
                'unavailable',
                `Aucun écran de ce poste ne gère l’audio (attente de ${timeoutMs} ms dépassée pour ${method}).`,
              )
            : new VigieError('unavailable', `L’écran n’a pas répondu à ${method} en ${timeoutMs} ms.`),
        ),
      timeoutMs,
    );
    try {
      const target = await waitForOwner(deadline.signal);
      stage = 'answer';
      const raw = await send(target, method, parsedArgs.data, deadline.signal);
      const reply = rendererReplySchema.safeParse(raw);
      if (!reply.success) {
        log('warn', `écran ${target.peer.id} : réponse mal formée à ${method}`);
        throw new VigieError('internal', `Réponse invalide de l’écran pour ${method}.`, describe(reply.error));
      }
      if (!reply.data.ok) {
        const { code, message, details } = reply.data.error;
        throw new VigieError(code, message, details);
      }
      const resultSchema: z.ZodType = spec.result;
      const result = resultSchema.safeParse(reply.data.value);
      if (!result.success) {
        const details = describe(result.error);
        log('warn', `écran ${target.peer.id} : résultat invalide pour ${method} : ${details.join(' ; ')}`);
        throw new VigieError('internal', `Réponse invalide de l’écran pour ${method}.`, details);
      }
      // TypeScript cannot correlate rendererRequests[M]['result'] with M for a union of methods
      // (microsoft/TypeScript#30581); the schema that just parsed it is the one the type is derived from.
      return result.data as RendererResultOf<M>;
    } finally {
      clearTimeout(timer);
    }
  };

  return {
    attach(peer) {
      if (peers.has(peer.id)) throw new VigieError('conflict', `écran déjà attaché : ${peer.id}`);
      const state: PeerState = { peer, ready: false, wantsOwner: false, inFlight: new Set() };
      peers.set(peer.id, state);
      let attached = true;
      return {
        ready(flags) {
          if (!attached) return;
          state.ready = true;
          state.wantsOwner = flags.mediaOwner;
          // An owner that withdraws hands over to the next candidate, like one that leaves.
          elect();
        },
        detach() {
          if (!attached) return;
          attached = false;
          peers.delete(peer.id);
          const gone = new VigieError(
            'unavailable',
            'L’écran qui gère l’audio s’est déconnecté ; la requête n’a peut-être pas abouti.',
          );
          for (const fail of [...state.inFlight]) fail(gone);
          elect();
          // Requests waiting for an owner fail at once when no renderer is left to become one.
          if (peers.size === 0) {
            for (const waiter of waiters) waiter.reject(new VigieError('unavailable', NO_RENDERER_MESSAGE));
            waiters.clear();
          }
        },
      };
    },
    mediaOwner: () => owner?.peer.id ?? null,
    onMediaOwner(listener) {
      ownerListeners.add(listener);
      return () => ownerListeners.delete(listener);
    },
    peers: () => peers.size,
    request,
  };
};
