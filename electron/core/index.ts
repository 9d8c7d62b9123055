/**
 * createCore(config): the whole application minus its windows. Plain Node — never imports
 * `electron` — so the desktop shell, the browser host, the CLI and the tests all run the same code.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { CoreEvent, Status, VigieBridge } from '../contract/index.js';
import { formatNoumea, ZONE } from './clock.js';
import { loadFileConfig, type FileConfig } from './config.js';
import { createDispatcher, type Handlers } from './dispatch.js';
import { eventTypes, projections } from './domain.js';
import { openStore, type Store } from './store/index.js';
import { createLogbookService } from './logbook/index.js';
import { createCallsService } from './calls/service.js';
import {
  createTelephony,
  defaultLines,
  telephonyConfigSchema,
  type TelephonyConfigInput,
  type TelephonyOverrides,
} from './telephony/index.js';
import { appVersion } from './version.js';

export interface CoreConfig {
  dataDir: string;
  /** Overrides the position name of `<data>/vigie.json`. */
  positionName?: string;
  /** Injectable wall clock (ms since epoch), for tests. */
  now?: () => number;
  /** Where technical messages go (electron-log in the shell, stderr in the CLI). Never user data or secrets. */
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
  /** Overrides the `telephony` key of `<data>/vigie.json` (e.g. `vigie serve --lab DIR --user 1001`). */
  telephony?: TelephonyConfigInput;
  /** Answer every call after this many seconds: tests and benchmarks only (`--auto-answer`). */
  autoAnswerSeconds?: number;
  /** The SIP child: its spawner (Electron's utilityProcess in the shell), entry file, overload threshold. */
  sip?: Pick<TelephonyOverrides, 'spawner' | 'entry' | 'maxPendingOffers' | 'onSetup'>;
  /**
   * 'log' (default): check the log's own tables before opening and the whole file in the background, so
   * the console is usable in about a second even at 1 M events; a problem found later turns the status
   * bar red. 'full': the whole file before opening (diagnostic commands).
   */
  startupCheck?: 'full' | 'log';
}

export interface Core extends VigieBridge {
  readonly config: FileConfig;
  readonly store: Store;
  status(): Status;
  close(): Promise<void>;
}

export const createCore = async (options: CoreConfig): Promise<Core> => {
  const now = options.now ?? Date.now;
  const log = options.log ?? ((level, message) => process.stderr.write(`[${level}] ${message}\n`));
  mkdirSync(options.dataDir, { recursive: true });
  const fileConfig = loadFileConfig(options.dataDir);
  const config: FileConfig = { ...fileConfig, positionName: options.positionName ?? fileConfig.positionName };
  const listeners = new Set<(event: CoreEvent) => void>();
  let closed = false;
  // Deferred, and dropped once closed: the integrity worker and the SIP phone may report after close().
  const pushStatusSoon = (): void =>
    queueMicrotask(() => {
      if (!closed) emit({ type: 'status', status: status() });
    });
  // Opening refuses a corrupt or newer database with a message naming the file and the way out.
  const store = openStore({
    dataDir: options.dataDir,
    eventTypes,
    projections,
    now,
    startupCheck: options.startupCheck ?? 'log',
    onIntegrityError: (message) => {
      log('error', `contrôle d'intégrité en échec : ${message}`);
      pushStatusSoon();
    },
    backup: {
      intervalMs: config.backup.intervalMinutes * 60_000,
      keep: config.backup.keep,
      onError: (error) => log('error', `sauvegarde automatique en échec : ${error.message}`),
    },
  });

  const emit = (event: CoreEvent): void => {
    for (const listener of listeners) {
      try {
        listener(event);
      } catch (error) {
        log('error', `écouteur d'événements en échec : ${String(error)}`);
      }
    }
  };

  const databaseStatus = (): Status['database'] => {
    const integrity = store.integrity();
    const events = store.count();
    if (integrity.state === 'error') return { state: 'error', detail: integrity.message, events };
    const checking = integrity.state === 'checking' ? ' — contrôle d’intégrité en cours' : '';
    return { state: 'ok', detail: `Journal local ${store.path}${checking}`, events };
  };

  const status = (): Status => {
    const t = now();
    return {
      version: appVersion(),
      dataDir: options.dataDir,
      nodeId: store.origin,
      positionName: config.positionName,
      clock: { iso: new Date(t).toISOString(), zone: ZONE, local: formatNoumea(t) },
      telephony: telephony.state(),
      network: { state: 'local', detail: 'Poste autonome (pas de serveur central configuré)' },
      database: databaseStatus(),
    };
  };

  // Main courante, sessions, shifts, operations, export (electron/core/logbook/service.ts).
  const logbook = createLogbookService(store, {
    positionName: config.positionName,
    directorate: config.directorate,
    exportDir: join(options.dataDir, 'exports'),
    now,
    emit,
  });

  // The status bar follows the event count live, at most once a second; telephony changes at once.
  let statusTimer: NodeJS.Timeout | null = null;
  const pushStatus = (): void => {
    statusTimer ??= setTimeout(() => {
      statusTimer = null;
      emit({ type: 'status', status: status() });
    }, 1000);
  };
  const offAppend = store.onAppend(pushStatus);

  // Calls and callbacks (the pure call domain); events are signed by the operator signed in here.
  const calls = createCallsService(store, {
    operator: () => logbook.currentSession()?.userName ?? config.positionName,
    now,
    emit,
    log,
  });
  // The SIP stack in its supervised child process, feeding the call desk (electron/core/telephony).
  const telephonyInput = options.telephony ?? config.telephony;
  const telephonyConfig = telephonyInput === undefined ? undefined : telephonyConfigSchema.parse(telephonyInput);
  const sip = options.sip ?? {};
  const phone =
    telephonyConfig === undefined
      ? undefined
      : createTelephony({
          config: telephonyConfig,
          store,
          desk: calls.desk,
          lines: {
            lines: telephonyConfig.lines.length > 0 ? telephonyConfig.lines : defaultLines(),
            calledNumberFrom: telephonyConfig.calledNumberFrom,
          },
          ...(options.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: options.autoAnswerSeconds }),
          ...(sip.spawner === undefined ? {} : { spawner: sip.spawner }),
          ...(sip.entry === undefined ? {} : { entry: sip.entry }),
          ...(sip.maxPendingOffers === undefined ? {} : { maxPendingOffers: sip.maxPendingOffers }),
          now,
          log,
          // Deferred: a state change may be reported while the core is still being built.
          onStateChange: pushStatusSoon,
        });
  if (phone !== undefined) sip.onSetup?.(phone);
  phone?.start();
  const telephony = {
    state: () => phone?.state() ?? { state: 'disabled' as const, detail: 'Téléphonie non configurée' },
    close: async () => {
      await phone?.stop();
      calls.close();
    },
  };

  const handlers: Handlers = {
    'status.get': () => status(),
    ...logbook.handlers,
    ...calls.handlers,
  };

  const dispatch = createDispatcher(handlers, (method, error) =>
    log('error', `${method} : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`),
  );

  return {
    config,
    store,
    status,
    request: dispatch,
    onEvent(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    async close() {
      if (closed) return;
      closed = true;
      await telephony.close();
      offAppend();
      logbook.close();
      if (statusTimer !== null) clearTimeout(statusTimer);
      listeners.clear();
      store.close();
    },
  };
};
