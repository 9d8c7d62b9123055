/**
 * The SIP child process, seen from the core: spawned, watched by heartbeat, restarted when it dies or
 * hangs, and asked to act by commands that always settle. Its messages are parsed (channel.ts) and a
 * malformed one is dropped and logged: no network input can end the process that holds the log.
 */
import { fork } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { performance } from 'node:perf_hooks';
import { VigieError } from '../../contract/result.js';
import { fromChildSchema, parseMessage, type Command, type FromChild, type ToChild } from './channel.js';

/** A started SIP child: child_process.fork here, Electron's utilityProcess.fork in the shell. */
export interface SipChild {
  readonly pid: number | undefined;
  postMessage(message: unknown): void;
  on(event: 'message', listener: (message: unknown) => void): void;
  on(event: 'exit', listener: (code: number | null, signal?: string | null) => void): void;
  /** Ends it at once, even when it is stopped or spinning (SIGKILL on POSIX). */
  kill(): void;
}
export type SipSpawner = (entry: string, args: string[]) => SipChild;

/**
 * What the kernel says of a process (Linux /proc/PID/stat, proc(5)): its state letter and the CPU time it
 * used (clock ticks). Undefined where there is no /proc: the heartbeat alone then decides.
 */
const processProgress = (pid: number | undefined): { state: string; cpu: number } | undefined => {
  if (pid === undefined) return undefined;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command name, which is in parentheses and may contain spaces.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { state: fields[0] ?? '?', cpu: Number(fields[11] ?? 0) + Number(fields[12] ?? 0) };
  } catch {
    return undefined;
  }
};

/** Node's spawner: child_process.fork with an IPC channel and JSON messages. */
export const nodeSipSpawner: SipSpawner = (entry, args) => {
  // execArgv: the core's own flags (a test runner's loaders, --inspect) are not the child's business.
  const child = fork(entry, args, {
    execArgv: [],
    serialization: 'json',
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  return {
    pid: child.pid,
    postMessage(message) {
      // A channel that just closed throws; the exit event tells the rest.
      if (child.connected) child.send(message as object, (error) => void error); // JSON-serialisable ToChild
    },
    on(event: 'message' | 'exit', listener: (...args: never[]) => void) {
      // The overloads of SipChild.on match ChildProcess's 'message' and 'exit' listeners one to one.
      child.on(event, listener as (...args: unknown[]) => void);
    },
    kill() {
      child.kill('SIGKILL');
    },
  } satisfies SipChild;
};

/**
 * The compiled entry beside this file (dist/). Run from TypeScript sources (vitest) there is none: the test
 * setup bundles one (electron/testing/sip/global-setup.ts) and names it in VIGIE_SIP_ENTRY.
 */
export const defaultSipEntry = (): string =>
  process.env['VIGIE_SIP_ENTRY'] ?? fileURLToPath(new URL('./sip/process-main.js', import.meta.url));
export const sipEntryAvailable = (entry = defaultSipEntry()): boolean => existsSync(entry);

export interface SupervisorOptions {
  entry?: string;
  spawner?: SipSpawner;
  /** The `start` message every new child receives (configuration, DTMF method, overload threshold). */
  start: Extract<ToChild, { t: 'start' }>;
  /** Every valid message of the current child, except pongs and command results. */
  onMessage: (message: FromChild) => void;
  /** The child died or was killed as hung; `reason` is French. Called before the restart is scheduled. */
  onCrash: (reason: string) => void;
  /** A new child was spawned after a crash (attempt = consecutive restarts, from 1). */
  onRestart: (attempt: number) => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
  pingIntervalMs?: number;
  /** No pong for this long = hung: the child is killed. */
  hangAfterMs?: number;
  /** How long a new child may take to send its first message (default 15 s). */
  startGraceMs?: number;
}

export interface Supervisor {
  start(): void;
  /** Sends a command; rejects with a French VigieError on refusal, timeout or crash. */
  request(
    command: Omit<Command, 't' | 'id'>,
    timeoutMs: number,
    what: string,
  ): Promise<Extract<FromChild, { t: 'result'; ok: true }>>;
  send(message: ToChild): void;
  pid(): number | undefined;
  stop(): Promise<void>;
}

/** A child that lived at least this long was healthy: its death is restarted at once, without backoff. */
const HEALTHY_MS = 10_000;
const RESTART_NOW_MS = 50;
const MAX_BACKOFF_MS = 10_000;
/** At most this much extra patience for a child that reported a busy event loop (a stopped one reports none). */
const MAX_BUSY_GRACE_MS = 3_500;
/** A runnable child that keeps using CPU but cannot answer is given at most this long (an endless loop). */
const MAX_STARVED_MS = 10_000;
/** How long a new child may take to send its first message. */
const START_GRACE_MS = 15_000;

export const createSupervisor = (o: SupervisorOptions): Supervisor => {
  const entry = o.entry ?? defaultSipEntry();
  const spawner = o.spawner ?? nodeSipSpawner;
  const pingIntervalMs = o.pingIntervalMs ?? 500;
  const hangAfterMs = o.hangAfterMs ?? 1_500;
  const startGraceMs = o.startGraceMs ?? START_GRACE_MS;
  const pending = new Map<
    number,
    {
      resolve: (r: Extract<FromChild, { t: 'result'; ok: true }>) => void;
      reject: (e: Error) => void;
      timer: NodeJS.Timeout;
    }
  >();
  let child: SipChild | undefined;
  let startedAt = 0;
  let lastPong = 0;
  let seq = 0;
  let nextId = 1;
  let attempt = 0;
  let stopping = false;
  let fatalReason: string | undefined;
  let hungReason: string | undefined;
  let heartbeat: NodeJS.Timeout | undefined;
  let restartTimer: NodeJS.Timeout | undefined;
  let lastTick = 0;
  let busyLag = 0;
  /** The current child has sent something: it is up, the heartbeat deadline applies. */
  let answered = false;
  let exited: Promise<void> = Promise.resolve();

  const failPending = (reason: string): void => {
    for (const [id, p] of pending) {
      clearTimeout(p.timer);
      p.reject(new VigieError('unavailable', reason));
      pending.delete(id);
    }
  };

  const onChildMessage = (current: SipChild, raw: unknown): void => {
    if (current !== child) return;
    const parsed = parseMessage(fromChildSchema, raw);
    if (!parsed.ok) {
      o.log('error', `processus SIP : ${parsed.reason}, ignoré`);
      return;
    }
    const message = parsed.message;
    answered = true;
    lastPong = Math.max(lastPong, performance.now());
    if (message.t === 'pong') {
      lastPong = performance.now();
      // A child whose own timers ran late is busy, not hung: its next pong may take as long again.
      busyLag = Math.max(busyLag * 0.8, message.lagMs);
      cpuAtPong = processProgress(child?.pid)?.cpu;
      return;
    }
    if (message.t === 'result') {
      const p = pending.get(message.id);
      if (p === undefined) return; // timed out already
      pending.delete(message.id);
      clearTimeout(p.timer);
      if (message.ok) p.resolve(message);
      else p.reject(new VigieError(message.code, message.message));
      return;
    }
    if (message.t === 'fatal') fatalReason = message.reason;
    try {
      o.onMessage(message);
    } catch (error) {
      o.log('error', `message du processus SIP non traité : ${String(error)}`);
    }
  };

  /**
   * A child that misses its pong but used CPU since its last pong is working on a starved machine, not
   * hung: it gets up to MAX_STARVED_MS in all (an endless loop is killed then). A stopped one (SIGSTOP,
   * state T) or one that made no progress is hung at once.
   */
  let cpuAtPong: number | undefined;
  const starvedButWorking = (t: number): boolean => {
    const p = processProgress(child?.pid);
    if (p === undefined || cpuAtPong === undefined || p.state === 'T' || p.state === 't') return false;
    return p.cpu > cpuAtPong && t - lastPong < MAX_STARVED_MS;
  };

  const tick = (): void => {
    const t = performance.now();
    // Our own timer ran late (the core was busy): the child's silence during our lateness is not its fault.
    const late = Math.max(0, t - lastTick - pingIntervalMs);
    lastTick = t;
    if (late > 0) lastPong += late;
    if (child === undefined) return;
    let allowed = hangAfterMs + Math.min(MAX_BUSY_GRACE_MS, 2 * busyLag);
    // Until its first message the child is still loading (sip.js, zod): a slow start on a busy machine is
    // not a hang, but one that never answers is.
    if (!answered) allowed = startGraceMs;
    if (t - lastPong > allowed && hungReason === undefined && !starvedButWorking(t)) {
      // Logged with the exit that follows the kill.
      hungReason = `processus SIP bloqué (pas de réponse en ${hangAfterMs} ms), arrêté`;
      o.log(
        'warn',
        `${hungReason} : dernier pong il y a ${Math.round(t - lastPong)} ms, retard signalé ${Math.round(busyLag)} ms`,
      );
      child.kill();
      return;
    }
    child.postMessage({ t: 'ping', seq: (seq += 1) } satisfies ToChild);
  };

  const spawn = (): void => {
    fatalReason = undefined;
    hungReason = undefined;
    const current = spawner(entry, []);
    child = current;
    startedAt = performance.now();
    lastPong = startedAt;
    lastTick = startedAt;
    busyLag = 0;
    answered = false;
    cpuAtPong = undefined;
    let done: () => void = () => undefined;
    exited = new Promise<void>((resolve) => {
      done = resolve;
    });
    current.on('message', (raw) => onChildMessage(current, raw));
    current.on('exit', (code, signal) => {
      done();
      if (current !== child) return;
      child = undefined;
      const reason =
        hungReason ??
        (fatalReason === undefined ? undefined : `processus SIP arrêté sur erreur : ${fatalReason}`) ??
        `processus SIP arrêté (${signal === null || signal === undefined ? `code ${code ?? '?'}` : `signal ${signal}`})`;
      failPending(stopping ? 'Téléphonie arrêtée.' : `${reason} : commande interrompue.`);
      if (stopping) return;
      o.log('error', reason);
      try {
        o.onCrash(reason);
      } catch (error) {
        o.log('error', `panne du processus SIP non journalisée : ${String(error)}`);
      }
      // A child that had been healthy is replaced at once; one that keeps dying waits longer each time.
      const lived = performance.now() - startedAt;
      attempt = lived >= HEALTHY_MS ? 1 : attempt + 1;
      const delay = attempt <= 1 ? RESTART_NOW_MS : Math.min(MAX_BACKOFF_MS, 500 * 2 ** (attempt - 2));
      restartTimer = setTimeout(() => {
        restartTimer = undefined;
        if (stopping) return;
        spawn();
        o.onRestart(attempt);
      }, delay);
    });
    current.postMessage(o.start);
  };

  return {
    start() {
      if (child !== undefined || stopping) return;
      spawn();
      heartbeat = setInterval(tick, pingIntervalMs);
    },
    request(command, timeoutMs, what) {
      const current = child;
      if (current === undefined)
        return Promise.reject(new VigieError('unavailable', 'Pile SIP en cours de redémarrage.'));
      const id = nextId++;
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => {
          pending.delete(id);
          reject(new VigieError('unavailable', `${what} : pas de réponse en ${Math.round(timeoutMs / 1000)} s.`));
        }, timeoutMs);
        pending.set(id, { resolve, reject, timer });
        current.postMessage({ t: 'cmd', id, ...command } satisfies ToChild);
      });
    },
    send(message) {
      child?.postMessage(message);
    },
    pid: () => child?.pid,
    async stop() {
      stopping = true;
      if (heartbeat !== undefined) clearInterval(heartbeat);
      if (restartTimer !== undefined) clearTimeout(restartTimer);
      const current = child;
      if (current === undefined) return;
      current.postMessage({ t: 'stop' } satisfies ToChild);
      // Unregistering takes about a second (lab notes); a child that does not leave in 3 s is killed.
      const killer = setTimeout(() => current.kill(), 3_000);
      await exited;
      clearTimeout(killer);
      child = undefined;
    },
  };
};
