/**
 * The chain check in parts (verify-parts.ts): cut anywhere, the merged parts report exactly what one walk
 * reports — the same first bad event, counts and origins — on a log of two origins, sound or tampered with.
 * Then the worker thread that runs the second part (built code in dist/, as the console runs it).
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { eventHash } from './chain.js';
import { databasePath } from './paths.js';
import { eventsAfter } from './remote.js';
import { useTempStores } from './testing.js';
import type { RemoteEvent } from './types.js';
import {
  mergeParts,
  verifyPart,
  type Head,
  type OrderPoint,
  type PartBounds,
  type PartResult,
} from './verify-parts.js';
import type * as WorkerHost from './verify-worker-host.js';
import * as VerifyModule from './verify.js';

const { verifyDatabase } = VerifyModule;

const { tempDir, open } = useTempStores('vigie-verify-parts-');

const entry = (text: string) => ({ type: 'logbook.entry', payload: { text }, author: 'Marie' });

/** A position's log holding its own chain and another position's (applied as replication does). */
const twoOrigins = (): { dir: string; origins: [string, string] } => {
  const a = open(tempDir());
  a.appendAll(
    Array.from({ length: 12 }, (_, i) => ({
      ...entry(`A ${i}`),
      payload: { text: `A ${i}`, category: 'information' },
    })),
  );
  const dir = tempDir();
  const b = open(dir);
  b.appendAll(
    Array.from({ length: 5 }, (_, i) => ({ ...entry(`B ${i}`), payload: { text: `B ${i}`, category: 'information' } })),
  );
  b.applyRemote(eventsAfter(a.db, a.origin, 0, 1000));
  const origins = [a.origin, b.origin].sort() as [string, string];
  a.close();
  b.close();
  return { dir, origins };
};

/** Tamperings, as an attacker with the file would (triggers dropped). `first`/`second`: the origins in order. */
const scenarios: Record<string, (db: Database.Database, first: string, second: string) => void> = {
  sound: () => undefined,
  altered: (db, first) =>
    db
      .prepare("UPDATE events SET payload = replace(payload, 'information', 'décision') WHERE origin = ? AND seq = 4")
      .run(first),
  missing: (db, first) => db.prepare('DELETE FROM events WHERE origin = ? AND seq IN (3, 4)').run(first),
  'missing first': (db, _first, second) => db.prepare('DELETE FROM events WHERE origin = ? AND seq = 1').run(second),
  truncated: (db, _first, second) =>
    db
      .prepare('DELETE FROM events WHERE origin = ? AND seq = (SELECT max(seq) FROM events WHERE origin = ?)')
      .run(second, second),
  'chain absent': (db, _first, second) => db.prepare('DELETE FROM events WHERE origin = ?').run(second),
  swapped: (db, first) =>
    db.exec(
      `UPDATE events SET seq = 1000 WHERE origin = '${first}' AND seq = 2; UPDATE events SET seq = 2 WHERE origin = '${first}' AND seq = 5;
       UPDATE events SET seq = 5 WHERE origin = '${first}' AND seq = 1000;`,
    ),
  // Each rewrites a row with a hash recomputed for its new content: the link to the next row, or the HLC, is what breaks.
  'broken link': (db, first) =>
    rewrite(db, first, 2, (r) => ({ ...r, payloadJson: r.payloadJson.replace(/}$/, ',"ajout":1}') })),
  reordered: (db, first) => {
    const previous = db.prepare('SELECT hlc FROM events WHERE origin = ? AND seq = 2').pluck().get(first) as string;
    rewrite(db, first, 3, (r) => ({ ...r, hlc: previous }));
  },
  'unreadable clock': (db, _first, second) => rewrite(db, second, 3, (r) => ({ ...r, hlc: 'midi' })),
};

const rewrite = (db: Database.Database, origin: string, seq: number, change: (r: RemoteEvent) => RemoteEvent): void => {
  const row = eventsAfter(db, origin, seq - 1, 1)[0];
  if (row === undefined) throw new Error(`pas d'événement ${origin} seq ${seq}`);
  const next = change(row);
  const hash = eventHash(next.prevHash, next);
  db.prepare('UPDATE events SET hlc = ?, payload = ?, hash = ? WHERE origin = ? AND seq = ?').run(
    next.hlc,
    next.payloadJson,
    hash,
    origin,
    seq,
  );
};

const run = (db: Database.Database, bounds: PartBounds): PartResult => {
  const steps = verifyPart(db, bounds);
  for (;;) {
    const step = steps.next();
    if (step.done === true) return step.value;
  }
};

const bounds = (db: Database.Database): Map<string, number> =>
  new Map(db.prepare('SELECT origin, max(seq) FROM events GROUP BY origin').raw().all() as [string, number][]);
const heads = (db: Database.Database): Head[] => db.prepare('SELECT origin, seq, id, hash FROM heads').all() as Head[];

/** Every place a part can start: each row, the row after each chain's end, and a few seqs no row has. */
const cuts = (db: Database.Database): OrderPoint[] => {
  const rows = db.prepare('SELECT origin, seq FROM events ORDER BY origin, seq').all() as OrderPoint[];
  const ends = [...bounds(db)].map(([origin, max]) => ({ origin, seq: max + 1 }));
  return [
    ...rows,
    ...ends,
    ...[...bounds(db).keys()].flatMap((origin) => [3, 4, 1000].map((seq) => ({ origin, seq }))),
  ];
};

const tampered = (name: string): { file: string; db: Database.Database } => {
  const { dir, origins } = twoOrigins();
  const file = databasePath(dir);
  const db = new Database(file);
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  scenarios[name]?.(db, ...origins);
  return { file, db };
};

describe('the chain check in parts', () => {
  const expected: Record<string, string | undefined> = {
    sound: undefined,
    altered: 'altered',
    missing: 'missing',
    'missing first': 'missing',
    truncated: 'truncated',
    'chain absent': 'truncated',
    swapped: 'altered',
    'broken link': 'broken-link',
    reordered: 'reordered',
    'unreadable clock': 'malformed',
  };
  for (const name of Object.keys(scenarios)) {
    it(`${name}: cut anywhere, the merged parts report what one walk reports`, () => {
      const { db } = tampered(name);
      try {
        const maxSeq = bounds(db);
        const whole = mergeParts([run(db, { maxSeq })], heads(db));
        expect(whole.firstBad?.problem).toBe(expected[name]);
        expect(whole).toEqual(verifyDatabase(db));
        for (const cut of cuts(db)) {
          const parts = [run(db, { until: cut, maxSeq }), run(db, { from: cut, maxSeq })];
          expect(mergeParts(parts, heads(db)), `coupé à ${cut.origin} seq ${cut.seq}`).toEqual(whole);
        }
      } finally {
        db.close();
      }
    });
  }
});

describe('the second part in a worker thread (dist/)', () => {
  const root = fileURLToPath(new URL('../../../', import.meta.url));
  type Host = typeof WorkerHost;
  type Verify = typeof VerifyModule;
  let host: Host;
  let built: Verify;
  beforeAll(async () => {
    const worker = join(root, 'dist/electron/core/store/verify-worker.js');
    // Normally built by the test script; a bare `vitest run` builds it here.
    if (!existsSync(worker)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
    host = (await import(pathToFileURL(join(root, 'dist/electron/core/store/verify-worker-host.js')).href)) as Host;
    built = (await import(pathToFileURL(join(root, 'dist/electron/core/store/verify.js')).href)) as Verify;
    expect(host.verifyWorkerAvailable()).toBe(true);
  });

  const inWorker = (file: string, b: PartBounds): PartResult => {
    const worker = host.startVerifyWorker(file, b);
    try {
      for (;;) {
        const answer = worker.wait(1000);
        if (answer === 'failed') throw new Error('le fil de vérification a échoué');
        if (answer !== 'pending') return answer;
      }
    } finally {
      worker.stop();
    }
  };

  it('gives the part the same result as this thread, sound or tampered with', () => {
    for (const name of ['sound', 'broken link', 'unreadable clock', 'truncated']) {
      const { file, db } = tampered(name);
      try {
        const maxSeq = bounds(db);
        for (const cut of cuts(db).filter((_, i) => i % 4 === 0)) {
          const b = { from: cut, maxSeq };
          expect(inWorker(file, b), `${name}, depuis ${cut.origin} seq ${cut.seq}`).toEqual(run(db, b));
        }
      } finally {
        db.close();
      }
    }
  });

  it('verify in two parts reports what one walk reports', () => {
    for (const name of Object.keys(scenarios)) {
      const { db } = tampered(name);
      try {
        expect(built.verifyDatabase(db, { parallelFrom: 1 }), name).toEqual(verifyDatabase(db));
      } finally {
        db.close();
      }
    }
  });

  it('checks here what the worker cannot see: events of a transaction not yet committed', () => {
    const dir = tempDir();
    const store = open(dir);
    store.appendAll(
      Array.from({ length: 20 }, (_, i) => ({ ...entry(`${i}`), payload: { text: `${i}`, category: 'information' } })),
    );
    const report = store.db.transaction(() => {
      store.append('logbook.entry', { text: 'pas encore validée', category: 'information' }, 'Marie');
      return built.verifyDatabase(store.db, { parallelFrom: 1 });
    })();
    expect(report).toMatchObject({ ok: true, events: store.count() });
  });
});
