/**
 * The evidence bundle end to end (issue 11 §6), through the CLI on a real data directory: exported,
 * verified offline, and refused after a change in every class of byte (the PDF, an event, a proof, the
 * signatures, the raw file), with a local RFC 3161 authority (`openssl ts -reply` behind a loopback HTTP
 * server) whose token verify-export checks with `openssl ts -verify`.
 */
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import { promisify } from 'node:util';
import { existsSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../../modules.js';
import { canonicalJson } from '../../store/canonical.js';
import { openStore } from '../../store/index.js';
import { verifyBundle } from './verify-bundle.js';

const root = fileURLToPath(new URL('../../../../', import.meta.url));
const cli = join(root, 'dist/electron/cli/main.js');
let work = '';
let data = '';
let bundle = '';
const vigie = (...args: string[]) => {
  const r = spawnSync(process.execPath, [cli, ...args], { encoding: 'utf8' });
  return { status: r.status, out: r.stdout + r.stderr, last: r.stdout.trim().split('\n').at(-1) ?? '' };
};

beforeAll(() => {
  if (!existsSync(cli)) spawnSync('npx', ['tsc', '-p', 'tsconfig.build.json'], { cwd: root, stdio: 'inherit' });
  expect(existsSync(cli), `${cli} manquant : npx tsc -p tsconfig.build.json`).toBe(true);
  work = mkdtempSync(join(tmpdir(), 'vigie-bundle-'));
  data = join(work, 'data');
  const store = openStore({ dataDir: data, modules: moduleSchemas(), backup: false });
  const first = store.append(
    'logbook.entry',
    { text: 'Feu de brousse à Boulouparis, « Île » ŋ', category: 'intervention' },
    'Marie Wamytan',
  );
  for (let i = 2; i <= 40; i += 1)
    store.append('logbook.entry', { text: `Inscription ${i}`, category: 'information' }, 'Paul Néaoutyine');
  store.append(
    'logbook.entry',
    { text: 'Feu de brousse à Bouloupari', category: 'intervention', correctsId: first.id },
    'Marie Wamytan',
  );
  store.close();
  bundle = join(work, 'preuve.json');
  const exported = vigie('export', '--data', data, '--format', 'bundle', '--out', bundle);
  expect(exported.status, exported.out).toBe(0);
});
afterAll(() => {
  if (work !== '') rmSync(work, { recursive: true, force: true });
});

interface Raw {
  pdf: string;
  entries: { event: { payload: string }; proof: string[]; entry: Record<string, unknown> }[];
  manifest: { signature: string };
  checkpoint: { payload: { signature: string } };
  timestamp: { response: string } | null;
}
/** A copy of the bundle changed through its parsed form, written back in canonical form (a careful forger). */
const forged = (name: string, change: (b: Raw) => void): string => {
  const b = JSON.parse(readFileSync(bundle, 'utf8')) as Raw;
  change(b);
  const file = join(work, `${name}.json`);
  writeFileSync(file, `${canonicalJson(b)}\n`);
  return file;
};
const flip = (b64: string, at: number): string => {
  const bytes = Buffer.from(b64, 'base64');
  bytes[at % bytes.length] = (bytes[at % bytes.length] ?? 0) ^ 0x01;
  return bytes.toString('base64');
};
const hexFlip = (hex: string): string => (hex[0] === '0' ? '1' : '0') + hex.slice(1);

describe('evidence bundle', () => {
  it('is one 0600 file that verify-export accepts offline, with the PDF, every entry and the fingerprint', () => {
    expect(statSync(bundle).mode & 0o777).toBe(0o600);
    const r = vigie('verify-export', bundle);
    expect(r.status, r.out).toBe(0);
    expect(r.last).toMatch(/^OK 41 inscriptions/);
    const report = verifyBundle(bundle);
    expect(report).toMatchObject({ ok: true, entries: 41, failures: [] });
    const pdf = join(work, 'from-bundle.pdf');
    writeFileSync(pdf, Buffer.from((JSON.parse(readFileSync(bundle, 'utf8')) as Raw).pdf, 'base64'));
    const text = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' });
    expect(text).toContain('Feu de brousse à Boulouparis, « Île » ŋ');
    expect(text).toContain(`Empreinte SHA-256 de la clé Ed25519 du poste : ${report.fingerprint ?? '?'}`);
    expect(vigie('verify-export', bundle, '--fingerprint', 'ab'.repeat(32)).status).toBe(1);
  });

  it('names what fails when the PDF, an event, a proof, the entry text or a signature changes', () => {
    const cases: [string, (b: Raw) => void, RegExp][] = [
      ['pdf', (b) => void (b.pdf = flip(b.pdf, 4000)), /PDF : modifié/],
      [
        'event',
        (b) =>
          void (
            b.entries[3] &&
            (b.entries[3].event.payload = b.entries[3].event.payload.replace('Inscription 4', 'Inscription 5'))
          ),
        /événement altéré/,
      ],
      [
        'proof',
        (b) => void (b.entries[7] && (b.entries[7].proof[0] = hexFlip(b.entries[7].proof[0] ?? ''))),
        /preuve d'inclusion invalide/,
      ],
      [
        'entry',
        (b) => void (b.entries[2] && (b.entries[2].entry.text = 'Rien à signaler')),
        /ne correspond pas à son événement/,
      ],
      [
        'manifest',
        (b) => void (b.manifest.signature = flip(b.manifest.signature, 10)),
        /manifeste : signature invalide/,
      ],
      [
        'checkpoint',
        (b) => void (b.checkpoint.payload.signature = flip(b.checkpoint.payload.signature, 3)),
        /point de contrôle : signature invalide/,
      ],
    ];
    for (const [name, change, expected] of cases) {
      const r = vigie('verify-export', forged(name, change));
      expect(r.status, name).toBe(1);
      expect(r.last).toBe('REFUSÉ');
      expect(r.out, name).toMatch(expected);
    }
  });

  it('refuses the file after any single byte of it changes (a sample of positions over the whole file)', () => {
    const bytes = readFileSync(bundle);
    const file = join(work, 'byte.json');
    const step = Math.max(1, Math.floor(bytes.length / 150));
    let tried = 0;
    for (let at = 0; at < bytes.length; at += step) {
      const copy = Buffer.from(bytes);
      // Another printable character: the file stays readable text, only its content changes.
      copy[at] = copy[at] === 0x41 ? 0x42 : 0x41;
      writeFileSync(file, copy);
      expect(verifyBundle(file).ok, `octet ${at}`).toBe(false);
      tried += 1;
    }
    expect(tried).toBeGreaterThan(100);
  });
});

describe('RFC 3161 time-stamp (local authority: openssl ts -reply)', () => {
  let server: Server | undefined;
  let tsa = '';
  beforeAll(async () => {
    tsa = join(work, 'tsa');
    execFileSync('mkdir', ['-p', tsa]);
    const ssl = (...args: string[]) => execFileSync('openssl', args, { cwd: tsa, stdio: 'pipe' });
    ssl(
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-subj',
      '/CN=Autorite de test',
      '-days',
      '2',
      '-addext',
      'basicConstraints=critical,CA:TRUE',
      '-addext',
      'keyUsage=critical,keyCertSign',
    );
    ssl(
      'req',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      'tsa.key',
      '-out',
      'tsa.csr',
      '-subj',
      '/CN=Horodatage de test',
    );
    writeFileSync(join(tsa, 'ext.cnf'), 'extendedKeyUsage=critical,timeStamping\nkeyUsage=critical,digitalSignature\n');
    ssl(
      'x509',
      '-req',
      '-in',
      'tsa.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'tsa.pem',
      '-days',
      '2',
      '-extfile',
      'ext.cnf',
    );
    writeFileSync(join(tsa, 'serial'), '01\n');
    writeFileSync(
      join(tsa, 'tsa.cnf'),
      [
        '[ tsa ]',
        'default_tsa = tsa_config1',
        '[ tsa_config1 ]',
        `dir = ${tsa}`,
        'serial = $dir/serial',
        'signer_cert = $dir/tsa.pem',
        'certs = $dir/ca.pem',
        'signer_key = $dir/tsa.key',
        'signer_digest = sha256',
        'default_policy = 1.2.3.4.1',
        'digests = sha256',
        'accuracy = secs:1',
        'ordering = no',
        'tsa_name = no',
        'ess_cert_id_chain = no',
        'ess_cert_id_alg = sha256',
        '',
      ].join('\n'),
    );
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        writeFileSync(join(tsa, 'q.tsq'), Buffer.concat(chunks));
        const r = spawnSync(
          'openssl',
          ['ts', '-reply', '-config', join(tsa, 'tsa.cnf'), '-queryfile', 'q.tsq', '-out', 'r.tsr'],
          { cwd: tsa },
        );
        if (r.status !== 0) {
          res.writeHead(500).end(r.stderr);
          return;
        }
        res.writeHead(200, { 'content-type': 'application/timestamp-reply' }).end(readFileSync(join(tsa, 'r.tsr')));
      });
    });
    await new Promise<void>((resolve) => server?.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as AddressInfo).port;
    writeFileSync(join(data, 'vigie.json'), JSON.stringify({ trust: { tsaUrl: `http://127.0.0.1:${port}/tsa` } }));
  });
  afterAll(async () => {
    rmSync(join(data, 'vigie.json'), { force: true });
    await new Promise<void>((resolve) => (server === undefined ? resolve() : server.close(() => resolve())));
  });

  it('time-stamps the export checkpoint; verify-export checks the token with openssl, and refuses a changed one', async () => {
    const file = join(work, 'horodate.json');
    // Not spawnSync: the authority answers from this process's event loop.
    const exported = await promisify(execFile)(
      process.execPath,
      [cli, 'export', '--data', data, '--format', 'bundle', '--out', file],
      { encoding: 'utf8' },
    );
    expect(exported.stdout).toContain('horodaté');
    const ok = vigie('verify-export', file, '--tsa-ca', join(tsa, 'ca.pem'));
    expect(ok.status, ok.out).toBe(0);
    expect(ok.out).toContain('horodatage RFC 3161 : vérifié (openssl ts -verify)');
    const saved = bundle;
    bundle = file;
    const bad = forged(
      'horodate-faux',
      (b) => void (b.timestamp && (b.timestamp.response = flip(b.timestamp.response, 60))),
    );
    bundle = saved;
    const refused = vigie('verify-export', bad, '--tsa-ca', join(tsa, 'ca.pem'));
    expect(refused.status, refused.out).toBe(1);
    expect(refused.out).toMatch(/ÉCHEC horodatage/);
  });
});
