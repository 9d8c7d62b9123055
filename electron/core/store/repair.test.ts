/**
 * Projections proved against their events, and repaired from them (issue 11 §5), on real files through the
 * CLI: a row of logbook_entries edited directly is named by `vigie verify`; damage to the full-text index
 * or to an index's pages is repaired by `vigie repair`, after which verify passes and the events are the
 * same bytes as before.
 */
import Database from 'better-sqlite3';
import { execFileSync, spawnSync } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { databasePath, openStore } from './index.js';

const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
beforeAll(() => {
  if (!existsSync(cli)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  expect(existsSync(cli), `${cli} manquant : npx tsc -p tsconfig.build.json`).toBe(true);
});
const dirs: string[] = [];
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

/** A data directory with 400 entries (several pages per table and index). */
const make = (): string => {
  const parent = mkdtempSync(join(tmpdir(), 'vigie-repair-'));
  dirs.push(parent);
  const dir = join(parent, 'data');
  const store = openStore({ dataDir: dir, modules: moduleSchemas(), backup: false });
  store.appendAll(
    Array.from({ length: 400 }, (_, i) => ({
      type: 'logbook.entry',
      payload: { text: `Inscription ${i + 1} : départ du VSAV de Koné vers Poindimié`, category: 'information' },
      author: 'Marie Wamytan',
    })),
  );
  store.close();
  return dir;
};
const vigie = (...args: string[]): { status: number | null; out: string; last: string } => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr, last: r.stdout.trim().split('\n').at(-1) ?? '' };
};
/** The sqlite3 command line, as someone with the file would use it (it lets shadow tables be written). */
const edit = (dir: string, sql: string): void => {
  execFileSync('/usr/bin/sqlite3', ['-bail', databasePath(dir), sql], { stdio: 'pipe' });
};
const eventsDump = (dir: string): string => {
  const db = new Database(databasePath(dir), { readonly: true });
  const rows = db.prepare('SELECT * FROM events ORDER BY origin, seq').raw().all();
  db.close();
  return JSON.stringify(rows);
};

describe('projections checked against the events', () => {
  it('a logbook_entries row edited directly is named, first and by its key; repair puts it back', () => {
    const dir = make();
    expect(vigie('verify', '--data', dir).last).toBe('OK 400 events');
    edit(dir, "UPDATE logbook_entries SET text = 'Rien à signaler' WHERE entry_no = 17");
    const bad = vigie('verify', '--data', dir);
    expect(bad.status).toBe(1);
    expect(bad.last).toMatch(/^FAIL projection logbook_entries entry_no=17: /);
    expect(bad.last).toContain('text = "Rien à signaler" au lieu de "Inscription 17');
    const repaired = vigie('repair', '--data', dir);
    expect(repaired.out).toContain('sur place');
    expect(vigie('verify', '--data', dir)).toMatchObject({ status: 0, last: 'OK 400 events' });
  });

  it('a row removed from a projection is named', () => {
    const dir = make();
    edit(dir, 'DELETE FROM logbook_entries WHERE entry_no = 300');
    expect(vigie('verify', '--data', dir).last).toMatch(/^FAIL projection logbook_entries entry_no=300: ligne absente/);
  });
});

describe('vigie rebuild', () => {
  it('says how far it is on stderr, then names its last phase; a row edited directly is put back', () => {
    const dir = make();
    edit(dir, "UPDATE logbook_entries SET text = 'Rien à signaler' WHERE entry_no = 17");
    const r = spawnSync(process.execPath, [cli, 'rebuild', '--data', dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    // Not a terminal: one line per tenth, here only the end (400 events is less than one progress step).
    expect(r.stderr).toBe('reconstruction : 100 % (400/400 événements) ; index de recherche et écriture sur disque…\n');
    expect(r.stdout).toContain('à partir de 400 événements');
    expect(vigie('verify', '--data', dir)).toMatchObject({ status: 0, last: 'OK 400 events' });
  });
});

describe('vigie verify', () => {
  it('says how far its two long parts are on stderr; stdout keeps the report', () => {
    const dir = make();
    const r = spawnSync(process.execPath, [cli, 'verify', '--data', dir], { encoding: 'utf8' });
    expect(r.status).toBe(0);
    expect(r.stderr).toBe(
      'chaînes : 100 % (400/400 événements)\n' +
        'rejeu des projections : 100 % (400/400 événements) ; comparaison des tables…\n',
    );
    expect(r.stdout.trim().split('\n').at(-1)).toBe('OK 400 events');
  });
});

describe('vigie repair', () => {
  it('a damaged full-text index: verify names it, repair rebuilds it, search works again', () => {
    const dir = make();
    const before = eventsDump(dir);
    edit(dir, 'UPDATE logbook_fts_data SET block = randomblob(length(block)) WHERE id > 10');
    const bad = vigie('verify', '--data', dir);
    expect(bad.status).toBe(1);
    expect(bad.last).toMatch(/^FAIL (projection logbook_fts|pages endommagées)/);
    expect(vigie('repair', '--data', dir).status).toBe(0);
    expect(vigie('verify', '--data', dir)).toMatchObject({ status: 0, last: 'OK 400 events' });
    const db = new Database(databasePath(dir), { readonly: true });
    expect(db.prepare("SELECT count(*) FROM logbook_fts WHERE logbook_fts MATCH 'poindimie'").pluck().get()).toBe(400);
    db.close();
    expect(eventsDump(dir)).toBe(before);
  });

  it("garbage in an index's page: verify says repair, repair rebuilds the file from the events, the old one kept", () => {
    const dir = make();
    const before = eventsDump(dir);
    const db = new Database(databasePath(dir));
    const page = db
      .prepare("SELECT rootpage FROM sqlite_schema WHERE name = 'logbook_entries_day_no'")
      .pluck()
      .get() as number;
    const size = db.pragma('page_size', { simple: true }) as number;
    db.close();
    const fd = openSync(databasePath(dir), 'r+');
    writeSync(fd, Buffer.alloc(size, 0x5a), 0, size, (page - 1) * size);
    closeSync(fd);
    const bad = vigie('verify', '--data', dir);
    expect(bad.status).toBe(1);
    expect(bad.last).toMatch(/^FAIL pages endommagées hors du journal .*vigie repair/);
    const repaired = vigie('repair', '--data', dir);
    expect(repaired.status, repaired.out).toBe(0);
    expect(repaired.out).toContain('dans un nouveau fichier');
    expect(readdirSync(dir).some((f) => f.startsWith('vigie.db.avant-reparation-'))).toBe(true);
    expect(vigie('verify', '--data', dir)).toMatchObject({ status: 0, last: 'OK 400 events' });
    expect(eventsDump(dir)).toBe(before);
  });

  it('refuses to "repair" a broken chain: the events are evidence, never rewritten', () => {
    const dir = make();
    edit(
      dir,
      "DROP TRIGGER events_no_update; UPDATE events SET payload = json_set(payload, '$.text', 'x') WHERE seq = 5",
    );
    const r = vigie('repair', '--data', dir);
    expect(r.status).toBe(1);
    expect(r.out).toContain('Le journal lui-même est atteint');
  });
});
