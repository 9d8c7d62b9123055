/**
 * Integrity across positions (issue 13 §4): another position's trust events are verified before anything
 * is applied (a bad one is quarantined with what follows it), each verified checkpoint is countersigned,
 * and a position that shows two histories to two peers is detected by both once they exchange their
 * countersignatures. Real SQLite files, stores opened with every module's schema, events moved with
 * applyRemote exactly as the replication service does.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { allOf, entries as write, useWitnessPositions, type TestPosition } from '../../testing/witness-positions.js';
import { START } from '../replication/central/client.js';
import { recordPull } from '../replication/state.js';
import type { RemoteEvent } from '../store/types.js';
import {
  CHECKPOINT,
  COUNTERSIGNED,
  KEY_REGISTERED,
  TRUST_AUTHOR,
  checkpointPayload,
  countersignedPayload,
} from './events.js';
import { checkpointStatement, countersignatureStatement, keyStatement, signBytes, verifyBytes } from './signatures.js';
import { verifyTrust } from './verify.js';
import { equivocationAlarm } from './witness.js';

const { position, forked } = useWitnessPositions('vigie-witness-');
type Position = TestPosition;

const entries = (p: Position, prefix: string, n: number): void => write(p.store, prefix, n);
const all = (p: Position, origin = p.store.origin): RemoteEvent[] => allOf(p.store, origin);

const ofType = (p: Position, type: string, origin = p.store.origin): { seq: number; payload: unknown }[] =>
  (
    p.store.db
      .prepare('SELECT seq, payload FROM events WHERE origin = ? AND type = ? ORDER BY seq')
      .all(origin, type) as { seq: number; payload: string }[]
  ).map((r) => ({ seq: r.seq, payload: JSON.parse(r.payload) as unknown }));

/** Applies as the replication service does: the refused events go to replication_quarantine. */
const pull = (to: Position, events: readonly RemoteEvent[]) =>
  to.store.applyRemote(
    events,
    recordPull(
      events.map((e) => ({ ...e, receivedAt: new Date().toISOString(), at: START })),
      START,
      'essai',
      Date.now(),
    ),
  );

const quarantine = (p: Position): [number, string][] =>
  (
    p.store.db.prepare('SELECT seq, problem FROM replication_quarantine ORDER BY seq').all() as {
      seq: number;
      problem: string;
    }[]
  ).map((r) => [r.seq, r.problem]);

const head = (p: Position): { seq: number; hash: string } =>
  p.store.db.prepare('SELECT seq, hash FROM heads WHERE origin = ?').get(p.store.origin) as {
    seq: number;
    hash: string;
  };

describe('remote trust events are verified before they are applied', () => {
  it('a valid checkpoint is applied and countersigned by the receiver, whose countersignature the others accept', async () => {
    const a = position();
    const b = position();
    const c = position();
    entries(a, 'A', 3);
    const checkpoint = a.trust.checkpoint('manual');
    const result = pull(b, all(a));
    expect(result.refused).toEqual([]);
    expect(result.applied).toHaveLength(5);
    await b.witness.idle();
    const [signed] = ofType(b, COUNTERSIGNED);
    const w = countersignedPayload.parse(signed?.payload);
    // The whole signed checkpoint of A, quoted: anyone with A's key can check A signed it.
    expect(w.items).toEqual([{ ...checkpoint.payload, checkpointId: checkpoint.id }]);
    expect(w.keyId).toBe(b.trust.ensureKey().keyId);
    expect(verifyBytes(b.trust.ensureKey().publicKey, countersignatureStatement(b.store.origin, w), w.signature)).toBe(
      true,
    );
    // Signed for B: the same statement under another witness does not verify.
    expect(verifyBytes(b.trust.ensureKey().publicKey, countersignatureStatement(c.store.origin, w), w.signature)).toBe(
      false,
    );
    // C receives A's log and B's countersignature: nothing refused, no alarm; C countersigns A's checkpoint too.
    expect(pull(c, [...all(a), ...all(b)]).refused).toEqual([]);
    await c.witness.idle();
    expect(ofType(c, COUNTERSIGNED)).toHaveLength(1);
    expect(c.witness.equivocations()).toEqual([]);
    const report = verifyTrust(c.store.db);
    expect(report.ok).toBe(true);
    expect(report.origins.find((o) => o.origin === b.store.origin)?.countersignatures).toBe(1);
    expect(report.equivocations).toEqual([]);
    // A countersignature does not call for another one: B wrote none for C's.
    expect(pull(b, all(c)).refused).toEqual([]);
    await b.witness.idle();
    expect(ofType(b, COUNTERSIGNED)).toHaveLength(1);
  });

  it('a key rotation is accepted (new key signed by the old one); a checkpoint still signed by the old key after it is not', () => {
    const a = position();
    entries(a, 'A', 1);
    const before = a.trust.ensureKey();
    const rotation = a.trust.rotate();
    // The previous key in the batch: a checkpoint by it now is not by the key in force.
    const h = head(a);
    const stale = {
      origin: a.store.origin,
      seq: h.seq,
      headHash: h.hash,
      time: new Date().toISOString(),
      keyId: before.keyId,
      reason: 'manual' as const,
    };
    a.store.append(
      CHECKPOINT,
      { ...stale, signature: signBytes(before.privateKey, checkpointStatement(stale)) },
      TRUST_AUTHOR,
    );
    const b = position();
    const result = pull(b, all(a));
    expect(result.applied.map((e) => e.type)).toEqual([KEY_REGISTERED, 'logbook.entry', KEY_REGISTERED, CHECKPOINT]);
    expect(result.applied.at(-1)?.id).toBe(rotation.checkpoint.id);
    expect(quarantine(b)).toEqual([[h.seq + 1, 'signature']]);
    expect(result.refused[0]?.message).toMatch(
      new RegExp(`clé ${before.keyId}, qui n'est pas la clé en vigueur \\(${rotation.current.keyId}\\)`),
    );
  });

  it('a checkpoint with a bad signature is quarantined with everything after it; what came before is applied', async () => {
    const a = position();
    const b = position();
    entries(a, 'A', 2);
    const { seq, hash } = head(a);
    const key = a.trust.ensureKey();
    const body = {
      origin: a.store.origin,
      seq,
      headHash: hash,
      time: new Date().toISOString(),
      keyId: key.keyId,
      reason: 'manual' as const,
    };
    // Signed over another statement (another time): a well-formed signature that does not verify.
    const signature = signBytes(key.privateKey, checkpointStatement({ ...body, time: '2020-01-01T00:00:00.000Z' }));
    const forged = a.store.append(CHECKPOINT, { ...body, signature }, TRUST_AUTHOR);
    entries(a, 'après', 2);
    const result = pull(b, all(a));
    expect(result.applied.map((e) => e.seq)).toEqual([1, 2, 3]);
    expect(quarantine(b)).toEqual([
      [forged.seq, 'signature'],
      [forged.seq + 1, 'after-refused'],
      [forged.seq + 2, 'after-refused'],
    ]);
    expect(result.refused[0]?.message).toMatch(/signature invalide du point de contrôle/);
    expect(b.store.db.prepare("SELECT count(*) FROM logbook_entries WHERE text LIKE 'après%'").pluck().get()).toBe(0);
    await b.witness.idle();
    expect(ofType(b, COUNTERSIGNED)).toEqual([]);
  });

  it('refuses a checkpoint whose head hash is not the chain, one signed by a key not in force, a key that replaces none, a bad countersignature', () => {
    const a = position();
    const other = position();
    entries(a, 'A', 2);
    const key = a.trust.ensureKey();
    const stranger = other.trust.ensureKey();
    const at = (seq: number) => all(a).find((e) => e.seq === seq)?.hash ?? '';
    const checkpointBody = (seq: number, headHash: string, keyId: string) => ({
      origin: a.store.origin,
      seq,
      headHash,
      time: new Date().toISOString(),
      keyId,
      reason: 'manual' as const,
    });
    // 1. Correctly signed, but attesting seq 2 with the hash of seq 1: a head hash that is not the chain.
    const wrongHead = checkpointBody(2, at(1), key.keyId);
    const first = a.store.append(
      CHECKPOINT,
      { ...wrongHead, signature: signBytes(key.privateKey, checkpointStatement(wrongHead)) },
      TRUST_AUTHOR,
    );
    const r1 = position().store.applyRemote(all(a));
    expect(r1.refused.map((r) => [r.event.seq, r.problem])).toEqual([[first.seq, 'checkpoint']]);
    expect(r1.refused[0]?.message).toMatch(/atteste le hash .* de l'événement seq 2, la chaîne reçue porte/);
    expect(r1.applied).toHaveLength(first.seq - 1);

    // 2. Signed by another position's key (correct head): not the origin's key in force.
    const b = position();
    entries(b, 'B', 1);
    const h = head(b);
    const foreign = { ...checkpointBody(h.seq, h.hash, stranger.keyId), origin: b.store.origin };
    b.store.append(
      CHECKPOINT,
      { ...foreign, signature: signBytes(stranger.privateKey, checkpointStatement(foreign)) },
      TRUST_AUTHOR,
    );
    const r2 = position().store.applyRemote(all(b));
    expect(r2.refused.map((r) => r.problem)).toEqual(['signature']);
    expect(r2.refused[0]?.message).toMatch(/n'est pas la clé en vigueur/);

    // 3. A second key registered as if it were the first (self-signed, replacing none): a key taken over.
    const c = position();
    const registration = {
      algorithm: 'Ed25519' as const,
      keyId: stranger.keyId,
      publicKey: stranger.publicKey,
      previousKeyId: null,
      registeredAt: new Date().toISOString(),
    };
    c.store.append(
      KEY_REGISTERED,
      { ...registration, signature: signBytes(stranger.privateKey, keyStatement(c.store.origin, registration)) },
      TRUST_AUTHOR,
    );
    const r3 = position().store.applyRemote(all(c));
    expect(r3.refused.map((r) => r.problem)).toEqual(['signature']);
    expect(r3.refused[0]?.message).toMatch(/remplace aucune clé, la clé en vigueur est/);

    // 4. A countersignature whose signature does not cover what it lists.
    const d = position();
    const dKey = d.trust.ensureKey();
    const item = { ...first.payload, checkpointId: first.id };
    const listed = { items: [item], time: new Date().toISOString(), keyId: dKey.keyId };
    const signedOther = { ...listed, items: [{ ...item, seq: 2, headHash: at(2) }] };
    d.store.append(
      COUNTERSIGNED,
      { ...listed, signature: signBytes(dKey.privateKey, countersignatureStatement(d.store.origin, signedOther)) },
      TRUST_AUTHOR,
    );
    const r4 = position().store.applyRemote(all(d));
    expect(r4.refused.map((r) => r.problem)).toEqual(['signature']);
    expect(r4.refused[0]?.message).toMatch(/signature invalide de la contre-signature/);
  });
});

describe('equivocation', () => {
  it('a position forked into two histories, shown to B and to C: both raise the alarm once they exchange countersignatures', async () => {
    const [a, fork] = forked();
    expect(fork.store.origin).toBe(a.store.origin);
    const [shownB, shownC] = [a, fork].map((p) => checkpointPayload.parse(ofType(p, CHECKPOINT).at(-1)?.payload));
    expect(shownC?.seq).toBe(shownB?.seq);
    expect(shownC?.headHash).not.toBe(shownB?.headHash);
    const atSeq = shownB?.seq;

    const b = position();
    const c = position();
    // Each history is consistent on its own: verified, applied, countersigned, no alarm yet.
    expect(pull(b, all(a)).refused).toEqual([]);
    expect(pull(c, all(fork)).refused).toEqual([]);
    await Promise.all([b.witness.idle(), c.witness.idle()]);
    expect(b.witness.equivocations()).toEqual([]);
    expect(c.witness.equivocations()).toEqual([]);
    expect(ofType(b, COUNTERSIGNED)).toHaveLength(1);

    // B and C exchange their own events (their keys, their countersignatures). Never refused: evidence.
    expect(pull(b, all(c)).refused).toEqual([]);
    expect(pull(c, all(b)).refused).toEqual([]);
    await Promise.all([b.witness.idle(), c.witness.idle()]);
    for (const [p, witness] of [
      [b, c],
      [c, b],
    ] as const) {
      const found = p.witness.equivocations();
      expect(found.length).toBeGreaterThan(0);
      expect(found.every((e) => e.subject === a.store.origin)).toBe(true);
      expect(found.some((e) => e.witness === witness.store.origin && e.other === null)).toBe(true);
      // What each witness quotes was signed by A itself: A is proven to have signed two histories.
      expect(found.every((e) => e.witnessProof === 'signed' && e.otherProof !== 'forged')).toBe(true);
      expect(equivocationAlarm(found)).toMatch(
        new RegExp(`^ÉQUIVOQUE : le poste ${a.store.origin} montre des historiques différents`),
      );
      expect(p.logged.some((l) => l.startsWith(`error ÉQUIVOQUE : le poste ${a.store.origin}`))).toBe(true);
      const report = verifyTrust(p.store.db);
      expect(report.ok).toBe(true);
      expect(report.equivocations.map((e) => [e.subject, e.seq])).toContainEqual([a.store.origin, atSeq]);
    }
    // A fresh witness finds it from the log alone (start-up scan), and so does `vigie verify`.
    b.witness.stop();
    b.store.close();
    const again = position(b.dir);
    expect(again.witness.equivocations().length).toBeGreaterThan(0);
    again.witness.stop();
    again.store.close();
    const cli = join(fileURLToPath(new URL('../../../', import.meta.url)), 'dist/electron/cli/main.js');
    if (!existsSync(cli)) {
      console.info(`witness.test : ${cli} absent (npm run build) — vigie verify non essayé`);
      return;
    }
    const verify = spawnSync(process.execPath, [cli, 'verify', '--data', b.dir], { encoding: 'utf8' });
    expect(verify.stdout).toMatch(
      new RegExp(`ÉQUIVOQUE : le poste ${a.store.origin} montre des historiques différents`),
    );
    expect(verify.stdout.trim().split('\n').at(-1)).toMatch(/^FAIL équivoque/);
    expect(verify.status).toBe(1);
  });

  it('a witness that quotes a checkpoint its subject never signed is named as the liar, not the subject', async () => {
    const a = position();
    entries(a, 'A', 2);
    const real = a.trust.checkpoint('manual');
    const liar = position();
    const r = position();
    expect(pull(r, all(a)).refused).toEqual([]);
    // The liar countersigns « A's » checkpoint at the same seq with another head hash and a made-up signature.
    const key = liar.trust.ensureKey();
    const fake = { ...real.payload, headHash: 'f'.repeat(64), checkpointId: real.id };
    const body = { items: [fake], time: new Date().toISOString(), keyId: key.keyId };
    liar.store.append(
      COUNTERSIGNED,
      { ...body, signature: signBytes(key.privateKey, countersignatureStatement(liar.store.origin, body)) },
      TRUST_AUTHOR,
    );
    // Its own signature is valid: applied (evidence), and what it quotes is checked against A's key.
    expect(pull(r, all(liar)).refused).toEqual([]);
    await r.witness.idle();
    const found = r.witness.equivocations();
    expect(found.map((e) => [e.witness, e.witnessProof])).toContainEqual([liar.store.origin, 'forged']);
    expect(equivocationAlarm(found)).toMatch(new RegExp(`^CONTRE-SIGNATURE FAUSSE : le témoin ${liar.store.origin}`));
    expect(equivocationAlarm(found)).not.toMatch(/ÉQUIVOQUE/);
    expect(r.logged.some((l) => l.includes(`le témoin ${liar.store.origin} cite au seq`))).toBe(true);
  });
});
