/**
 * The core side of the main courante. createCore calls:
 *
 *   const logbook = createLogbookService(store, { positionName, directorate, exportDir, pinKeyFile, now, emit });
 *   handlers = { ...handlers, ...logbook.handlers };   // session.*, users.*, logbook.*, shift.*, operation.*, export.start
 *   ... logbook.close() on shutdown.
 *
 * Handlers receive arguments already parsed by the contract's zod schemas (dispatch.ts).
 */
import type { z } from 'zod';
import { VigieError } from '../../contract/result.js';
import {
  DEFAULT_CATEGORIES,
  type ExportResult,
  type logbookRequests,
  type LogbookResults,
} from '../../contract/logbook.js';
import type { operationRequests, OperationResults } from '../../contract/operation.js';
import type { Role, Session, sessionRequests, SessionResults } from '../../contract/session.js';
import type { shiftRequests, ShiftResults } from '../../contract/shift.js';
import type { usersRequests, UsersResults } from '../../contract/users.js';
import type { StoredEvent, Store } from '../store/types.js';
import { loadCommunes } from './communes.js';
import type { Context, LogbookServiceOptions } from './context.js';
import { appendEntry, appendLines, correctEntry, findEntry, getEntry } from './entries.js';
import { exportInWorker, workerAvailable } from './export/in-worker.js';
import type { ExportProgress, ExportRequest } from './export/run.js';
import {
  closeOperation,
  createOperation,
  getOperation,
  listOperations,
  operationChronology,
  operationSummary,
} from './operations.js';
import { listEntries, searchEntries } from './queries.js';
import type { Action } from './roles.js';
import { currentSession, requirePermission, signIn, signOut } from './sessions.js';
import { closeShift, currentShift, lastHandover, listShifts, openShift, previewHandover } from './shifts.js';
import { linkOperation } from './links.js';
import { loadPinKey } from './pin-key.js';
import { addUser, listUsers, resetPin, setRole, unlockUser, type Actor } from './users.js';
import type { RosterUser } from '../../contract/users.js';
import { createBurstGate } from '../kernel/burst.js';

export type { LogbookServiceOptions, LogbookServiceEvent } from './context.js';

type Schemas = typeof sessionRequests &
  typeof usersRequests &
  typeof logbookRequests &
  typeof shiftRequests &
  typeof operationRequests;
export type LogbookMethod = keyof Schemas;
type Results = SessionResults & UsersResults & LogbookResults & ShiftResults & OperationResults;
export type LogbookHandlers = {
  [M in LogbookMethod]: (args: z.output<Schemas[M]>) => Results[M] | Promise<Results[M]>;
};

export interface LogbookService {
  handlers: LogbookHandlers;
  /** For other modules (drills): the signed-in session if its role allows `action`, else VigieError('forbidden'). */
  requirePermission(action: Action): Session;
  currentSession(): Session | null;
  /** `vigie append`: lines signed by `author`, through the same checks as the console (entries.ts). */
  appendLines(lines: readonly string[], fields: { author: string; category: string }): ReturnType<typeof appendLines>;
  /** Export outside a request (CLI): same code as `export.start`. */
  exportLogbook(request: ExportRequest, onProgress?: (done: number, total: number) => void): Promise<ExportResult>;
  /** `vigie users`: roster changes at provisioning, signed by `actor.author` (no session needed). */
  provisioning: {
    add(args: { name: string; role: Role; pin?: string | undefined }, author: string): Promise<RosterUser>;
    resetPin(args: { userId: string; pin: string }, author: string): Promise<RosterUser>;
    unlock(args: { userId: string }, author: string): RosterUser;
    setRole(args: { userId: string; role: Role }, author: string): RosterUser;
    list(): RosterUser[];
  };
  /** What the UI hears of a committed event of the logbook (run as the module's reactor, after commit). */
  forward(event: StoredEvent): void;
}

/** Entries sent one by one to the screen within a second; a burst beyond is one `logbook.stale` after it. */
export const LIVE_ENTRIES = { max: 100, windowMs: 1000, trailingMs: 250 } as const;

/** The events whose commit the screen must hear about (the module's reactor listens to these). */
export const FORWARDED_EVENTS = [
  'logbook.entry',
  'shift.opened',
  'shift.closed',
  'operation.created',
  'operation.closed',
  'logbook.operationLinked',
  'session.signedIn',
  'session.signedOut',
  'user.enrolled',
  'user.added',
  'user.pinReset',
  'user.roleSet',
  'user.signInFailed',
  'user.unlocked',
] as const;

const ENTRY_EVENTS = new Set([
  'logbook.entry',
  'shift.opened',
  'shift.closed',
  'operation.created',
  'operation.closed',
  'logbook.operationLinked',
]);

export const createLogbookService = (store: Store, options: LogbookServiceOptions): LogbookService => {
  let pinKey: Buffer | undefined;
  const ctx: Context = {
    store,
    positionName: options.positionName,
    directorate: options.directorate,
    now: options.now ?? Date.now,
    categories: options.categories ?? DEFAULT_CATEGORIES,
    exportDir: options.exportDir,
    emit: options.emit ?? (() => {}),
    pinKey: () => {
      if (options.pinKeyFile === undefined)
        throw new VigieError('unavailable', 'Clé des codes PIN non configurée pour ce poste.');
      return (pinKey ??= loadPinKey(options.pinKeyFile));
    },
    operatorPinRequired: options.operatorPinRequired ?? false,
  };
  const session: Actor = { kind: 'session' };
  const provisioner = (author: string): Actor => ({ kind: 'provisioning', author });

  // Live updates: whatever appended the event (this service, the calls module, the CLI in this
  // process, replication), the UI hears about the entry once it is committed. A burst (a replicated page,
  // a new position pulling the room's history) is not sent entry by entry: past LIVE_ENTRIES a second the
  // screen is told once to reload what it shows (kernel/burst.ts).
  const live = createBurstGate({ ...LIVE_ENTRIES, trailing: () => ctx.emit({ type: 'logbook.stale' }) });
  const forward = (event: StoredEvent): void => {
    // A link replayed twice writes no second entry (links.ts): nothing to send then.
    // One read of the row, and none for an entry the gate holds back.
    const entry = ENTRY_EVENTS.has(event.type) && live.pass() ? findEntry(ctx, event.id) : undefined;
    if (entry !== undefined) {
      ctx.emit({ type: 'logbook.entry', entry });
      // The original now shows as corrected: send it again, updated.
      if (entry.corrects !== null) ctx.emit({ type: 'logbook.entry', entry: getEntry(ctx, entry.corrects) });
      // The entry rattachée now shows its operation: send it again too.
      if (event.type === 'logbook.operationLinked') {
        const { entryId } = event.payload as { entryId: string }; // parsed by the store on append (event-types.ts)
        ctx.emit({ type: 'logbook.entry', entry: getEntry(ctx, entryId) });
      }
    }
    if (event.type.startsWith('session.') && event.origin === store.origin)
      ctx.emit({ type: 'session', session: currentSession(ctx) });
    if (event.type.startsWith('user.')) ctx.emit({ type: 'users', users: listUsers(ctx) });
    if (event.type === 'shift.opened' || event.type === 'shift.closed') {
      const shift = listShifts(ctx, 1)[0];
      if (shift !== undefined) ctx.emit({ type: 'shift', shift });
    }
    if (event.type === 'operation.created' || event.type === 'operation.closed') {
      const { operationId } = event.payload as { operationId: string };
      ctx.emit({ type: 'operation', operation: getOperation(ctx, operationId) });
    }
  };

  const runExport = (
    request: ExportRequest,
    onProgress: (done: number, total: number) => void,
  ): Promise<ExportResult> => {
    options.beforeExport?.();
    const progress = (p: ExportProgress): void => {
      ctx.emit({ type: 'export.progress', exportId: p.exportId, format: p.format, done: p.done, total: p.total });
      onProgress(p.done, p.total);
    };
    // From the built app: a worker thread, so the core's event loop stays free; from sources: in-process.
    const running = workerAvailable()
      ? exportInWorker(
          {
            dbPath: store.path,
            directorate: ctx.directorate,
            positionName: ctx.positionName,
            exportDir: ctx.exportDir,
            nowMs: ctx.now(),
            request,
          },
          progress,
        )
      : // pdfkit is loaded on the first export only: it is not needed to open the console.
        import('./export/run.js').then(({ exportLogbook }) =>
          exportLogbook(
            {
              db: store.db,
              directorate: ctx.directorate,
              positionName: ctx.positionName,
              exportDir: ctx.exportDir,
              now: ctx.now,
            },
            request,
            progress,
          ),
        );
    return running.then((result) => {
      ctx.emit({ type: 'export.finished', result });
      return result;
    });
  };

  const handlers: LogbookHandlers = {
    'session.signIn': (args) => signIn(ctx, args),
    'session.signOut': () => signOut(ctx),
    'session.current': () => currentSession(ctx),
    'users.list': () => listUsers(ctx),
    'users.add': (args) => addUser(ctx, args, session),
    'users.resetPin': (args) => resetPin(ctx, args, session),
    'users.unlock': (args) => unlockUser(ctx, args, session),
    'users.setRole': (args) => setRole(ctx, args, session),
    'logbook.append': (args) => appendEntry(ctx, args),
    'logbook.correct': (args) => correctEntry(ctx, args),
    'logbook.get': (args) => getEntry(ctx, args.entryId),
    'logbook.linkOperation': (args) => linkOperation(ctx, args),
    'logbook.list': (args) => listEntries(store.db, args.filters, args.before, args.limit),
    'logbook.search': (args) => searchEntries(store.db, args.query, args.filters, args.before, args.limit),
    'logbook.categories': () => [...ctx.categories],
    'export.start': (args) => runExport({ format: args.format, filters: args.filters, query: args.query }, () => {}),
    'shift.open': (args) => openShift(ctx, args),
    'shift.close': (args) => closeShift(ctx, args),
    'shift.preview': () => previewHandover(ctx),
    'shift.current': () => currentShift(ctx),
    'shift.lastHandover': () => lastHandover(ctx),
    'shift.list': (args) => listShifts(ctx, args.limit),
    'operation.create': (args) => createOperation(ctx, args),
    'operation.list': (args) => listOperations(ctx, args.status),
    'operation.close': (args) => closeOperation(ctx, args),
    'operation.chronology': (args) => operationChronology(ctx, args.operationId),
    'operation.communes': () => loadCommunes(),
    'operation.summary': (args) => operationSummary(ctx, args.operationId),
  };

  return {
    handlers,
    requirePermission: (action) => requirePermission(ctx, action),
    currentSession: () => currentSession(ctx),
    appendLines: (lines, fields) => appendLines(ctx, lines, fields),
    provisioning: {
      add: (args, author) => addUser(ctx, args, provisioner(author)),
      resetPin: (args, author) => resetPin(ctx, args, provisioner(author)),
      unlock: (args, author) => unlockUser(ctx, args, provisioner(author)),
      setRole: (args, author) => setRole(ctx, args, provisioner(author)),
      list: () => listUsers(ctx),
    },
    exportLogbook: (request, onProgress = () => {}) => runExport(request, onProgress),
    forward,
  };
};
