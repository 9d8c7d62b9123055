/**
 * `vigie verify-export FILE`: checks an evidence bundle offline, with nothing but the file (no database,
 * no key file), and names each thing that fails. What it trusts is the key's fingerprint, printed on
 * every page of the PDF and known to the directorate (`--fingerprint` compares it). The RFC 3161 token is
 * checked with `openssl ts` when openssl is installed: its message imprint always, its signature and
 * certificate chain when `--tsa-ca` names the authority's certificate.
 */
import { createHash } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { eventHash } from '../../store/chain.js';
import { canonicalJson } from '../../store/canonical.js';
import { CHECKPOINT } from '../../trust/events.js';
import { verifyInclusion } from '../../trust/merkle.js';
import { checkpointStatement, formatFingerprint, keyIdOf, keyStatement, verifyBytes } from '../../trust/signatures.js';
import { bundleSchema, type Bundle, type BundleEvent } from './bundle-format.js';
import { manifestStatement } from './bundle.js';

export interface BundleReport {
  ok: boolean;
  failures: string[];
  entries: number;
  fingerprint: string | null;
  checkpoint: { origin: string; seq: number; time: string } | null;
  timestamp: 'absent' | 'imprint' | 'verified' | 'unchecked';
}

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

const eventIntact = (e: BundleEvent): boolean => eventHash(e.prevHash, { ...e, payloadJson: e.payload }) === e.hash;

const hasOpenssl = (): boolean => {
  try {
    execFileSync('openssl', ['version'], { stdio: 'pipe' });
    return true;
  } catch {
    return false;
  }
};

/** The token's message imprint must be SHA-256 of the checkpoint statement; with a CA, the token is verified too. */
const checkTimestamp = (b: Bundle, tsaCa: string | undefined, failures: string[]): BundleReport['timestamp'] => {
  if (b.timestamp === null) return 'absent';
  if (!hasOpenssl()) return 'unchecked';
  const digest = sha256(checkpointStatement(b.checkpoint.payload));
  const dir = mkdtempSync(join(tmpdir(), 'vigie-tsr-'));
  try {
    const file = join(dir, 'reply.tsr');
    writeFileSync(file, Buffer.from(b.timestamp.response, 'base64'));
    const text = execFileSync('openssl', ['ts', '-reply', '-in', file, '-text'], { encoding: 'utf8', stdio: 'pipe' });
    const imprint = /Message data:\s*([\s\S]*?)\n\S/.exec(text)?.[1] ?? '';
    const hex = [...imprint.matchAll(/^\s*[0-9a-f]{4} - ((?:[0-9a-f]{2}[ -]){0,15}[0-9a-f]{2})/gm)]
      .map((m) => (m[1] ?? '').replace(/[ -]/g, ''))
      .join('');
    if (hex !== digest) {
      failures.push('horodatage : le jeton RFC 3161 ne porte pas sur ce point de contrôle');
      return 'imprint';
    }
    if (tsaCa === undefined) return 'imprint';
    try {
      execFileSync('openssl', ['ts', '-verify', '-digest', digest, '-in', file, '-CAfile', tsaCa], { stdio: 'pipe' });
      return 'verified';
    } catch (error) {
      failures.push(
        `horodatage : jeton refusé par openssl ts -verify (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
      );
      return 'imprint';
    }
  } catch (error) {
    failures.push(
      `horodatage : jeton illisible (${error instanceof Error ? error.message.split('\n')[0] : String(error)})`,
    );
    return 'imprint';
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
};

export const verifyBundle = (file: string, options: { fingerprint?: string; tsaCa?: string } = {}): BundleReport => {
  const failures: string[] = [];
  const report = (
    b?: Bundle,
    timestamp: BundleReport['timestamp'] = 'absent',
    fingerprint: string | null = null,
  ): BundleReport => ({
    ok: failures.length === 0,
    failures,
    entries: b?.entries.length ?? 0,
    fingerprint,
    checkpoint:
      b === undefined
        ? null
        : { origin: b.checkpoint.payload.origin, seq: b.checkpoint.payload.seq, time: b.checkpoint.payload.time },
    timestamp,
  });
  const text = readFileSync(file, 'utf8');
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch {
    failures.push('fichier : JSON illisible');
    return report();
  }
  const parsed = bundleSchema.safeParse(raw);
  if (!parsed.success) {
    failures.push(
      `fichier : structure invalide (${parsed.error.issues
        .slice(0, 3)
        .map((i) => i.path.join('.'))
        .join(', ')})`,
    );
    return report();
  }
  const b = parsed.data;
  // One byte sequence per bundle: anything but the canonical form is a modified file.
  if (`${canonicalJson(raw)}\n` !== text)
    failures.push('fichier : modifié (il n’est plus sous sa forme canonique RFC 8785)');

  // The keys, oldest first: the first signed by itself, each next one by the one it replaces.
  let current: { keyId: string; publicKey: string } | undefined;
  for (const k of b.keys) {
    const signer = current === undefined ? k.publicKey : current.publicKey;
    if (
      keyIdOf(k.publicKey) !== k.keyId ||
      k.previousKeyId !== (current?.keyId ?? null) ||
      !verifyBytes(signer, keyStatement(b.checkpoint.payload.origin, k), k.signature)
    )
      failures.push(`clé ${k.keyId} : enregistrement non valide (signature ou filiation)`);
    current = { keyId: k.keyId, publicKey: k.publicKey };
  }
  const fingerprint = current === undefined ? null : formatFingerprint(current.publicKey);
  if (
    options.fingerprint !== undefined &&
    fingerprint?.replaceAll(' ', '') !== options.fingerprint.replaceAll(' ', '').toLowerCase()
  )
    failures.push(`clé : empreinte ${fingerprint ?? '?'} différente de celle attendue`);

  const cp = b.checkpoint.payload;
  const cpEvent = b.checkpoint.event;
  if (
    current === undefined ||
    cp.keyId !== current.keyId ||
    !verifyBytes(current.publicKey, checkpointStatement(cp), cp.signature)
  )
    failures.push('point de contrôle : signature invalide');
  if (
    !eventIntact(cpEvent) ||
    cpEvent.type !== CHECKPOINT ||
    cpEvent.payload !== canonicalJson(cp) ||
    cpEvent.origin !== cp.origin
  )
    failures.push('point de contrôle : son événement ne correspond pas');
  const local = b.trees[cp.origin];
  if (local === undefined || local.size !== cp.seq || local.root !== cp.merkleRoot || local.headHash !== cp.headHash)
    failures.push('arbre de Merkle : tête différente de celle du point de contrôle signé');
  for (const [origin, tree] of Object.entries(b.trees))
    if (!verifyInclusion(Buffer.from(tree.headHash, 'hex'), tree.size - 1, tree.size, tree.headProof, tree.root))
      failures.push(`arbre de Merkle de ${origin} : dernier événement hors de l'arbre`);

  const pdf = Buffer.from(b.pdf, 'base64');
  if (sha256(pdf) !== b.manifest.pdfSha256 || !pdf.subarray(0, 5).equals(Buffer.from('%PDF-')))
    failures.push('PDF : modifié (empreinte différente)');
  if (sha256(canonicalJson(b.entries)) !== b.manifest.entriesSha256)
    failures.push('inscriptions : modifiées (empreinte du manifeste différente)');
  if (sha256(canonicalJson(b.trees)) !== b.manifest.treesSha256)
    failures.push('arbres de Merkle : modifiés (empreinte du manifeste différente)');
  if (
    current === undefined ||
    b.manifest.keyId !== current.keyId ||
    !verifyBytes(current.publicKey, manifestStatement(b), b.manifest.signature)
  )
    failures.push('manifeste : signature invalide');

  for (const { entry, event, proof } of b.entries) {
    const name = `inscription ${typeof entry.reference === 'string' ? entry.reference : event.id}`;
    if (!eventIntact(event)) {
      failures.push(`${name} : événement altéré (hash recalculé différent)`);
      continue;
    }
    const tree = b.trees[event.origin];
    if (
      tree === undefined ||
      !verifyInclusion(Buffer.from(event.hash, 'hex'), event.seq - 1, tree.size, proof, tree.root)
    )
      failures.push(`${name} : preuve d'inclusion invalide`);
    const payload = JSON.parse(event.payload) as { text?: unknown; category?: unknown };
    if (
      entry.id !== event.id ||
      entry.eventHash !== event.hash ||
      entry.author !== event.author ||
      entry.origin !== event.origin ||
      (event.type === 'logbook.entry' && (entry.text !== payload.text || entry.category !== payload.category))
    )
      failures.push(`${name} : ne correspond pas à son événement`);
  }
  const timestamp = checkTimestamp(b, options.tsaCa, failures);
  return report(b, timestamp, fingerprint);
};
