/**
 * Countersignatures through the real replication (issue 13 §4): three positions as separate processes
 * (whole cores) and a real PostgreSQL 15 in a temporary directory. A's signed checkpoint reaches B and C,
 * each verifies and countersigns it, and B's countersignature reaches C like any event: C accepts it,
 * quarantines nothing, and sees no equivocation.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureBuilt, startPosition, waitFor, type PositionProcess } from '../../testing/position-process.js';
import { postgresAvailable, startPostgres, type TestPostgres } from '../../testing/postgres.js';
import { moduleSchemas } from '../modules.js';
import { addPosition, migrateCentral } from '../replication/central/schema.js';
import { openStore } from '../store/index.js';
import { findEquivocations } from './equivocation.js';
import { COUNTERSIGNED, countersignedPayload } from './events.js';
import { positionKeyPath } from './keys.js';
import { createTrustService } from './service.js';
import { removeDataDir } from '../../testing/data-dir.js';

if (!postgresAvailable()) console.info('witness-replication.test : PostgreSQL 15 absent — test ignoré');

const PASSWORD = 'mot-de-passe-de-test';

describe.skipIf(!postgresAvailable())('countersignatures through a real PostgreSQL', () => {
  let server: TestPostgres;
  let admin: pg.Client;
  const dirs: string[] = [];
  const running: PositionProcess[] = [];

  beforeAll(async () => {
    expect(ensureBuilt(), 'dist/electron/testing/replication-position.js manquant : npm run build').toBe(true);
    server = await startPostgres();
    admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await migrateCentral(admin);
  }, 120_000);

  afterAll(async () => {
    for (const p of running.splice(0)) await p.kill();
    await admin?.end().catch(() => undefined);
    await server?.destroy();
    for (const d of dirs.splice(0)) {
      removeDataDir(d);
    }
  });

  /** A data directory pointing at the server with its own role; `checkpoint`: a few entries and a signed checkpoint first. */
  const prepare = async (role: string, checkpoint: boolean): Promise<{ dir: string; origin: string }> => {
    const dir = mkdtempSync(join(tmpdir(), `vigie-witness-${role}-`));
    dirs.push(dir);
    const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
    const trust = createTrustService(store, positionKeyPath(dir));
    trust.ensureKey();
    if (checkpoint) {
      for (let i = 1; i <= 3; i += 1)
        store.append('logbook.entry', { text: `${role} ${i}`, category: 'information' }, 'Marie Wamytan');
      trust.checkpoint('manual');
    }
    const origin = store.origin;
    store.close();
    await addPosition(admin, { origin, role, password: PASSWORD });
    const passwordFile = join(dir, 'central.pw');
    writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
    writeFileSync(
      join(dir, 'vigie.json'),
      JSON.stringify({
        positionName: role,
        central: {
          urls: [`postgres://${role}@127.0.0.1:${server.port}/postgres`],
          passwordFile,
          pollMs: 200,
          retryMs: [100, 800],
        },
      }),
    );
    return { dir, origin };
  };

  /** The countersignatures in a data directory's log (read-only, beside the running position). */
  const countersignatures = (dir: string) => {
    const db = new Database(join(dir, 'vigie.db'), { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare('SELECT origin, payload FROM events WHERE type = ? ORDER BY origin, seq')
        .all(COUNTERSIGNED) as { origin: string; payload: string }[];
      return {
        signed: rows.map((r) => ({ witness: r.origin, ...countersignedPayload.parse(JSON.parse(r.payload)) })),
        equivocations: findEquivocations(db),
        quarantined: db.prepare('SELECT count(*) FROM replication_quarantine').pluck().get(),
      };
    } finally {
      db.close();
    }
  };

  it("B's countersignature of A's checkpoint reaches C, which accepts it", async () => {
    const a = await prepare('poste_a', true);
    const b = await prepare('poste_b', false);
    const c = await prepare('poste_c', false);
    const positions = [a, b, c].map((s) => {
      const p = startPosition(s.dir);
      running.push(p);
      return p;
    });
    // C countersigns what it applied one turn of its event loop after the page that brought it (witness.ts):
    // B's countersignature, read from C's file, can be there a moment before C's own.
    const ofA = (w: { items: { origin: string }[] }) => w.items.some((i) => i.origin === a.origin);
    await waitFor(
      async () => {
        const signed = countersignatures(c.dir).signed;
        return signed.some((w) => w.witness === b.origin) && signed.some((w) => w.witness === c.origin && ofA(w));
      },
      60_000,
      'contre-signatures de B et de C à C',
    ).catch((error: unknown) => {
      throw new Error(`${String(error)}\n${positions.map((p) => p.stderr()).join('\n---\n')}`);
    });
    const atC = countersignatures(c.dir);
    const fromB = atC.signed.find((w) => w.witness === b.origin);
    expect(fromB?.items.map((i) => i.origin)).toEqual([a.origin]);
    // C countersigned A's checkpoint itself too, and both agree with its log.
    expect(atC.signed.some((w) => w.witness === c.origin && ofA(w))).toBe(true);
    expect(atC.equivocations).toEqual([]);
    expect(atC.quarantined).toBe(0);
    expect((await positions[2]?.status())?.info.quarantined).toBe(0);
    for (const p of positions) await p.exit();
  }, 120_000);
});
