/**
 * The API contract between the renderer and the core: one table of requests (name → zod schema of
 * its argument), one map of result types, one event stream. Electron IPC and the browser host's
 * WebSocket carry exactly this (docs/architecture.md, rule 6). Each feature declares its part in its own file.
 */
import type { z } from 'zod';
import type { Result } from './result.js';
import { statusRequests, type StatusEvent, type StatusResults } from './status.js';
import { sessionRequests, type SessionEvent, type SessionResults } from './session.js';
import { logbookRequests, type LogbookEvent, type LogbookResults } from './logbook.js';
import { shiftRequests, type ShiftEvent, type ShiftResults } from './shift.js';
import { operationRequests, type OperationEvent, type OperationResults } from './operation.js';
import { callsRequests, type CallsEvent, type CallsResults } from './calls.js';
import { healthRequests, type HealthEvent, type HealthResults } from './health.js';
import { usersRequests, type UsersEvent, type UsersResults } from './users.js';
import { replicationRequests, type ReplicationResults } from './replication.js';
import { voiceRequests, type VoiceResults } from './voice.js';
import { directoryRequests, type DirectoryEvent, type DirectoryResults } from './directory.js';
import { statsRequests, type StatsResults } from './stats.js';
import { drillsRequests, type DrillsEvent, type DrillsResults } from './drills.js';
import type { ReadyFlags, RendererBridge, RendererHandlers } from './renderer.js';
import type { ExportSaved } from './logbook.js';

export * from './result.js';
export * from './status.js';
export * from './session.js';
export * from './logbook.js';
export * from './shift.js';
export * from './operation.js';
export * from './calls.js';
export * from './health.js';
export * from './users.js';
export * from './replication.js';
export * from './voice.js';
export * from './directory.js';
export * from './stats.js';
export * from './drills.js';
export * from './renderer.js';

export const requestSchemas = {
  ...statusRequests,
  ...sessionRequests,
  ...logbookRequests,
  ...shiftRequests,
  ...operationRequests,
  ...callsRequests,
  ...healthRequests,
  ...usersRequests,
  ...replicationRequests,
  ...voiceRequests,
  ...directoryRequests,
  ...statsRequests,
  ...drillsRequests,
};

export type Method = keyof typeof requestSchemas;
export type ArgsOf<M extends Method> = z.input<(typeof requestSchemas)[M]>;
export type ParsedArgsOf<M extends Method> = z.output<(typeof requestSchemas)[M]>;

export type ResultMap = StatusResults &
  SessionResults &
  LogbookResults &
  ShiftResults &
  OperationResults &
  CallsResults &
  HealthResults &
  UsersResults &
  ReplicationResults &
  VoiceResults &
  DirectoryResults &
  StatsResults &
  DrillsResults;
export type ResultOf<M extends Method> = ResultMap[M];

/** Everything the core pushes to the UI. */
export type CoreEvent =
  | StatusEvent
  | SessionEvent
  | LogbookEvent
  | ShiftEvent
  | OperationEvent
  | CallsEvent
  | HealthEvent
  | UsersEvent
  | DirectoryEvent
  | DrillsEvent;

/** Largest request a transport accepts (bytes of JSON): longer ones are refused before parsing. */
export const MAX_REQUEST_BYTES = 256 * 1024;

/**
 * What the preload exposes as `window.vigie`, and what the WebSocket transport implements:
 * untyped on the wire, typed by `createClient`.
 */
export interface VigieBridge {
  request(method: string, args: unknown): Promise<Result<unknown>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
}

/** What the page sees as `window.vigie`: its requests to the core, and its side of the core's requests. */
export interface VigiePageBridge extends VigieBridge, RendererBridge {
  /** Hands a finished export to the person (browser download, Electron save dialog), by its id. */
  saveExport?(exportId: string): Promise<Result<ExportSaved>>;
}

export interface VigieClient {
  call<M extends Method>(method: M, args: ArgsOf<M>): Promise<Result<ResultOf<M>>>;
  onEvent(listener: (event: CoreEvent) => void): () => void;
  /** Answers the core's requests with `handlers` (arguments parsed first) and declares `flags`; returns the undo. */
  serve(handlers: RendererHandlers, flags: ReadyFlags): () => void;
  saveExport?(exportId: string): Promise<Result<ExportSaved>>;
}

export const isMethod = (name: string): name is Method => Object.hasOwn(requestSchemas, name);

export { channels } from './channels.js';
