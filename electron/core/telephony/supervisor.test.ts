/**
 * The supervisor and the channel with a fake child (no process, no SIP): what the core does with a child
 * that sends garbage, stops answering pings, dies in a loop, or never answers a command.
 */
import { describe, expect, it } from 'vitest';
import { fromChildSchema, parseMessage, toChildSchema } from './channel.js';
import { createSupervisor, type SipChild, type SipSpawner } from './supervisor.js';

interface FakeChild extends SipChild {
  sent: unknown[];
  emit(message: unknown): void;
  exit(code: number | null, signal: string | null): void;
  killed: boolean;
  /** Answer pings (a healthy child); false simulates SIGSTOP. */
  alive: boolean;
}

const fakeSpawner = (): { spawner: SipSpawner; children: FakeChild[] } => {
  const children: FakeChild[] = [];
  const spawner: SipSpawner = () => {
    const listeners: { message: ((m: unknown) => void)[]; exit: ((c: number | null, s?: string | null) => void)[] } = {
      message: [],
      exit: [],
    };
    const child: FakeChild = {
      // Beyond any real pid (pid_max ≤ 2^22): /proc has nothing to say about a fake child.
      pid: 90_000_000 + children.length,
      sent: [],
      killed: false,
      alive: true,
      postMessage(m) {
        child.sent.push(m);
        const parsed = toChildSchema.safeParse(m);
        if (parsed.success && parsed.data.t === 'stop') queueMicrotask(() => child.exit(0, null));
        if (parsed.success && parsed.data.t === 'ping' && child.alive) {
          const seq = parsed.data.seq;
          queueMicrotask(() => child.emit({ t: 'pong', seq, lagMs: 0 }));
        }
      },
      on(event: 'message' | 'exit', listener: (...args: never[]) => void) {
        // The fake keeps listeners by event; the overloads of SipChild.on guarantee the shapes.
        (listeners[event] as unknown[]).push(listener);
      },
      kill() {
        child.killed = true;
        queueMicrotask(() => child.exit(null, 'SIGKILL'));
      },
      emit: (m) => listeners.message.forEach((l) => l(m)),
      exit: (c, s) => listeners.exit.forEach((l) => l(c, s)),
    };
    children.push(child);
    return child;
  };
  return { spawner, children };
};

const start = {
  t: 'start',
  config: toChildSchema.options[0].shape.config.parse({
    account: { aor: 'sip:1@127.0.0.1' },
    registrars: ['ws://127.0.0.1:1'],
  }),
  dtmfMethod: 'info',
  maxPendingOffers: 10,
} as const;

const until = async (check: () => boolean, timeoutMs = 3_000): Promise<void> => {
  const t0 = Date.now();
  while (!check()) {
    if (Date.now() - t0 > timeoutMs) throw new Error('condition non atteinte');
    await new Promise((r) => setTimeout(r, 5));
  }
};

describe('channel', () => {
  it('parses valid messages both ways and names what is wrong in the others', () => {
    expect(parseMessage(fromChildSchema, { t: 'fact', fact: { kind: 'bye', sid: 'i1' } }).ok).toBe(true);
    expect(parseMessage(fromChildSchema, { t: 'result', id: 3, ok: false, code: 'conflict', message: 'non' }).ok).toBe(
      true,
    );
    expect(parseMessage(toChildSchema, { t: 'cmd', id: 1, op: 'dtmf', sid: 'i1', digits: '12#' }).ok).toBe(true);
    const bad = parseMessage(fromChildSchema, {
      t: 'offer',
      sid: 'i1',
      sipCallId: 'x',
      headers: { to: 'y'.repeat(20_000) },
    });
    expect(bad).toEqual({ ok: false, reason: expect.stringMatching(/headers\.to/) });
    expect(parseMessage(toChildSchema, { t: 'cmd', id: 1, op: 'dtmf', sid: 'i1', digits: '1; rm -rf' }).ok).toBe(false);
    expect(parseMessage(fromChildSchema, 'nonsense').ok).toBe(false);
  });
});

describe('supervisor (fake child)', () => {
  it('drops and logs a malformed message from the child, never throws, and keeps serving', async () => {
    const { spawner, children } = fakeSpawner();
    const logs: string[] = [];
    const received: unknown[] = [];
    const s = createSupervisor({
      spawner,
      entry: 'x',
      start,
      onMessage: (m) => received.push(m),
      onCrash: () => undefined,
      onRestart: () => undefined,
      log: (_l, m) => logs.push(m),
    });
    s.start();
    const child = children[0];
    if (child === undefined) throw new Error('pas d’enfant');
    expect(child.sent[0]).toEqual(start);
    expect(() => child.emit({ t: 'offer', sid: 42 })).not.toThrow();
    expect(() => child.emit(undefined)).not.toThrow();
    child.emit({ t: 'fact', fact: { kind: 'bye', sid: 'i1' } });
    expect(received).toEqual([{ t: 'fact', fact: { kind: 'bye', sid: 'i1' } }]);
    expect(logs.filter((l) => /message invalide/.test(l))).toHaveLength(2);
    await s.stop();
  });

  it('a command the child never answers rejects in French after its timeout; a late result is ignored', async () => {
    const { spawner, children } = fakeSpawner();
    const s = createSupervisor({
      spawner,
      entry: 'x',
      start,
      onMessage: () => undefined,
      onCrash: () => undefined,
      onRestart: () => undefined,
      log: () => undefined,
    });
    s.start();
    const t0 = Date.now();
    await expect(s.request({ op: 'hold', sid: 'i1' }, 200, 'Mise en attente')).rejects.toThrow(
      'Mise en attente : pas de réponse en 0 s.',
    );
    expect(Date.now() - t0).toBeGreaterThanOrEqual(190);
    expect(() => children[0]?.emit({ t: 'result', id: 1, ok: true })).not.toThrow();
    await s.stop();
  });

  it('a child that stops answering pings is killed as hung, its commands fail, and a new one is started', async () => {
    const { spawner, children } = fakeSpawner();
    const crashes: string[] = [];
    const restarts: number[] = [];
    const s = createSupervisor({
      spawner,
      entry: 'x',
      start,
      pingIntervalMs: 20,
      hangAfterMs: 100,
      onMessage: () => undefined,
      onCrash: (r) => crashes.push(r),
      onRestart: (a) => restarts.push(a),
      log: () => undefined,
    });
    s.start();
    const first = children[0];
    if (first === undefined) throw new Error('pas d’enfant');
    first.emit({ t: 'ready' });
    const pending = s.request({ op: 'bye', sid: 'i1' }, 5_000, 'Raccrochage');
    first.alive = false;
    await expect(pending).rejects.toThrow(/bloqué/);
    expect(first.killed).toBe(true);
    await until(() => children.length === 2);
    expect(crashes).toEqual([expect.stringMatching(/processus SIP bloqué \(pas de réponse en 100 ms\)/)]);
    expect(restarts).toEqual([1]);
    expect(children[1]?.sent[0]).toEqual(start);
    await s.stop();
  });

  it('a child still loading is not taken for a hung one; one that never says anything is, after the start grace', async () => {
    const { spawner, children } = fakeSpawner();
    const crashes: string[] = [];
    const s = createSupervisor({
      spawner,
      entry: 'x',
      start,
      pingIntervalMs: 20,
      hangAfterMs: 60,
      startGraceMs: 400,
      onMessage: () => undefined,
      onCrash: (r) => crashes.push(r),
      onRestart: () => undefined,
      log: () => undefined,
    });
    const first = (): FakeChild => {
      const c = children[0];
      if (c === undefined) throw new Error('pas d’enfant');
      return c;
    };
    s.start();
    first().alive = false;
    await new Promise((r) => setTimeout(r, 200));
    expect(first().killed).toBe(false);
    await until(() => first().killed, 1_000);
    expect(crashes).toHaveLength(1);
    await s.stop();
  });

  it('a crash loop backs off: the second quick death waits longer before the next start', async () => {
    const { spawner, children } = fakeSpawner();
    const s = createSupervisor({
      spawner,
      entry: 'x',
      start,
      onMessage: () => undefined,
      onCrash: () => undefined,
      onRestart: () => undefined,
      log: () => undefined,
    });
    s.start();
    children[0]?.exit(70, null);
    await until(() => children.length === 2, 500);
    const t0 = Date.now();
    children[1]?.exit(70, null);
    await until(() => children.length === 3, 2_000);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
    await s.stop();
  });
});
