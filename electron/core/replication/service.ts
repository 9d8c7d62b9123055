/**
 * The replication service (docs/architecture.md, "Replication"): pushes this position's events not yet
 * on the central server, pulls the others' after the cursor and applies them through Store.applyRemote.
 * Everything runs on the event loop between awaits, one batch at a time, so neither the UI nor telephony
 * waits for the network; an unreachable server is retried with a doubling back-off, moving on to the
 * next URL of the list (primary, then standbys).
 */
import { readFileSync } from 'node:fs';
import pg from 'pg';
import type { ReplicationInfo } from '../../contract/replication.js';
import type { LogLevel, Service } from '../kernel/module.js';
import { eventsAfter } from '../store/remote.js';
import type { Store } from '../store/types.js';
import { centralHead, CentralForkError, lagAfter, pull, pushBatch, type Cursor } from './central/client.js';
import { serverLabel, type CentralConfig } from './config.js';
import { quarantineCount, readCursor, recordPull } from './state.js';

export interface ReplicationOptions {
  store: Store;
  config: CentralConfig;
  now: () => number;
  log: (level: LogLevel, message: string) => void;
  /** Something the status bar shows changed. */
  changed: () => void;
}

export interface Replication {
  service: Service;
  info(): ReplicationInfo;
  /** Resolves after the next complete exchange (push and pull) with the server (tests, benchmarks). */
  synced(): Promise<void>;
}

/** pg lets the connection string's fields override separate options, so the password goes into the URL. */
const withPassword = (text: string, password: string | undefined): string => {
  if (password === undefined) return text;
  const url = new URL(text);
  url.password = encodeURIComponent(password);
  return url.toString();
};

const errorText = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export const createReplication = (options: ReplicationOptions): Replication => {
  const { store, config, now, log } = options;
  const origin = store.origin;
  const headSeq = store.db.prepare('SELECT seq FROM heads WHERE origin = ?').pluck();
  let client: pg.Client | undefined;
  let urlIndex = 0;
  let acked: number | undefined;
  let state: ReplicationInfo['state'] = 'offline';
  let lastError: string | null = null;
  let lastSyncAt: number | null = null;
  let applied = 0;
  /** Server time minus the receive time of the first event not yet applied; null while not connected. */
  let lagMs: number | null = null;
  let quarantined = quarantineCount(store.db);
  let forked: string | null = null;
  let stopped = true;
  let loop: Promise<void> | undefined;
  let wakeUp: (() => void) | undefined;
  let woken = false;
  /** Exchanges begun so far; a synced() waiter wants one that begins after its call. */
  let cycles = 0;
  const waiters: { after: number; resolve: () => void }[] = [];

  const wake = (): void => {
    woken = true;
    wakeUp?.();
  };
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      if (woken || stopped) {
        resolve();
        return;
      }
      const timer = setTimeout(done, ms);
      function done(): void {
        clearTimeout(timer);
        wakeUp = undefined;
        resolve();
      }
      wakeUp = done;
    });

  const localHead = (): number => (headSeq.get(origin) as number | undefined) ?? 0;

  const setState = (next: ReplicationInfo['state'], error: string | null): void => {
    if (next === state && error === lastError) return;
    state = next;
    lastError = error;
    options.changed();
  };

  const connect = async (): Promise<pg.Client> => {
    const urls = config.urls;
    let failure: unknown;
    for (let i = 0; i < urls.length; i += 1) {
      const index = (urlIndex + i) % urls.length;
      const url = urls[index] ?? '';
      const password = config.passwordFile === undefined ? undefined : readFileSync(config.passwordFile, 'utf8').trim();
      const candidate = new pg.Client({
        connectionString: withPassword(url, password),
        connectionTimeoutMillis: config.connectTimeoutMs,
        keepAlive: true,
        statement_timeout: 30_000,
        application_name: `vigie ${origin}`,
      });
      // A connection lost later is reported here (pg emits 'error' on the client): never an uncaught error.
      candidate.on('error', (error) => {
        if (client === candidate) client = undefined;
        lastError = `connexion perdue : ${error.message}`;
        wake();
      });
      candidate.on('notification', wake);
      try {
        await candidate.connect();
        // A standby is read-only: push needs the primary (a promoted standby says false).
        const recovery = await candidate.query<{ r: boolean }>('SELECT pg_is_in_recovery() AS r');
        if (recovery.rows[0]?.r === true)
          throw new Error(`${serverLabel(url)} est un serveur de secours (lecture seule)`);
        await candidate.query('LISTEN vigie_events');
        urlIndex = index;
        return candidate;
      } catch (error) {
        failure = error;
        await candidate.end().catch(() => undefined);
      }
    }
    throw failure instanceof Error ? failure : new Error(String(failure));
  };

  const push = async (c: pg.Client): Promise<void> => {
    if (forked !== null) return;
    if (acked === undefined) {
      const head = await centralHead(c, origin);
      const mine = head === undefined ? [] : eventsAfter(store.db, origin, head.seq - 1, 1);
      if (head !== undefined && mine[0]?.hash !== head.hash) {
        throw new CentralForkError(
          `Le serveur central a pour ce poste un événement seq ${head.seq} que son journal n’a pas (ou pas à l’identique).`,
        );
      }
      acked = head?.seq ?? 0;
    }
    let batch = eventsAfter(store.db, origin, acked, config.batchSize);
    for (;;) {
      const last = batch[batch.length - 1];
      if (last === undefined) return;
      const sent = pushBatch(c, batch);
      // The next batch is read from SQLite while the server checks and stores this one. Should this one
      // fail, the read is simply dropped: the loop stops at the await and `acked` has not moved.
      const following = eventsAfter(store.db, origin, last.seq, config.batchSize);
      await sent;
      acked = last.seq;
      options.changed();
      batch = following;
    }
  };

  const measureLag = async (c: pg.Client, cursor: Cursor): Promise<void> => {
    const next = await lagAfter(c, cursor, origin);
    if (next === lagMs) return;
    lagMs = next;
    options.changed();
  };

  const pullAll = async (c: pg.Client): Promise<void> => {
    const server = serverLabel(config.urls[urlIndex] ?? '');
    const page = config.pullBatchSize;
    let next = pull(c, readCursor(store.db, server), page, origin);
    for (;;) {
      const r = await next;
      const full = r.events.length >= page;
      if (full) {
        // The server reads the next page while this process applies this one (same cursor: recordPull
        // stores r.cursor in the apply transaction). If applying throws, the connection is dropped and
        // this read with it; its failure then needs no handler of its own.
        next = pull(c, r.cursor, page, origin);
        next.catch(() => undefined);
      }
      if (r.events.length > 0) {
        const result = store.applyRemote(r.events, recordPull(r.events, r.cursor, server, now()));
        applied += result.applied.length;
        if (result.refused.length > 0) {
          quarantined = quarantineCount(store.db);
          for (const refusal of result.refused) log('error', `réplication : quarantaine — ${refusal.message}`);
        }
        options.changed();
      }
      await measureLag(c, r.cursor);
      if (!full) return;
      // Let the UI and telephony run between two pages.
      await new Promise((resolve) => setImmediate(resolve));
    }
  };

  const run = async (): Promise<void> => {
    let backoff = config.retryMs[0];
    while (!stopped) {
      woken = false;
      cycles += 1;
      const cycle = cycles;
      try {
        client ??= await connect();
        await push(client);
        await pullAll(client);
        lastSyncAt = now();
        backoff = config.retryMs[0];
        setState('online', null);
        for (const w of waiters.filter((x) => x.after < cycle)) {
          waiters.splice(waiters.indexOf(w), 1);
          w.resolve();
        }
        await sleep(config.pollMs);
      } catch (error) {
        if (error instanceof CentralForkError) {
          forked = error.message;
          log('error', `réplication : ${error.message}`);
        }
        const broken = client;
        client = undefined;
        acked = undefined;
        lagMs = null;
        await broken?.end().catch(() => undefined);
        if (stopped) return;
        setState('offline', errorText(error));
        // The next attempt starts with the next server of the list.
        urlIndex = (urlIndex + 1) % config.urls.length;
        await sleep(backoff);
        backoff = Math.min(backoff * 2, config.retryMs[1]);
      }
    }
  };

  let offAppend: (() => void) | undefined;
  const service: Service = {
    name: 'réplication',
    start() {
      stopped = false;
      offAppend = store.onAppend((event) => {
        if (event.origin === origin) wake();
      });
      loop = run().catch((error: unknown) => log('error', `réplication arrêtée : ${errorText(error)}`));
    },
    async stop() {
      stopped = true;
      offAppend?.();
      wake();
      await loop;
      await client?.end().catch(() => undefined);
      client = undefined;
    },
  };

  const info = (): ReplicationInfo => ({
    configured: true,
    state,
    server: serverLabel(config.urls[urlIndex] ?? ''),
    backlog: Math.max(0, localHead() - (acked ?? 0)),
    lastSyncAt: lastSyncAt === null ? null : new Date(lastSyncAt).toISOString(),
    applied,
    lagMs,
    quarantined,
    lastError: forked ?? lastError,
  });

  return {
    service,
    info,
    synced: () =>
      new Promise<void>((resolve) => {
        waiters.push({ after: cycles, resolve });
        wake();
      }),
  };
};
