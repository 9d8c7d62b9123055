/**
 * The attack of issue 11 §4 on a real file: someone who can write vigie.db but does not hold the position's
 * private key drops the append-only triggers, edits an event and recomputes every later hash with the
 * public formula (store/chain.ts), heads included. The chain alone then verifies; `vigie verify` must call
 * it tampering because a signed checkpoint no longer matches. Also: every trust event removed, and a
 * key of the attacker's own registered in their place.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { eventHash, GENESIS_HASH, type EventRow } from '../store/chain.js';
import { databasePath, openStore } from '../store/index.js';
import { positionKeyPath } from './keys.js';
import { createTrustService } from './service.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
let workDir = '';
let pristine = '';
let checkpointSeq = 0;

beforeAll(() => {
  if (!existsSync(cli)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  expect(existsSync(cli), `${cli} manquant : npx tsc -p tsconfig.build.json`).toBe(true);
  workDir = mkdtempSync(join(tmpdir(), 'vigie-keyed-tamper-'));
  pristine = join(workDir, 'pristine');
  const store = openStore({ dataDir: pristine, modules: moduleSchemas(), backup: false });
  const trust = createTrustService(store, positionKeyPath(pristine));
  for (let i = 1; i <= 6; i += 1)
    store.append('logbook.entry', { text: `Inscription ${i}`, category: 'information' }, 'chef');
  checkpointSeq = trust.checkpoint('shift').seq;
  for (let i = 7; i <= 8; i += 1)
    store.append('logbook.entry', { text: `Inscription ${i}`, category: 'information' }, 'chef');
  store.close();
});
afterAll(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

let n = 0;
/** A copy of the data directory (same key file, by its path beside it) attacked through `edit`. */
const attacked = (edit: (db: Database.Database) => void): string => {
  n += 1;
  const dir = join(workDir, `scenario-${n}`);
  mkdirSync(dir);
  copyFileSync(databasePath(pristine), databasePath(dir));
  copyFileSync(positionKeyPath(pristine), positionKeyPath(dir));
  const db = new Database(databasePath(dir));
  db.exec('DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete;');
  edit(db);
  db.close();
  return dir;
};

/** Rewrites every hash of the origin from `fromSeq` on with the public formula, and its head. */
const recompute = (db: Database.Database, fromSeq: number): void => {
  const rows = db
    .prepare(
      'SELECT origin, seq, id, hlc, type, author, payload, prev_hash AS prevHash, hash FROM events ORDER BY origin, seq',
    )
    .all() as EventRow[];
  let prev = GENESIS_HASH;
  const update = db.prepare('UPDATE events SET prev_hash = ?, hash = ? WHERE origin = ? AND seq = ?');
  for (const row of rows) {
    const hash = row.seq >= fromSeq ? eventHash(prev, { ...row, payloadJson: row.payload }) : row.hash;
    if (row.seq >= fromSeq) update.run(prev, hash, row.origin, row.seq);
    prev = hash;
    db.prepare('UPDATE heads SET hash = ?, seq = ?, id = ? WHERE origin = ?').run(hash, row.seq, row.id, row.origin);
  }
};

const verify = (dir: string, chainOnly = true): { status: number | null; last: string; out: string } => {
  const result = spawnSync(process.execPath, [cli, 'verify', '--data', dir, ...(chainOnly ? ['--chain-only'] : [])], {
    encoding: 'utf8',
  });
  return {
    status: result.status,
    last: result.stdout.trim().split('\n').at(-1) ?? '',
    out: result.stdout + result.stderr,
  };
};

describe('a chain recomputed without the key', () => {
  it('the untouched copy verifies, signatures included', () => {
    const { status, last, out } = verify(
      attacked(() => {}),
      false,
    );
    expect(out).toContain('1 points de contrôle signés');
    expect({ status, last }).toEqual({ status: 0, last: 'OK 10 events' });
  });

  it('an event edited and every later hash recomputed: the chain holds, the signed checkpoint does not', () => {
    const dir = attacked((db) => {
      db.prepare("UPDATE events SET payload = json_set(payload, '$.text', 'Rien à signaler') WHERE seq = 3").run();
      recompute(db, 3);
    });
    const { status, last, out } = verify(dir);
    expect(out).toContain('chaînes : 10 événements vérifiés');
    expect(status).toBe(1);
    expect(last).toMatch(new RegExp(`^FAIL origin=\\S+ seq=${checkpointSeq} id=\\S+ recomputed: falsification`));
    expect(last).toContain('recalculée sans la clé');
  });

  it('the checkpoint rewritten to match the recomputed chain: its signature fails', () => {
    const dir = attacked((db) => {
      db.prepare("UPDATE events SET payload = json_set(payload, '$.text', 'Rien à signaler') WHERE seq = 3").run();
      recompute(db, 3);
      const head = db.prepare('SELECT hash FROM events WHERE seq = 6').pluck().get() as string;
      db.prepare("UPDATE events SET payload = json_set(payload, '$.headHash', ?) WHERE type = 'trust.checkpoint'").run(
        head,
      );
      recompute(db, checkpointSeq);
    });
    const { status, last } = verify(dir);
    expect(status).toBe(1);
    expect(last).toMatch(new RegExp(`^FAIL origin=\\S+ seq=${checkpointSeq} id=\\S+ signature:`));
  });

  it('every trust event removed and the chain renumbered and recomputed: the position key is missing from its log', () => {
    const dir = attacked((db) => {
      db.prepare("DELETE FROM events WHERE type LIKE 'trust.%'").run();
      const rows = db.prepare('SELECT seq FROM events ORDER BY seq').pluck().all() as number[];
      rows.forEach((seq, i) => db.prepare('UPDATE events SET seq = ? WHERE seq = ?').run(i + 1, seq));
      recompute(db, 1);
    });
    const { status, last } = verify(dir);
    expect(status).toBe(1);
    expect(last).toMatch(/ key: falsification : la clé du poste \S+ n'est pas enregistrée/);
  });
});
