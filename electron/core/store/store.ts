import type Database from 'better-sqlite3';
import { randomUUID } from 'node:crypto';
import { backupDatabase, DEFAULT_BACKUP_INTERVAL_MS, DEFAULT_BACKUP_KEEP } from './backup.js';
import { canonicalJson } from './canonical.js';
import { eventHash, GENESIS_HASH, headsTotal } from './chain.js';
import { mappingSqliteErrors, StoreError } from './errors.js';
import { CLOCK_SKEW, STORE_AUTHOR, type ClockSkewPayload } from './events.js';
import { formatHlc, parseHlc, receiveHlc, tickHlc, type HlcTimestamp } from './hlc.js';
import { buildRemoteChecks, buildTypeTable } from './declarations.js';
import { checkModules, migrate } from './migrate.js';
import { startCheckpointer, type Checkpointer } from './checkpointer.js';
import { BUSY_TIMEOUT_MS, openDatabase } from './open.js';
import { databasePath } from './paths.js';
import { quickCheckInWorker } from './quick-check-worker.js';
import type {
  AppendItem,
  IntegrityState,
  Projection,
  RemoteApplyResult,
  RemoteEvent,
  Store,
  StoredEvent,
  StoreOptions,
} from './types.js';
import { insertRemote, type RemoteWithin } from './remote.js';
import { createProjector, replayProjections } from './replay.js';
import { createUuidV7 } from './uuidv7.js';
import { verifyDatabase } from './verify.js';

export const DEFAULT_MAX_CLOCK_SKEW_MS = 60_000;
const MAX_AUTHOR_LENGTH = 200;
const CHECKPOINT_INTERVAL_MS = 250;
/** 10 000 pages (40 MB with 4 KiB pages): reached only if the background checkpoints cannot keep up. */
const BACKSTOP_CHECKPOINT_PAGES = 10_000;
const JOURNAL_SIZE_LIMIT = 64 * 1024 * 1024;

/** An append item once validated: its canonical payload text and the value read back from it. */
interface Prepared {
  type: string;
  author: string;
  payloadJson: string;
  payload: unknown;
}

const ensureOrigin = (db: Database.Database): string =>
  db
    .transaction(() => {
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('origin', ?)").run(randomUUID());
      return (db.prepare("SELECT value FROM meta WHERE key = 'origin'").get() as { value: string }).value;
    })
    .immediate();

const closedError = (): StoreError => new StoreError('unavailable', 'Le journal des événements est fermé.');

/**
 * Opens (creating or migrating if needed) the event store of a data directory. See types.ts for the
 * contract and README.md in this folder for the guarantees and the restore procedure.
 */
export const openStore = (options: StoreOptions): Store => {
  const now = options.now ?? Date.now;
  const maxSkew = options.maxClockSkewMs ?? DEFAULT_MAX_CLOCK_SKEW_MS;
  // Declarations are checked before the file is opened: a wrong module list changes nothing on disk.
  checkModules(options.modules);
  const types = buildTypeTable(options.modules);
  const remoteChecks = buildRemoteChecks(options.modules);
  const projections: readonly Projection[] = options.modules.flatMap((m) => m.projections);
  const path = databasePath(options.dataDir);
  const startupCheck = options.startupCheck ?? 'full';
  const db = openDatabase(path, { dataDir: options.dataDir, startupCheck });
  let origin: string;
  try {
    migrate(db, path, options.modules);
    origin = mappingSqliteErrors(path, () => ensureOrigin(db));
  } catch (error) {
    db.close();
    throw error;
  }

  // Checkpoints in a worker thread (checkpointer.ts); SQLite's own stays as a backstop at a high threshold.
  let checkpointer: Checkpointer | undefined;
  if ((options.checkpoint ?? 'background') === 'background') {
    db.pragma(`wal_autocheckpoint = ${BACKSTOP_CHECKPOINT_PAGES}`);
    checkpointer = startCheckpointer(path, {
      intervalMs: CHECKPOINT_INTERVAL_MS,
      busyTimeoutMs: BUSY_TIMEOUT_MS,
      ftsTables: projections.flatMap((p) => p.ftsMergeTables ?? []),
      onError: (message) => {
        db.pragma('wal_autocheckpoint = 1000');
        process.stderr.write(
          `vigie : points de contrôle WAL en arrière-plan indisponibles (${message}) ; SQLite les fait lui-même\n`,
        );
      },
    });
  }
  // Keep a WAL grown by a burst (a rebuild, a bulk import) from staying that big once checkpointed.
  db.pragma(`journal_size_limit = ${JOURNAL_SIZE_LIMIT}`);

  let integrity: IntegrityState = { state: 'ok' };
  // close() stops the background check: a worker still reading the file after close would recreate the
  // -wal/-shm files of a database its owner has just closed (and may be about to move or delete).
  const stopChecking = new AbortController();
  if (startupCheck === 'log') {
    // The rest of the file (projections, FTS) is checked while the position already works (README "Opening").
    integrity = { state: 'checking' };
    const onIntegrityError =
      options.onIntegrityError ?? ((message: string) => process.stderr.write(`vigie : ${message}\n`));
    quickCheckInWorker(path, { unref: true, signal: stopChecking.signal }).then(
      (rows) => {
        if (closed) return;
        if (rows.length === 1 && rows[0] === 'ok') {
          integrity = { state: 'ok' };
          return;
        }
        const message =
          `La base de données ${path} est endommagée (quick_check : ${rows.slice(0, 3).join(' ; ')}). ` +
          'Le journal a été vérifié à l’ouverture ; reconstruire les projections (vigie rebuild) ou restaurer une sauvegarde.';
        integrity = { state: 'error', message };
        onIntegrityError(message);
      },
      (error: unknown) => {
        if (closed) return;
        const message = `Vérification de ${path} impossible : ${error instanceof Error ? error.message : String(error)}`;
        integrity = { state: 'error', message };
        onIntegrityError(message);
      },
    );
  }

  const nextId = createUuidV7(now);
  const listeners = new Set<(event: StoredEvent) => void>();
  // One warning per episode: set after a clock.skew commit, cleared when the clock is back in range.
  let localSkewReported = false;
  let remoteSkewReported = false;
  let closed = false;

  const selectHead = db.prepare('SELECT seq, hash FROM heads WHERE origin = ?');
  const selectClock = db.prepare('SELECT l, c FROM clock WHERE id = 1');
  const insertEvent = db.prepare(
    'INSERT INTO events (origin, seq, id, hlc, type, author, payload, prev_hash, hash) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
  );
  const upsertHead = db.prepare(
    'INSERT INTO heads (origin, seq, id, hash) VALUES (?, ?, ?, ?) ' +
      'ON CONFLICT (origin) DO UPDATE SET seq = excluded.seq, id = excluded.id, hash = excluded.hash',
  );
  const updateClock = db.prepare('UPDATE clock SET l = ?, c = ? WHERE id = 1');

  const prepare = (item: AppendItem): Prepared => {
    const schema = types.get(item.type);
    if (schema === undefined) throw new StoreError('invalid', `Type d'événement inconnu : ${item.type}`);
    if (typeof item.author !== 'string' || item.author.trim() === '' || item.author.length > MAX_AUTHOR_LENGTH) {
      throw new StoreError(
        'invalid',
        `Auteur invalide pour ${item.type} : texte de 1 à ${MAX_AUTHOR_LENGTH} caractères attendu`,
      );
    }
    const parsed = schema.safeParse(item.payload);
    if (!parsed.success) {
      const details = parsed.error.issues.map((issue) => `${issue.path.join('.') || '(racine)'} : ${issue.message}`);
      throw new StoreError('invalid', `Contenu invalide pour ${item.type} : ${details.join(' ; ')}`, details);
    }
    let payloadJson: string;
    try {
      payloadJson = canonicalJson(parsed.data);
    } catch (error) {
      throw new StoreError(
        'invalid',
        `Contenu invalide pour ${item.type} : ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    // Everyone (caller, projections, listeners) sees the payload exactly as it will be read back after a rebuild.
    return { type: item.type, author: item.author, payloadJson, payload: JSON.parse(payloadJson) as unknown };
  };

  const skewItem = (payload: ClockSkewPayload): Prepared =>
    prepare({ type: CLOCK_SKEW, payload, author: STORE_AUTHOR });

  interface Outcome {
    written: StoredEvent[];
    /** Index in `written` of the first event of the caller's items (after any clock.skew warnings). */
    firstItem: number;
    clock: HlcTimestamp;
    localSkew: boolean;
    remoteSkew: boolean | undefined;
  }

  /**
   * The write path, inside one BEGIN IMMEDIATE transaction: the chain head and the clock are read from the
   * database (not from memory), so several processes appending to the same file stay consistent.
   */
  const write = db.transaction((items: readonly Prepared[], remote: HlcTimestamp | undefined): Outcome => {
    const head = selectHead.get(origin) as { seq: number; hash: string } | undefined;
    let seq = head?.seq ?? 0;
    let prevHash = head?.hash ?? GENESIS_HASH;
    let clock = selectClock.get() as HlcTimestamp;
    const pt = Math.floor(now());
    const written: StoredEvent[] = [];
    let lastId = '';
    // One projector per transaction: what a projection's run keeps in memory lives no longer than it.
    const projector = createProjector(db, projections);

    const writeOne = (p: Prepared): void => {
      clock = tickHlc(clock, pt);
      seq += 1;
      const id = nextId();
      const hlc = formatHlc(clock);
      const hash = eventHash(prevHash, {
        origin,
        seq,
        id,
        hlc,
        type: p.type,
        author: p.author,
        payloadJson: p.payloadJson,
      });
      insertEvent.run(origin, seq, id, hlc, p.type, p.author, p.payloadJson, prevHash, hash);
      const event: StoredEvent = {
        origin,
        seq,
        id,
        hlc,
        type: p.type,
        author: p.author,
        payload: p.payload,
        prevHash,
        hash,
      };
      projector.apply(event);
      prevHash = hash;
      lastId = id;
      written.push(event);
    };

    let remoteSkew: boolean | undefined;
    let localSkew = localSkewReported;
    if (remote !== undefined) {
      clock = receiveHlc(clock, remote, pt);
      remoteSkew = remote.l - pt > maxSkew;
      if (remoteSkew && !remoteSkewReported) {
        writeOne(
          skewItem({
            source: 'remote',
            skewMs: remote.l - pt,
            physicalMs: pt,
            clock: formatHlc(clock),
            remote: formatHlc(remote),
          }),
        );
      }
      // The local clock is now ahead for the same reason: no second warning for it.
      if (remoteSkew) localSkew = true;
    } else if (clock.l - pt > maxSkew) {
      if (!localSkewReported) {
        writeOne(skewItem({ source: 'local', skewMs: clock.l - pt, physicalMs: pt, clock: formatHlc(clock) }));
      }
      localSkew = true;
    } else {
      localSkew = false;
    }
    const firstItem = written.length;
    for (const item of items) writeOne(item);
    projector.finish();
    if (written.length > 0) upsertHead.run(origin, seq, lastId, prevHash);
    updateClock.run(clock.l, clock.c);
    return { written, firstItem, clock, localSkew, remoteSkew };
  }).immediate;

  const tell = (written: readonly StoredEvent[]): void => {
    for (const event of written) {
      for (const listener of listeners) {
        try {
          listener(event);
        } catch (error) {
          // A listener's failure must not turn a committed append into a reported failure.
          process.stderr.write(
            `vigie : un abonné au journal a échoué : ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`,
          );
        }
      }
    }
  };

  const settle = (outcome: Outcome): void => {
    localSkewReported = outcome.localSkew;
    if (outcome.remoteSkew !== undefined) remoteSkewReported = outcome.remoteSkew;
  };

  const commit = (items: readonly Prepared[], remote?: HlcTimestamp): Outcome => {
    if (closed) throw closedError();
    // A full disk, a read-only file or a lock held too long are named for the operator (errors.ts).
    const outcome = mappingSqliteErrors(path, () => write(items, remote));
    settle(outcome);
    tell(outcome.written);
    return outcome;
  };

  const backupSettings = options.backup === false ? undefined : (options.backup ?? {});
  const keep = backupSettings?.keep ?? DEFAULT_BACKUP_KEEP;
  let running: Promise<{ file: string; events: number }> | undefined;
  const backup = (): Promise<{ file: string; events: number }> => {
    if (closed) return Promise.reject(closedError());
    running ??= backupDatabase(db, options.dataDir, keep).finally(() => {
      running = undefined;
    });
    return running;
  };
  let timer: NodeJS.Timeout | undefined;
  const intervalMs = backupSettings?.intervalMs ?? DEFAULT_BACKUP_INTERVAL_MS;
  if (backupSettings !== undefined && intervalMs > 0) {
    const onError =
      backupSettings.onError ??
      ((error: Error) => process.stderr.write(`vigie : sauvegarde automatique échouée : ${error.message}\n`));
    timer = setInterval(() => {
      backup().catch((error: unknown) => {
        if (!closed) onError(error instanceof Error ? error : new Error(String(error)));
      });
    }, intervalMs);
    // The schedule alone must not keep a process (a CLI command, a test) alive.
    timer.unref();
  }

  const rebuild = db.transaction((onProgress?: (done: number, total: number) => void): { events: number } => {
    const total = headsTotal(db);
    const progress = onProgress === undefined ? undefined : (done: number) => onProgress(done, total);
    return { events: replayProjections(db, projections, undefined, progress) };
  });

  const remoteTx = db.transaction((events: readonly RemoteEvent[], within: RemoteWithin | undefined) => {
    const step = insertRemote(db, types, projections, events, remoteChecks, (e) => {
      insertEvent.run(e.origin, e.seq, e.id, e.hlc, e.type, e.author, e.payloadJson, e.prevHash, e.hash);
      upsertHead.run(e.origin, e.seq, e.id, e.hash);
    });
    const newest = step.applied[step.applied.length - 1];
    // The clock merges the newest remote HLC (and writes clock.skew when it is far ahead).
    const outcome = newest === undefined ? undefined : write([], parseHlc(newest.hlc));
    const result: RemoteApplyResult = {
      ...step,
      clock: formatHlc(outcome?.clock ?? (selectClock.get() as HlcTimestamp)),
    };
    within?.(db, result);
    return { result, outcome };
  }).immediate;

  return {
    origin,
    db,
    path,
    append<P>(type: string, payload: P, author: string): StoredEvent<P> {
      const outcome = commit([prepare({ type, payload, author })]);
      return outcome.written[outcome.firstItem] as StoredEvent<P>;
    },
    appendAll(items) {
      if (items.length === 0) return [];
      const outcome = commit(items.map(prepare));
      return outcome.written.slice(outcome.firstItem);
    },
    onAppend(listener) {
      listeners.add(listener);
      return () => {
        listeners.delete(listener);
      };
    },
    count: () => headsTotal(db),
    verify: () => verifyDatabase(db),
    rebuild(onProgress) {
      if (closed) throw closedError();
      return mappingSqliteErrors(path, () => {
        const result = rebuild.immediate(onProgress);
        db.pragma('wal_checkpoint(TRUNCATE)');
        return result;
      });
    },
    backup,
    applyRemote(events, within) {
      if (closed) throw closedError();
      const { result, outcome } = mappingSqliteErrors(path, () => remoteTx(events, within));
      if (outcome !== undefined) settle(outcome);
      // The remote events first (projection order), then a clock.skew this batch may have caused.
      tell([...result.applied, ...(outcome?.written ?? [])]);
      return result;
    },
    receiveClock(remoteHlc) {
      const remote = parseHlc(remoteHlc);
      if (remote === undefined) throw new StoreError('invalid', `Horloge distante illisible : ${remoteHlc}`);
      return formatHlc(commit([], remote).clock);
    },
    clock: () => formatHlc(selectClock.get() as HlcTimestamp),
    integrity: () => integrity,
    close() {
      if (closed) return;
      closed = true;
      if (timer !== undefined) clearInterval(timer);
      checkpointer?.stop();
      stopChecking.abort();
      db.close();
    },
  };
};
