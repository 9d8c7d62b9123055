/**
 * createCore(options, modules): the whole application minus its windows, built from ONE module list
 * (electron/core/modules.ts; docs/architecture.md, "Kernel"). Plain Node — never imports `electron` — so
 * the desktop shell, the browser host, the CLI and the tests all run the same code.
 *
 * Order of start-up: open the store (migrating every module's schema), set every module up (cheap: no
 * network, no heavy import), answer requests; then, once the event loop is free, start the services
 * (telephony, backups…): the first status is answered before any of them has started.
 */
import type { CoreEvent, Method, Result, ResultOf, Status } from '../contract/index.js';
import { loadFileConfig, type FileConfig } from './config.js';
import { createDispatcher, joinHandlers } from './kernel/dispatch.js';
import { createEmitter } from './kernel/emitter.js';
import type { CoreModule, CoreOptions, ModuleContext, ModuleInstance, Ports, Service } from './kernel/module.js';
import { startReactors } from './kernel/reactors.js';
import { createRendererLink, type CoreEndpoint } from './kernel/renderer-link.js';
import { composeStatus } from './kernel/status.js';
import { coreModules } from './modules.js';
import { openStore, type Store } from './store/index.js';
import { watchWriteFaults } from './store/faults.js';
import { acquireDataDirLock, ensureDataDir } from './store/lock.js';
import { VigieError } from '../contract/result.js';

export type { CoreOptions } from './kernel/module.js';

/** `renderer` (from CoreEndpoint) is the same link the modules get as `ctx.renderer`: transports attach pages to it. */
export interface Core extends CoreEndpoint {
  readonly config: FileConfig;
  readonly store: Store;
  /** Resolves once every module's services have started (tests, benchmarks). */
  readonly started: Promise<void>;
  status(): Status;
  /** Resolves once every reaction to the events committed so far has run (tests). */
  settled(): Promise<void>;
  close(): Promise<void>;
}

const defaultLog = (level: 'info' | 'warn' | 'error', message: string): void => {
  process.stderr.write(`[${level}] ${message}\n`);
};

export const createCore = async (
  options: CoreOptions,
  modules: readonly CoreModule[] = coreModules(),
): Promise<Core> => {
  const now = options.now ?? Date.now;
  const log = options.log ?? defaultLog;
  ensureDataDir(options.dataDir);
  const fileConfig = loadFileConfig(options.dataDir);
  // One console per data directory (store/lock.ts); a core without services (vigie status) only reads.
  const lock = options.services === false ? undefined : acquireDataDirLock(options.dataDir, 'console');
  const config: FileConfig = { ...fileConfig, positionName: options.positionName ?? fileConfig.positionName };
  const events = createEmitter<CoreEvent>((error) => log('error', `écouteur d'événements en échec : ${String(error)}`));
  let closed = false;

  // Deferred, and dropped once closed: workers and the SIP process may report after close(). Held back
  // until every module is set up (a module may report during its own async setup, before status exists).
  let statusSoon = false;
  let statusReady = false;
  const pushStatusSoon = (): void => {
    if (statusSoon) return;
    statusSoon = true;
    queueMicrotask(() => {
      statusSoon = false;
      if (!closed && statusReady) events.emit({ type: 'status', status: status() });
    });
  };

  // Opening refuses a corrupt or newer database with a message naming the file and the way out.
  let opened: Store;
  try {
    opened = openStore({
      dataDir: options.dataDir,
      modules,
      now,
      startupCheck: options.startupCheck ?? 'log',
      onIntegrityError: (message) => {
        log('error', `contrôle d'intégrité en échec : ${message}`);
        pushStatusSoon();
      },
      backup:
        options.services === false
          ? false
          : {
              intervalMs: config.backup.intervalMinutes * 60_000,
              keep: config.backup.keep,
              onError: (error) => log('error', `sauvegarde automatique en échec : ${error.message}`),
            },
    });
  } catch (error) {
    lock?.release();
    throw error;
  }
  // A full disk or a read-only file turns the status bar's database item red until a write succeeds.
  const faults = watchWriteFaults(opened, pushStatusSoon);
  const store = faults.store;

  const renderer = createRendererLink({ log });
  const provided: Partial<Ports> = {};
  let dispatch: (method: string, args: unknown) => Promise<Result<unknown>> = async () => ({
    ok: false,
    error: { code: 'unavailable', message: 'Le poste démarre ; réessayez dans un instant.' },
  });

  const context: ModuleContext = {
    options,
    config,
    store,
    now,
    log,
    emit: (event) => {
      if (!closed) events.emit(event);
    },
    renderer,
    port(name) {
      const value = provided[name];
      if (value === undefined) throw new VigieError('unavailable', `Fonction absente de ce poste : ${String(name)}.`);
      return value;
    },
    // The dispatcher's answer for `method` is ResultOf<method> (contract/index.ts).
    request: <M extends Method>(method: M, args: unknown) => dispatch(method, args) as Promise<Result<ResultOf<M>>>,
    statusChanged: pushStatusSoon,
  };

  const instances: { module: string; instance: ModuleInstance }[] = [];
  let handlers: ReturnType<typeof joinHandlers>;
  try {
    for (const module of modules) {
      const instance = await module.setup(context);
      Object.assign(provided, instance.provides ?? {});
      instances.push({ module: module.name, instance });
    }
    handlers = joinHandlers([
      { module: 'kernel', handlers: { 'status.get': () => status() } },
      ...instances.map(({ module, instance }) => ({ module, handlers: instance.handlers ?? {} })),
    ]);
  } catch (error) {
    store.close();
    lock?.release();
    throw error;
  }

  const statusParts = instances.flatMap(({ instance }) => (instance.status === undefined ? [] : [instance.status]));
  const status = (): Status => {
    const composed = composeStatus(
      { dataDir: options.dataDir, positionName: config.positionName, store, now: now() },
      statusParts,
    );
    const fault = faults.fault();
    return fault === null
      ? composed
      : { ...composed, database: { ...composed.database, state: 'error', detail: fault } };
  };
  statusReady = true;

  dispatch = createDispatcher(handlers, (method, error) =>
    log('error', `${method} : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );

  const reactors = startReactors(
    store,
    instances.flatMap(({ module, instance }) => (instance.reactors ?? []).map((reactor) => ({ module, reactor }))),
    log,
  );

  // The status bar follows the event count live, at most once a second.
  let statusTimer: NodeJS.Timeout | null = null;
  const offAppend = store.onAppend(() => {
    statusTimer ??= setTimeout(() => {
      statusTimer = null;
      if (!closed) events.emit({ type: 'status', status: status() });
    }, 1000);
  });

  // Services start once the event loop is free, so that the first screen is served first.
  const services: { module: string; service: Service }[] = instances.flatMap(({ module, instance }) =>
    (instance.services ?? []).map((service) => ({ module, service })),
  );
  const running: { module: string; service: Service }[] = [];
  const started = new Promise<void>((resolve) => setImmediate(resolve)).then(async () => {
    if (options.services === false) return;
    for (const entry of services) {
      if (closed) return;
      try {
        await entry.service.start();
        running.push(entry);
      } catch (error) {
        log('error', `service ${entry.module}/${entry.service.name} non démarré : ${String(error)}`);
      }
    }
    pushStatusSoon();
  });

  return {
    config,
    store,
    renderer,
    started,
    status,
    request: (method, args) => dispatch(method, args),
    onEvent: (listener) => events.on(listener),
    settled: () => reactors.idle(),
    async close() {
      if (closed) return;
      closed = true;
      await started;
      for (const { module, service } of running.reverse()) {
        try {
          await service.stop();
        } catch (error) {
          log('error', `service ${module}/${service.name} mal arrêté : ${String(error)}`);
        }
      }
      await reactors.idle();
      reactors.stop();
      offAppend();
      if (statusTimer !== null) clearTimeout(statusTimer);
      events.clear();
      store.close();
      lock?.release();
    },
  };
};
