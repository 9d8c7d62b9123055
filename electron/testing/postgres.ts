/**
 * A throw-away PostgreSQL 15 server for tests: initdb in a temporary directory, `postgres` on a free
 * loopback port (TCP on 127.0.0.1 only, its Unix socket in the same directory), stopped by its PID.
 * initdb refuses to run as root, so under root the cluster belongs to the `postgres` system user: the
 * processes are spawned with its uid/gid, so the PID we hold is the postmaster's own. Not used by
 * production code.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { freeTcpPort } from '../lab/ports.js';

export const PG_BIN = '/usr/lib/postgresql/15/bin';
export const SUPERUSER = 'vigie_admin';

export interface TestPostgres {
  readonly port: number;
  readonly dir: string;
  /** Superuser URL (trust authentication on loopback). */
  readonly url: string;
  urlFor(user: string, password: string, database?: string): string;
  /** Starts the server again on the same port and data directory (after stop()). */
  start(): Promise<void>;
  /** Fast shutdown (SIGINT to the postmaster's PID), waits for its exit; SIGQUIT: immediate, as a crash. */
  stop(signal?: 'SIGINT' | 'SIGQUIT'): Promise<void>;
  /** A streaming standby of this server: pg_basebackup -R into a new directory, started on a free port. */
  standby(): Promise<TestPostgres>;
  /** Stops and removes the temporary directory. */
  destroy(): Promise<void>;
}

export const postgresAvailable = (): boolean => existsSync(join(PG_BIN, 'initdb'));

/** A free loopback TCP port: the lab's own helper. */
export const freePort = freeTcpPort;

const asRoot = typeof process.getuid === 'function' && process.getuid() === 0;

const idOf = (flag: '-u' | '-g'): number =>
  Number(spawnSync('id', [flag, 'postgres'], { encoding: 'utf8' }).stdout.trim());

/** Spawn options running a command as the cluster's owner: `postgres` when we are root, ourselves otherwise. */
export const owner = (): { uid?: number; gid?: number } => (asRoot ? { uid: idOf('-u'), gid: idOf('-g') } : {});

const waitReady = async (url: string, child: ChildProcess, timeoutMs: number): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`postgres s'est arrêté au démarrage (code ${child.exitCode})`);
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 1000 });
    try {
      await client.connect();
      await client.query('SELECT 1');
      await client.end();
      return;
    } catch {
      await client.end().catch(() => undefined);
      if (Date.now() > deadline) throw new Error(`postgres injoignable après ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
};

export interface StartOptions {
  /** Extra `-c name=value` settings. */
  settings?: Record<string, string>;
  /** Use this existing data directory (e.g. a pg_basebackup) instead of running initdb. */
  dataDir?: string;
  port?: number;
}

export const startPostgres = async (options: StartOptions = {}): Promise<TestPostgres> => {
  const dir = mkdtempSync(join(tmpdir(), 'vigie-pg-'));
  chmodSync(dir, 0o755);
  const data = options.dataDir ?? join(dir, 'data');
  const socketDir = join(dir, 'sock');
  mkdirSync(socketDir);
  const ids = owner();
  if (ids.uid !== undefined && ids.gid !== undefined) {
    chownSync(dir, ids.uid, ids.gid);
    chownSync(socketDir, ids.uid, ids.gid);
  }
  if (options.dataDir === undefined) {
    const init = spawnSync(
      join(PG_BIN, 'initdb'),
      ['-D', data, '-U', SUPERUSER, '--auth=trust', '--encoding=UTF8', '--locale=C', '--no-sync'],
      { encoding: 'utf8', cwd: dir, ...ids },
    );
    if (init.status !== 0) throw new Error(`initdb en échec : ${init.stderr}`);
    // Position roles log in with a password (scram); the superuser keeps trust for the tests' own use.
    writeFileSync(
      join(data, 'pg_hba.conf'),
      [
        `local all ${SUPERUSER} trust`,
        `host all ${SUPERUSER} 127.0.0.1/32 trust`,
        `host replication ${SUPERUSER} 127.0.0.1/32 trust`,
        'host all all 127.0.0.1/32 scram-sha-256',
        '',
      ].join('\n'),
    );
  }
  const port = options.port ?? (await freePort());
  const url = `postgres://${SUPERUSER}@127.0.0.1:${port}/postgres`;
  let child: ChildProcess | undefined;

  const start = async (): Promise<void> => {
    const settings: Record<string, string> = {
      listen_addresses: '127.0.0.1',
      port: String(port),
      unix_socket_directories: socketDir,
      fsync: 'off',
      max_connections: '100',
      wal_level: 'replica',
      ...options.settings,
    };
    const args = ['-D', data, ...Object.entries(settings).flatMap(([k, v]) => ['-c', `${k}=${v}`])];
    const proc = spawn(join(PG_BIN, 'postgres'), args, { stdio: ['ignore', 'ignore', 'pipe'], cwd: dir, ...ids });
    let stderr = '';
    proc.stderr?.on('data', (chunk: Buffer) => {
      stderr = (stderr + chunk.toString()).slice(-4000);
    });
    child = proc;
    try {
      await waitReady(url, proc, 30_000);
    } catch (error) {
      throw new Error(`${error instanceof Error ? error.message : String(error)}\n${stderr}`);
    }
  };

  const stop = async (signal: 'SIGINT' | 'SIGQUIT' = 'SIGINT'): Promise<void> => {
    const proc = child;
    child = undefined;
    if (proc === undefined || proc.exitCode !== null || proc.pid === undefined) return;
    const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
    // SIGINT is PostgreSQL's "fast" shutdown (https://www.postgresql.org/docs/15/server-shutdown.html).
    process.kill(proc.pid, signal);
    await exited;
  };

  await start();
  return {
    port,
    dir,
    url,
    urlFor: (user, password, database = 'postgres') =>
      `postgres://${encodeURIComponent(user)}:${encodeURIComponent(password)}@127.0.0.1:${port}/${database}`,
    start,
    stop,
    async standby() {
      const base = mkdtempSync(join(tmpdir(), 'vigie-pg-standby-'));
      chmodSync(base, 0o755);
      if (ids.uid !== undefined && ids.gid !== undefined) chownSync(base, ids.uid, ids.gid);
      const target = join(base, 'data');
      // -R writes standby.signal and primary_conninfo (https://www.postgresql.org/docs/15/app-pgbasebackup.html).
      const copy = spawnSync(
        join(PG_BIN, 'pg_basebackup'),
        ['-D', target, '-h', '127.0.0.1', '-p', String(port), '-U', SUPERUSER, '-R', '-X', 'stream', '--no-sync'],
        { encoding: 'utf8', cwd: base, ...ids },
      );
      if (copy.status !== 0) throw new Error(`pg_basebackup en échec : ${copy.stderr}`);
      const standby = await startPostgres({ dataDir: target });
      const destroy = standby.destroy;
      return {
        ...standby,
        async destroy() {
          await destroy();
          rmSync(base, { recursive: true, force: true });
        },
      };
    },
    async destroy() {
      await stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
};
