/**
 * Keyed integrity (issue 11 §4): the position key outside the database, registered in the log; signed
 * checkpoints; rotation; signatures checked from the events.
 */
import Database from 'better-sqlite3';
import { chmodSync, readFileSync, rmSync, statSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { useTempStores } from '../store/testing.js';
import { CHECKPOINT, KEY_REGISTERED, type CheckpointPayload } from './events.js';
import { positionKeyPath, readKeyFile } from './keys.js';
import { createTrustService } from './service.js';
import { verifyTrust } from './verify.js';

const { tempDir, open } = useTempStores('vigie-trust-');
const keyFiles: string[] = [];
afterEach(() => {
  for (const f of keyFiles.splice(0)) rmSync(f, { force: true });
});
const setup = () => {
  const dir = tempDir();
  const file = positionKeyPath(dir);
  keyFiles.push(file, `${file}.next`);
  const store = open(dir);
  return { dir, file, store, trust: createTrustService(store, file) };
};
const entry = (store: ReturnType<typeof open>, text: string) =>
  store.append('logbook.entry', { text, category: 'information' }, 'Marie Wamytan');

describe('position key', () => {
  it('is created 0600 beside the data directory, registered in the log, and is nowhere in the database', async () => {
    const { file, store, trust } = setup();
    const key = trust.ensureKey();
    expect(statSync(file).mode & 0o777).toBe(0o600);
    const registered = store.db
      .prepare('SELECT payload FROM events WHERE type = ?')
      .pluck()
      .all(KEY_REGISTERED) as string[];
    expect(registered).toHaveLength(1);
    expect(JSON.parse(registered[0] ?? '{}')).toMatchObject({
      keyId: key.keyId,
      publicKey: key.publicKey,
      previousKeyId: null,
    });
    // Opening again registers nothing more.
    createTrustService(store, file).ensureKey();
    expect(store.db.prepare('SELECT count(*) FROM events WHERE type = ?').pluck().get(KEY_REGISTERED)).toBe(1);
    // The private key's bytes (PKCS#8 DER inside the PEM) appear neither in the database nor in a backup.
    const der = key.privateKey.export({ format: 'der', type: 'pkcs8' });
    const secret = der.subarray(der.length - 32);
    const { file: backup } = await store.backup();
    store.db.pragma('wal_checkpoint(TRUNCATE)');
    for (const f of [store.path, backup]) {
      const bytes = readFileSync(f);
      expect(bytes.includes(secret), f).toBe(false);
      expect(bytes.includes(Buffer.from(secret.toString('base64'))), f).toBe(false);
    }
    expect(readFileSync(file, 'utf8')).toContain('PRIVATE KEY');
  });

  it('refuses a key file that others can read', () => {
    const { file, trust } = setup();
    trust.ensureKey();
    chmodSync(file, 0o644);
    expect(() => readKeyFile(file)).toThrow(/lisible par d'autres comptes/);
  });
});

describe('signed checkpoints', () => {
  it('attest origin, seq and head hash, signed; verify accepts them and counts what they cover', () => {
    const { store, trust } = setup();
    for (let i = 1; i <= 5; i += 1) entry(store, `Inscription ${i}`);
    const written = trust.checkpoint('manual');
    const head = store.db
      .prepare('SELECT seq, hash FROM events WHERE origin = ? AND seq = ?')
      .get(store.origin, written.payload.seq) as { seq: number; hash: string };
    expect(written.payload).toMatchObject({
      origin: store.origin,
      seq: head.seq,
      headHash: head.hash,
      reason: 'manual',
    });
    entry(store, 'Après le point de contrôle');
    const report = verifyTrust(store.db, trust.ensureKey().keyId);
    expect(report.ok).toBe(true);
    expect(report.origins[0]).toMatchObject({ checkpoints: 1, coveredSeq: written.payload.seq });
  });

  it('a checkpoint whose signature does not match is named', () => {
    const { store, trust } = setup();
    entry(store, 'Une');
    const cp = trust.checkpoint('manual');
    store.close();
    const db = new Database(store.path);
    db.exec('DROP TRIGGER events_no_update');
    const forged: CheckpointPayload = { ...cp.payload, time: '2020-01-01T00:00:00.000Z' };
    db.prepare('UPDATE events SET payload = ? WHERE id = ?').run(JSON.stringify(forged), cp.id);
    const report = verifyTrust(db);
    db.close();
    expect(report.failure).toMatchObject({ seq: cp.seq, id: cp.id, problem: 'signature' });
  });

  it('rotation: the new key is registered by the old one, later checkpoints are signed by the new one', () => {
    const { file, store, trust } = setup();
    entry(store, 'Avant');
    const before = trust.checkpoint('manual');
    const { previous, current, checkpoint } = trust.rotate();
    expect(current.keyId).not.toBe(previous.keyId);
    expect(readKeyFile(file)?.keyId).toBe(current.keyId);
    expect(checkpoint.payload.keyId).toBe(current.keyId);
    expect(before.payload.keyId).toBe(previous.keyId);
    entry(store, 'Après');
    expect(trust.checkpoint('manual').payload.keyId).toBe(current.keyId);
    expect(verifyTrust(store.db, current.keyId)).toMatchObject({
      ok: true,
      origins: [{ keyId: current.keyId, checkpoints: 3 }],
    });
    // The retired key put back in place of the current one is refused, not used to sign.
    const types = store.db.prepare('SELECT type FROM events ORDER BY seq').pluck().all() as string[];
    expect(types.filter((t) => t === KEY_REGISTERED)).toHaveLength(2);
    expect(types.filter((t) => t === CHECKPOINT)).toHaveLength(3);
  });
});
