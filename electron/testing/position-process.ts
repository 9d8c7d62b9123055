/**
 * Drives electron/testing/replication-position.ts (built into dist/) as a child process: one position
 * per process, requests by id over stdin/stdout, stopped or SIGKILLed by its PID. Not used by production code.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { ReplicationInfo } from '../contract/replication.js';

/** The repository root, whether this runs from the sources (tests) or from dist/ (benchmarks). */
const repositoryRoot = (): string => {
  let dir = dirname(fileURLToPath(import.meta.url));
  while (!existsSync(join(dir, 'package.json'))) dir = dirname(dir);
  return dir;
};
const root = repositoryRoot();
export const positionScript = join(root, 'dist/electron/testing/replication-position.js');

/** Builds dist/ when the script is missing (a bare `vitest run`); the test script builds it first. */
export const ensureBuilt = (): boolean => {
  if (!existsSync(positionScript))
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  return existsSync(positionScript);
};

export interface Digest {
  events: { count: number; digest: string };
  projections: Record<string, { rows: number; digest: string }>;
  verify: boolean;
}

export interface PositionProcess {
  readonly pid: number;
  readonly stderr: () => string;
  write(n: number, everyMs: number, tag: string): Promise<string[]>;
  status(): Promise<{ info: ReplicationInfo; network: { state: string; detail: string } }>;
  digest(): Promise<Digest>;
  /** Resolves once the position has applied at least `n` received events (told by the child, not polled). */
  waitApplied(n: number): Promise<ReplicationInfo>;
  exit(): Promise<void>;
  kill(): Promise<void>;
}

export const startPosition = (dataDir: string): PositionProcess => {
  const child: ChildProcessWithoutNullStreams = spawn(process.execPath, [positionScript, dataDir], {
    stdio: ['pipe', 'pipe', 'pipe'],
  });
  let err = '';
  child.stderr.on('data', (chunk: Buffer) => {
    err = (err + chunk.toString()).slice(-20_000);
  });
  child.stdin.on('error', () => undefined);
  const pending = new Map<number, { resolve: (v: Record<string, unknown>) => void; reject: (e: Error) => void }>();
  let next = 1;
  createInterface({ input: child.stdout }).on('line', (line) => {
    const message = JSON.parse(line) as Record<string, unknown>;
    const id = typeof message['id'] === 'number' ? message['id'] : -1;
    const waiter = pending.get(id);
    pending.delete(id);
    if (message['ok'] === true) waiter?.resolve(message);
    else waiter?.reject(new Error(String(message['error'])));
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  void exited.then(() => {
    for (const w of pending.values()) w.reject(new Error(`poste arrêté\n${err}`));
    pending.clear();
  });
  const ask = (cmd: Record<string, unknown>): Promise<Record<string, unknown>> =>
    new Promise((resolve, reject) => {
      const id = next++;
      pending.set(id, { resolve, reject });
      child.stdin.write(`${JSON.stringify({ id, ...cmd })}\n`);
    });
  return {
    pid: child.pid ?? -1,
    stderr: () => err,
    // The child answers with the shapes named in replication-position.ts.
    write: async (n, everyMs, tag) => (await ask({ cmd: 'write', n, everyMs, tag }))['ids'] as string[],
    status: async () => {
      const r = await ask({ cmd: 'status' });
      return { info: r['value'] as ReplicationInfo, network: r['status'] as { state: string; detail: string } };
    },
    digest: async () => (await ask({ cmd: 'digest' }))['value'] as Digest,
    waitApplied: async (n) => (await ask({ cmd: 'waitApplied', n }))['value'] as ReplicationInfo,
    exit: async () => {
      if (child.exitCode !== null) return;
      await ask({ cmd: 'exit' }).catch(() => undefined);
      await exited;
    },
    kill: async () => {
      if (child.exitCode !== null || child.signalCode !== null || child.pid === undefined) return;
      try {
        process.kill(child.pid, 'SIGKILL');
      } catch {
        // Already gone (ESRCH): its exit is on the way.
      }
      await exited;
    },
  };
};

/** Polls `check` until it returns true (or throws after `timeoutMs`): tests wait for states, not for fixed sleeps. */
export const waitFor = async (check: () => Promise<boolean>, timeoutMs: number, what: string): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`délai dépassé : ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
};
