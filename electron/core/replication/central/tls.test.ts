/**
 * TLS to the central server (README "Several positions"): a throw-away CA and a server certificate for
 * 127.0.0.1 made with openssl, PostgreSQL with ssl=on; a URL with sslmode=verify-full&sslrootcert=… is
 * encrypted (pg_stat_ssl) and a certificate from another CA is refused.
 */
import { spawnSync } from 'node:child_process';
import { chmodSync, chownSync, existsSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { owner, postgresAvailable, startPostgres, type TestPostgres } from '../../../testing/postgres.js';
import { addPosition, migrateCentral } from './schema.js';
import { removeDataDir } from '../../../testing/data-dir.js';

const haveOpenssl = spawnSync('openssl', ['version']).status === 0;
if (!postgresAvailable() || !haveOpenssl) console.info('tls.test : PostgreSQL 15 ou openssl absent — test ignoré');

const openssl = (cwd: string, args: string[]): void => {
  const r = spawnSync('openssl', args, { cwd, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`openssl ${args[0] ?? ''} : ${r.stderr}`);
};

/** A CA (ca.pem) and a certificate for IP 127.0.0.1 signed by it (server.pem, server.key). */
const makeCa = (dir: string, name: string): void => {
  openssl(dir, [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${name}`,
    '-keyout',
    'ca.key',
    '-out',
    'ca.pem',
  ]);
  openssl(dir, [
    'req',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-subj',
    '/CN=127.0.0.1',
    '-keyout',
    'server.key',
    '-out',
    'server.csr',
  ]);
  writeFileSync(join(dir, 'san.ext'), 'subjectAltName = IP:127.0.0.1\n');
  openssl(dir, [
    'x509',
    '-req',
    '-in',
    'server.csr',
    '-CA',
    'ca.pem',
    '-CAkey',
    'ca.key',
    '-CAcreateserial',
    '-days',
    '2',
    '-extfile',
    'san.ext',
    '-out',
    'server.pem',
  ]);
};

describe.skipIf(!postgresAvailable() || !haveOpenssl)('TLS to the central server', () => {
  const dirs: string[] = [];
  let server: TestPostgres | undefined;
  afterAll(async () => {
    await server?.destroy();
    for (const d of dirs) removeDataDir(d);
  });

  it('sslmode=verify-full with the right CA is encrypted; another CA is refused', async () => {
    const good = mkdtempSync(join(tmpdir(), 'vigie-tls-'));
    const other = mkdtempSync(join(tmpdir(), 'vigie-tls-other-'));
    dirs.push(good, other);
    makeCa(good, 'Vigie test CA');
    makeCa(other, 'Autre CA');
    // PostgreSQL wants its key owned by itself and private (https://www.postgresql.org/docs/15/ssl-tcp.html).
    const ids = owner();
    if (ids.uid !== undefined && ids.gid !== undefined) {
      chownSync(join(good, 'server.key'), ids.uid, ids.gid);
      chownSync(join(good, 'server.pem'), ids.uid, ids.gid);
    }
    chmodSync(join(good, 'server.key'), 0o600);
    // The server (another user when we are root) must reach the files.
    chmodSync(good, 0o755);
    expect(existsSync(join(good, 'server.pem'))).toBe(true);
    server = await startPostgres({
      settings: { ssl: 'on', ssl_cert_file: join(good, 'server.pem'), ssl_key_file: join(good, 'server.key') },
    });
    const admin = new pg.Client({ connectionString: server.url });
    await admin.connect();
    await migrateCentral(admin);
    await addPosition(admin, {
      origin: '00000000-0000-4000-8000-000000000001',
      role: 'poste_tls',
      password: 'mot-de-passe-tls',
    });
    await admin.end();

    const url = (ca: string) =>
      `${server?.urlFor('poste_tls', 'mot-de-passe-tls') ?? ''}?sslmode=verify-full&sslrootcert=${encodeURIComponent(join(ca, 'ca.pem'))}`;
    const client = new pg.Client({ connectionString: url(good) });
    await client.connect();
    const ssl = await client.query<{ ssl: boolean; version: string }>(
      'SELECT ssl, version FROM pg_stat_ssl WHERE pid = pg_backend_pid()',
    );
    expect(ssl.rows[0]?.ssl).toBe(true);
    expect(ssl.rows[0]?.version).toMatch(/^TLSv1\.[23]$/);
    await client.end();

    const refused = new pg.Client({ connectionString: url(other) });
    refused.on('error', () => undefined);
    await expect(refused.connect()).rejects.toThrow(/self[- ]signed|unable to verify|certificate/i);
  }, 60_000);
});
