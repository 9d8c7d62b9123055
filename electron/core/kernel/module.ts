/**
 * What a capability module is (docs/architecture.md, "Modules"). A module is one folder under
 * electron/core with an index.ts that exports one CoreModule: its schema part (event types,
 * projections, migrations: cheap to import, so `vigie verify` loads no sip.js or pdfkit) and a
 * `setup` that returns its handlers, services and reactors once the store is open.
 */
import type { CoreEvent, Method, ParsedArgsOf, Result, ResultOf, Status } from '../../contract/index.js';
import type { FileConfig } from '../config.js';
import type { ModuleSchema, Store, StoredEvent } from '../store/types.js';
import type { RendererLink } from './renderer-link.js';

export type { ModuleSchema } from '../store/types.js';

export type Handler<M extends Method> = (args: ParsedArgsOf<M>) => ResultOf<M> | Promise<ResultOf<M>>;
/** A module's part of the contract; the kernel refuses a method declared by two modules. */
export type Handlers = { [M in Method]?: Handler<M> };

/** Background work with a lifecycle: started after the first screen can be served, stopped in reverse order. */
export interface Service {
  name: string;
  start(): void | Promise<void>;
  stop(): void | Promise<void>;
}

/**
 * Code run after an event of one of `types` has committed (never inside the append transaction). It may
 * append events of its own; a reactor that throws is logged and the others still run.
 */
export interface Reactor {
  name: string;
  types: readonly string[];
  react(event: StoredEvent): void | Promise<void>;
}

/**
 * What modules offer each other, by name. Empty here: each module adds its own entries by declaration
 * merging in its own folder (`declare module '../kernel/module.js' { interface Ports { … } }`), so adding a
 * capability never edits the kernel.
 */
// eslint-disable-next-line @typescript-eslint/no-empty-object-type -- filled by declaration merging, see above
export interface Ports {}

export type LogLevel = 'info' | 'warn' | 'error';

/** What createCore is given (the shell, the browser host, the CLI, the tests). */
export interface CoreOptions {
  dataDir: string;
  /** Overrides the position name of `<data>/vigie.json`. */
  positionName?: string;
  /** Injectable wall clock (ms since epoch), for tests. */
  now?: () => number;
  /** Technical messages (electron-log in the shell, stderr in the CLI). Never user data or secrets. */
  log?: (level: LogLevel, message: string) => void;
  /**
   * 'log' (default): the log's own tables before opening, the whole file in the background; 'full': the
   * whole file before opening (diagnostic commands).
   */
  startupCheck?: 'full' | 'log';
  /**
   * false: set the modules up and answer requests, but start no service (no SIP client, no backup timer):
   * what a read-only command such as `vigie status` needs beside a running console. Default true.
   */
  services?: boolean;
}

export interface ModuleContext {
  readonly options: CoreOptions;
  readonly config: FileConfig;
  readonly store: Store;
  now(): number;
  log(level: LogLevel, message: string): void;
  /** Pushes an event to every connected renderer. */
  emit(event: CoreEvent): void;
  /** Requests from the core to the renderers (media owner), with timeouts (contract/renderer.ts). */
  readonly renderer: RendererLink;
  /** Another module's offer; throws a VigieError('unavailable') when no module provides it. */
  port<K extends keyof Ports>(name: K): Ports[K];
  /** The contract's own dispatch, for a module that needs another one's request (parsed, checked). */
  request<M extends Method>(method: M, args: unknown): Promise<Result<ResultOf<M>>>;
  /** Something shown in the status bar changed: the kernel pushes a fresh status soon. */
  statusChanged(): void;
}

/** The parts of the status bar a module owns (the kernel fills version, clock, database). */
export type StatusPart = Partial<Pick<Status, 'telephony' | 'network' | 'trust'>>;

export interface ModuleInstance {
  handlers?: Handlers;
  services?: readonly Service[];
  reactors?: readonly Reactor[];
  provides?: Partial<Ports>;
  status?: () => StatusPart;
}

export interface CoreModule extends ModuleSchema {
  /** Called once the store is open, in the order of the module list. */
  setup(ctx: ModuleContext): ModuleInstance | Promise<ModuleInstance>;
}
