import Database from 'better-sqlite3';
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../modules.js';
import { databasePath } from './paths.js';
import { openStore } from './store.js';
import { removeDataDir } from '../../testing/data-dir.js';

/**
 * Crash safety (issue 3 §8, docs/architecture.md, rule 3): `vigie append` is fed lines continuously and killed with
 * SIGKILL at random moments, several rounds on the same database. After each kill, every id it printed
 * (printed only after COMMIT) must be in the database, and `vigie verify` must pass.
 */
const root = fileURLToPath(new URL('../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
const ROUNDS = 6;

let dataDir = '';
beforeAll(() => {
  if (!existsSync(cli)) {
    // Normally built by the test script; a bare `vitest run` builds it here (type errors elsewhere do not block emit).
    spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  }
  expect(existsSync(cli), `${cli} manquant : npx tsc -p tsconfig.build.json`).toBe(true);
  dataDir = mkdtempSync(join(tmpdir(), 'vigie-crash-'));
  // A provisioned position: `vigie append` writes only into an existing log (cli/args.ts existingDataDir).
  openStore({ dataDir, modules: moduleSchemas(), backup: false }).close();
});
afterAll(() => {
  if (dataDir !== '') removeDataDir(dataDir);
});

/** One round: spawn, feed, SIGKILL after `killAfterMs` (counted from the first printed id when `afterFirstId`). */
const round = (index: number, killAfterMs: number, afterFirstId: boolean): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [cli, 'append', '--data', dataDir, '--author', 'crash', '--category', 'information'],
      {
        stdio: ['pipe', 'pipe', 'pipe'],
      },
    );
    let out = '';
    let err = '';
    let line = 0;
    let feeding = true;
    let killTimer: NodeJS.Timeout | undefined;
    const kill = (): void => {
      feeding = false;
      child.kill('SIGKILL');
    };
    child.stdin.on('error', () => {
      // EPIPE once the child is dead: expected.
    });
    const feed = (): void => {
      if (!feeding) return;
      const chunk = Array.from({ length: 1 + (line % 40) }, () => `tour ${index} ligne ${(line += 1)}`).join('\n');
      // Respect back-pressure: wait for drain rather than buffering megabytes in this process.
      if (child.stdin.write(`${chunk}\n`)) setImmediate(feed);
      else child.stdin.once('drain', feed);
    };
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (text: string) => {
      out += text;
      if (afterFirstId && killTimer === undefined) killTimer = setTimeout(kill, killAfterMs);
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (text: string) => {
      err += text;
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      feeding = false;
      if (killTimer !== undefined) clearTimeout(killTimer);
      if (signal !== 'SIGKILL') {
        reject(new Error(`vigie append s'est arrêté seul (code ${code}) : ${err}`));
        return;
      }
      // Only complete lines: a line cut by the kill is not a printed id.
      const complete = out.slice(0, out.lastIndexOf('\n') + 1);
      resolve(complete.split('\n').filter((l) => l !== ''));
    });
    if (!afterFirstId) killTimer = setTimeout(kill, killAfterMs);
    feed();
  });

describe('crash safety of vigie append (SIGKILL)', () => {
  it(`every printed id survives ${ROUNDS} kills at random moments, and verify passes after each`, async () => {
    const printed: string[] = [];
    for (let i = 0; i < ROUNDS; i += 1) {
      // Round 0 is killed at a random moment that may fall during start-up (open, migrations); the others mid-stream.
      const ids = await round(i, i === 0 ? 30 + Math.random() * 300 : 20 + Math.random() * 600, i !== 0);
      if (i !== 0) expect(ids.length, `tour ${i} : aucun id imprimé`).toBeGreaterThan(0);
      printed.push(...ids);
      console.info(`tour ${i} : ${ids.length} ids imprimés avant SIGKILL`);

      if (existsSync(databasePath(dataDir))) {
        const db = new Database(databasePath(dataDir), { readonly: true });
        const stored = new Set((db.prepare('SELECT id FROM events').all() as { id: string }[]).map((r) => r.id));
        const entries = (
          db.prepare("SELECT count(*) AS n FROM events WHERE type = 'logbook.entry'").get() as { n: number }
        ).n;
        const projected = (db.prepare('SELECT count(*) AS n FROM logbook_entries').get() as { n: number }).n;
        db.close();
        const lost = printed.filter((id) => !stored.has(id));
        expect(lost, `tour ${i} : ids imprimés absents de la base`).toEqual([]);
        expect(projected, 'projection et journal écrits dans la même transaction').toBe(entries);
        const verify = spawnSync(process.execPath, [cli, 'verify', '--data', dataDir], { encoding: 'utf8' });
        expect(verify.status, verify.stdout + verify.stderr).toBe(0);
        expect(verify.stdout.trim().split('\n').at(-1)).toBe(`OK ${stored.size} events`);
      }
    }
    expect(printed.length).toBeGreaterThan(ROUNDS - 1);
    expect(new Set(printed).size).toBe(printed.length);
  }, 120_000);
});
