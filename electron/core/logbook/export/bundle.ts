/**
 * Writes an evidence bundle (bundle-format.ts). The caller has just appended an export checkpoint with its
 * Merkle tree head (trust/service.ts) and passes it; the PDF is laid out by the same code as every export,
 * bounded to the entries written before that checkpoint.
 */
import { createHash } from 'node:crypto';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { LogbookEntry, LogbookFilters } from '../../../contract/logbook.js';
import { canonicalJson } from '../../store/canonical.js';
import type { StoredEvent } from '../../store/types.js';
import type { CheckpointPayload, KeyRegisteredPayload } from '../../trust/events.js';
import type { PositionKey } from '../../trust/keys.js';
import { buildTree, type MerkleTree } from '../../trust/merkle.js';
import { BUNDLE_STATEMENT, signBytes } from '../../trust/signatures.js';
import { lastEntryBefore } from '../order.js';
import { entriesBatch, toEntries } from '../queries.js';
import { BUNDLE_FORMAT, type Bundle, type BundleEvent } from './bundle-format.js';
import { exportLogbook, type ExportEnv } from './run.js';

const sha256 = (data: Buffer | string): string => createHash('sha256').update(data).digest('hex');

const eventColumns = 'origin, seq, id, hlc, type, author, payload, prev_hash AS prevHash, hash';

/**
 * The statement the manifest's signature covers: the whole bundle in canonical form with the signature
 * itself left empty, so that no field (directorate, position, time-stamp, keys…) can change unnoticed.
 */
export const manifestStatement = (b: Bundle): Buffer =>
  Buffer.from(
    canonicalJson({ statement: BUNDLE_STATEMENT, bundle: { ...b, manifest: { ...b.manifest, signature: '' } } }),
    'utf8',
  );

export interface BundleRequest {
  file: string;
  filters?: LogbookFilters | undefined;
  checkpoint: StoredEvent<CheckpointPayload>;
  key: PositionKey;
  timestamp: { authority: string; response: string } | null;
}

export const writeBundle = async (
  env: ExportEnv,
  request: BundleRequest,
): Promise<{ file: string; entries: number; bytes: number }> => {
  const { db } = env;
  const cp = request.checkpoint;
  // Entries up to the checkpoint: the last entry_no whose event sorts before the checkpoint's (HLC order).
  const upTo = lastEntryBefore(db, cp.hlc);
  const scratch = mkdtempSync(join(dirname(request.file), '.vigie-bundle-'));
  let pdf: Buffer;
  try {
    const pdfFile = join(scratch, 'main-courante.pdf');
    await exportLogbook(env, { format: 'pdf', filters: request.filters, file: pdfFile, upTo });
    pdf = readFileSync(pdfFile);
  } finally {
    rmSync(scratch, { recursive: true, force: true });
  }
  const entries: LogbookEntry[] = [];
  for (let after = 0; ;) {
    const rows = entriesBatch(db, request.filters, after, upTo, 500);
    if (rows.length === 0) break;
    after = rows[rows.length - 1]?.entry_no ?? after;
    entries.push(...toEntries(db, rows));
  }
  const eventOf = db.prepare(`SELECT ${eventColumns} FROM events WHERE id = ?`);
  const events = entries.map((e) => {
    const row = eventOf.get(e.id) as BundleEvent | undefined;
    if (row === undefined) throw new Error(`événement ${e.id} introuvable`);
    return row;
  });
  // One tree per origin: the local one ends at the checkpoint, the others at their head now.
  const trees = new Map<string, { tree: MerkleTree; headHash: string }>();
  const treeOf = (origin: string): { tree: MerkleTree; headHash: string } => {
    let t = trees.get(origin);
    if (t === undefined) {
      const size =
        origin === cp.origin
          ? cp.payload.seq
          : (db.prepare('SELECT seq FROM heads WHERE origin = ?').pluck().get(origin) as number);
      const hashes = db
        .prepare('SELECT hash FROM events WHERE origin = ? AND seq <= ? ORDER BY seq')
        .pluck()
        .all(origin, size) as string[];
      t = { tree: buildTree(hashes.map((h) => Buffer.from(h, 'hex'))), headHash: hashes[hashes.length - 1] ?? '' };
      trees.set(origin, t);
    }
    return t;
  };
  treeOf(cp.origin);
  const bundleEntries = entries.map((entry, i) => {
    const event = events[i] as BundleEvent;
    return {
      entry: entry as unknown as Record<string, unknown>,
      event,
      proof: treeOf(event.origin).tree.proof(event.seq - 1),
    };
  });
  const treesOut = Object.fromEntries(
    [...trees].map(([origin, { tree, headHash }]) => [
      origin,
      { size: tree.size, root: tree.root, headHash, headProof: tree.proof(tree.size - 1) },
    ]),
  );
  const keys = (
    db
      .prepare("SELECT payload FROM events WHERE origin = ? AND type = 'trust.keyRegistered' AND seq < ? ORDER BY seq")
      .pluck()
      .all(cp.origin, cp.seq) as string[]
  ).map((p) => JSON.parse(p) as KeyRegisteredPayload);
  const checkpointEvent = eventOf.get(cp.id) as BundleEvent;
  const createdAt = new Date(env.now()).toISOString();
  const manifest = {
    pdfSha256: sha256(pdf),
    entriesSha256: sha256(canonicalJson(bundleEntries)),
    treesSha256: sha256(canonicalJson(treesOut)),
    keyId: request.key.keyId,
    signature: '',
  };
  const checkpoint = { event: checkpointEvent, payload: cp.payload };
  const bundle: Bundle = {
    format: BUNDLE_FORMAT,
    version: 1,
    createdAt,
    directorate: env.directorate,
    position: env.positionName,
    pdf: pdf.toString('base64'),
    checkpoint,
    keys,
    timestamp: request.timestamp,
    trees: treesOut,
    entries: bundleEntries,
    manifest,
  };
  manifest.signature = signBytes(request.key.privateKey, manifestStatement(bundle));
  const text = `${canonicalJson(bundle)}\n`;
  writeFileSync(request.file, text, { mode: 0o600 });
  chmodSync(request.file, 0o600);
  return { file: request.file, entries: entries.length, bytes: Buffer.byteLength(text) };
};
