import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import type { TestPostgres } from '../../electron/testing/postgres.js';
import { cliPath } from './paths.js';
import { addUser } from './roster.js';

const PASSWORD = 'mot-de-passe-du-poste';

export const vigie = (...args: string[]): string =>
  execFileSync(process.execPath, [cliPath, ...args], { encoding: 'utf8' });

/**
 * A position's data directory as a technician provisions it for a central PostgreSQL (README,
 * "Replication"): one user of the roster, the position's role on the server, vigie.json. Polled every
 * 200 ms and retried fast, so that a test does not wait on the production pace.
 */
export const provisionPosition = (
  server: TestPostgres,
  position: { name: string; role: string; user: [name: string, role: string, pin: string] },
): string => {
  const dir = mkdtempSync(join(tmpdir(), `vigie-e2e-${position.role}-`));
  addUser(dir, ...position.user);
  const passwordFile = join(dir, 'central.pw');
  writeFileSync(passwordFile, `${PASSWORD}\n`, { mode: 0o600 });
  vigie(
    'central',
    'add-position',
    '--url',
    server.url,
    '--data',
    dir,
    '--role',
    position.role,
    '--password-file',
    passwordFile,
    '--name',
    position.name,
  );
  const url = `postgres://${position.role}@127.0.0.1:${server.port}/postgres`;
  writeFileSync(
    join(dir, 'vigie.json'),
    JSON.stringify({
      positionName: position.name,
      central: { urls: [url], passwordFile, pollMs: 200, retryMs: [100, 1000] },
    }),
  );
  return dir;
};

/** Signs in from the roster with the keyboard, once the first status has made the page's keys live. */
export const signIn = async (page: Page, url: string, user: string, pin: string): Promise<void> => {
  await page.goto(url);
  await page.getByTestId('logbook-signin').waitFor();
  await expect.poll(() => page.getByTestId('status-network').textContent()).not.toContain('inconnu');
  await page.keyboard.press('F8');
  await page.getByTestId('signin-name').selectOption({ label: user });
  await page.getByTestId('signin-pin').focus();
  await page.keyboard.type(pin);
  await page.keyboard.press('Enter');
  await page.getByTestId('session-user').waitFor();
};
