import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { z } from 'zod';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { removeDataDir } from '../../testing/data-dir.js';
import { createCore } from '../index.js';
import type { StoredEvent } from '../store/types.js';
import type { CoreModule } from './module.js';

/**
 * The kernel on its own: modules made for the test (a real store on a temporary directory), so that
 * what is checked is the lifecycle — handlers joined, services in order, reactors after commit, ports.
 */
const probeModule = (journal: string[], overrides: Partial<CoreModule> = {}): CoreModule => ({
  name: 'probe',
  eventTypes: [
    { type: 'probe.ping', schema: z.object({ n: z.number().int() }).strict() },
    { type: 'probe.pong', schema: z.object({ n: z.number().int() }).strict() },
  ],
  projections: [],
  migrations: [],
  setup: (ctx) => ({
    services: [
      { name: 'a', start: () => void journal.push('start a'), stop: () => void journal.push('stop a') },
      { name: 'b', start: () => void journal.push('start b'), stop: () => void journal.push('stop b') },
    ],
    reactors: [
      {
        name: 'pong',
        types: ['probe.ping'],
        react: (event: StoredEvent) => {
          // Runs after the commit: the ping is already readable, and the reaction is a new event.
          const seen = ctx.store.db.prepare('SELECT count(*) AS n FROM events WHERE id = ?').get(event.id) as {
            n: number;
          };
          journal.push(`react ${seen.n}`);
          const { n } = z.object({ n: z.number() }).parse(event.payload);
          ctx.store.append('probe.pong', { n }, 'test');
        },
      },
    ],
    status: () => ({ network: { state: 'online', detail: 'sonde' } }),
  }),
  ...overrides,
});

describe('kernel', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = mkdtempSync(join(tmpdir(), 'vigie-kernel-'));
  });
  afterEach(() => removeDataDir(dataDir));

  it('answers status before any service has started, starts them in order and stops them in reverse', async () => {
    const journal: string[] = [];
    const core = await createCore({ dataDir }, [probeModule(journal)]);
    expect(journal).toEqual([]);
    expect(await core.request('status.get', {})).toMatchObject({
      ok: true,
      value: { network: { state: 'online', detail: 'sonde' }, telephony: { state: 'disabled' } },
    });
    await core.started;
    expect(journal).toEqual(['start a', 'start b']);
    await core.close();
    expect(journal).toEqual(['start a', 'start b', 'stop b', 'stop a']);
  });

  it('runs reactors after the commit, and what they append is in the log', async () => {
    const journal: string[] = [];
    const core = await createCore({ dataDir }, [probeModule(journal)]);
    const ping = core.store.append('probe.ping', { n: 7 }, 'test');
    // The append returned before its reaction ran.
    expect(journal).toEqual([]);
    await core.settled();
    expect(journal).toEqual(['react 1']);
    const pong = core.store.db.prepare("SELECT seq, payload FROM events WHERE type = 'probe.pong'").get() as {
      seq: number;
      payload: string;
    };
    expect(pong).toEqual({ seq: ping.seq + 1, payload: '{"n":7}' });
    await core.close();
  });

  it('a reactor that throws is reported and the others still run', async () => {
    const errors: string[] = [];
    const failing: CoreModule = {
      name: 'failing',
      eventTypes: [],
      projections: [],
      migrations: [],
      setup: () => ({
        reactors: [
          {
            name: 'boom',
            types: ['probe.ping'],
            react: () => {
              throw new Error('boom');
            },
          },
        ],
      }),
    };
    const journal: string[] = [];
    const core = await createCore({ dataDir, log: (level, m) => errors.push(`${level} ${m}`) }, [
      failing,
      probeModule(journal),
    ]);
    core.store.append('probe.ping', { n: 1 }, 'test');
    await core.settled();
    expect(errors.some((e) => e.startsWith('error réaction failing/boom'))).toBe(true);
    expect(journal).toEqual(['react 1']);
    await core.close();
  });

  it('refuses a request declared by two modules', async () => {
    const twice = (name: string): CoreModule => ({
      name,
      eventTypes: [],
      projections: [],
      migrations: [],
      setup: () => ({ handlers: { 'logbook.categories': () => [] } }),
    });
    await expect(createCore({ dataDir }, [twice('one'), twice('two')])).rejects.toThrow(
      /logbook.categories déclarée par one et par two/,
    );
  });

  it('says which function is missing: a request no module serves, a port no module provides', async () => {
    const asking: CoreModule = {
      name: 'asking',
      eventTypes: [],
      projections: [],
      migrations: [],
      setup: (ctx) => ({
        handlers: {
          // A module may ask for a port at any time; without a provider the caller hears why.
          'session.current': () => {
            ctx.port('operator');
            return null;
          },
        },
      }),
    };
    const core = await createCore({ dataDir }, [asking]);
    expect(await core.request('logbook.categories', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/pas disponible sur ce poste/) },
    });
    expect(await core.request('session.current', {})).toMatchObject({
      ok: false,
      error: { code: 'unavailable', message: expect.stringMatching(/Fonction absente de ce poste : operator/) },
    });
    await core.close();
  });

  it('a module that reports a status change during its own async setup does not break the start', async () => {
    const early: CoreModule = {
      name: 'early',
      eventTypes: [],
      projections: [],
      migrations: [],
      async setup(ctx) {
        ctx.statusChanged();
        await new Promise((resolve) => setTimeout(resolve, 10));
        return {};
      },
    };
    // Before the fix the deferred push ran status() before it existed: an uncaught ReferenceError.
    const core = await createCore({ dataDir }, [early]);
    expect((await core.request('status.get', {})).ok).toBe(true);
    await core.close();
  });

  it('starts no service when asked not to (read-only commands beside a running console)', async () => {
    const journal: string[] = [];
    const core = await createCore({ dataDir, services: false }, [probeModule(journal)]);
    await core.started;
    await core.close();
    expect(journal).toEqual([]);
  });
});
