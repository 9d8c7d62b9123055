import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { eventHash } from './chain.js';
import { databasePath, openStore, type StoredEvent } from './index.js';

/**
 * Tamper test (issue 3 §9): an attacker with the sqlite3 command line drops the append-only triggers and
 * edits the file; `vigie verify` must fail and name the first bad event (origin, seq, id).
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
const SQLITE3 = '/usr/bin/sqlite3';

let workDir = '';
let pristine = '';
let events: StoredEvent[] = [];

beforeAll(() => {
  if (!existsSync(cli)) {
    // Normally built by the test script; a bare `vitest run` builds it here (type errors elsewhere do not block emit).
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  expect(existsSync(cli), `${cli} manquant : npx tsc -p tsconfig.build.json`).toBe(true);
  expect(existsSync(SQLITE3), `${SQLITE3} manquant (paquet Debian sqlite3)`).toBe(true);
  workDir = mkdtempSync(join(tmpdir(), 'vigie-tamper-'));
  pristine = join(workDir, 'pristine');
  const store = openStore({ dataDir: pristine, modules: moduleSchemas(), backup: false });
  events = Array.from({ length: 10 }, (_, i) =>
    store.append('logbook.entry', { text: `Inscription ${i + 1}`, category: 'information' }, 'chef de salle'),
  );
  store.close();
});
afterAll(() => {
  if (workDir !== '') rmSync(workDir, { recursive: true, force: true });
});

let scenario = 0;
/** A copy of the pristine data directory, attacked with the given SQL through the sqlite3 command line. */
const attacked = (sql: string, dropTriggers = true): string => {
  scenario += 1;
  const dir = join(workDir, `scenario-${scenario}`);
  mkdirSync(dir);
  copyFileSync(databasePath(pristine), databasePath(dir));
  const script = `${dropTriggers ? 'DROP TRIGGER events_no_update; DROP TRIGGER events_no_delete; ' : ''}${sql}`;
  execFileSync(SQLITE3, ['-bail', databasePath(dir), script], { stdio: 'pipe' });
  return dir;
};

const verify = (dir: string): { status: number | null; last: string } => {
  const result = spawnSync(process.execPath, [cli, 'verify', '--data', dir], { encoding: 'utf8' });
  const lines = result.stdout.trim().split('\n');
  return { status: result.status, last: lines.at(-1) ?? '' };
};

const at = (seq: number): StoredEvent => {
  const e = events[seq - 1];
  if (e === undefined) throw new Error(`pas d'événement seq ${seq}`);
  return e;
};
const named = (e: StoredEvent, problem: string): string =>
  `FAIL origin=${e.origin} seq=${e.seq} id=${e.id} ${problem}:`;

describe('tamper evidence (sqlite3 command line, triggers dropped)', () => {
  it('the untouched copy verifies', () => {
    expect(verify(attacked('SELECT 1;', false))).toEqual({ status: 0, last: 'OK 10 events' });
  });

  it('with the triggers in place, the attacker cannot even UPDATE or DELETE', () => {
    expect(() => attacked("UPDATE events SET author = 'x' WHERE seq = 1;", false)).toThrow(/ajout seul/);
    expect(() => attacked('DELETE FROM events WHERE seq = 1;', false)).toThrow(/ajout seul/);
  });

  it('catches an altered payload and names the event', () => {
    const dir = attacked("UPDATE events SET payload = json_set(payload, '$.text', 'Rien à signaler') WHERE seq = 4;");
    const { status, last } = verify(dir);
    expect(status).toBe(1);
    expect(last.startsWith(named(at(4), 'altered'))).toBe(true);
  });

  it('catches a deleted row and names the event after the gap', () => {
    const { status, last } = verify(attacked('DELETE FROM events WHERE seq = 6;'));
    expect(status).toBe(1);
    expect(last.startsWith(named(at(7), 'missing'))).toBe(true);
    expect(last).toContain('seq 6 absent');
  });

  it('catches two swapped rows and names the first one out of place', () => {
    const dir = attacked(
      'UPDATE events SET seq = 1000 WHERE seq = 3; UPDATE events SET seq = 3 WHERE seq = 8; UPDATE events SET seq = 8 WHERE seq = 1000;',
    );
    const { status, last } = verify(dir);
    expect(status).toBe(1);
    // seq 3 now holds the event that was seq 8: its hash (which covers seq) no longer matches.
    expect(last.startsWith(`FAIL origin=${at(8).origin} seq=3 id=${at(8).id} altered:`)).toBe(true);
  });

  it('catches an altered payload whose hash the attacker recomputed: the next link breaks', () => {
    const e = at(4);
    const payloadJson = JSON.stringify({ category: 'information', text: 'Inscription 4 (réécrite)' });
    const hash = eventHash(e.prevHash, { ...e, payloadJson });
    const { status, last } = verify(
      attacked(`UPDATE events SET payload = '${payloadJson}', hash = '${hash}' WHERE seq = 4;`),
    );
    expect(status).toBe(1);
    expect(last.startsWith(named(at(5), 'broken-link'))).toBe(true);
  });

  it('catches a chain cut at its end (the recorded head is missing)', () => {
    const { status, last } = verify(attacked('DELETE FROM events WHERE seq = 10;'));
    expect(status).toBe(1);
    expect(last.startsWith(named(at(10), 'truncated'))).toBe(true);
  });
});
