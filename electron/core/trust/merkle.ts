/**
 * Merkle tree over an origin's events, as RFC 9162 §2.1 (Certificate Transparency v2) defines it: leaf hash
 * = SHA-256(0x00 ‖ leaf), interior node = SHA-256(0x01 ‖ left ‖ right), the split at the largest power of
 * two below n (§2.1.1). A leaf is the 32 bytes of an event's chain hash (store/chain.ts), which covers the
 * event's whole content. The tree is built bottom-up, carrying an unpaired last node up unchanged, which
 * gives the same head and the same audit paths as the RFC's recursive definition (merkle.test.ts checks it).
 */
import { createHash } from 'node:crypto';

const sha256 = (...parts: Buffer[]): Buffer => {
  const h = createHash('sha256');
  for (const p of parts) h.update(p);
  return h.digest();
};
const LEAF = Buffer.from([0x00]);
const NODE = Buffer.from([0x01]);

export const leafHash = (leaf: Buffer): Buffer => sha256(LEAF, leaf);
export const nodeHash = (left: Buffer, right: Buffer): Buffer => sha256(NODE, left, right);
/** MTH of the empty list (§2.1.1): SHA-256 of the empty string. */
export const EMPTY_ROOT = sha256().toString('hex');

export interface MerkleTree {
  size: number;
  root: string;
  /** Audit path of leaf `index` (0-based), leaf to root, hex (§2.1.3.1). */
  proof(index: number): string[];
}

/** Builds every level once: O(n) hashes, then each proof is O(log n). */
export const buildTree = (leaves: readonly Buffer[]): MerkleTree => {
  const levels: Buffer[][] = [leaves.map(leafHash)];
  for (let level = levels[0] ?? []; level.length > 1;) {
    const up: Buffer[] = [];
    for (let i = 0; i < level.length; i += 2) {
      const left = level[i];
      const right = level[i + 1];
      if (left === undefined) break;
      up.push(right === undefined ? left : nodeHash(left, right));
    }
    levels.push(up);
    level = up;
  }
  const top = levels[levels.length - 1]?.[0];
  return {
    size: leaves.length,
    root: top === undefined ? EMPTY_ROOT : top.toString('hex'),
    proof(index) {
      if (!Number.isInteger(index) || index < 0 || index >= leaves.length)
        throw new RangeError(`feuille ${index} hors de l'arbre (${leaves.length} feuilles)`);
      const path: string[] = [];
      let i = index;
      for (const level of levels.slice(0, -1)) {
        const sibling = level[i ^ 1];
        // No sibling: this node is carried up unchanged, and the RFC's path has no element here.
        if (sibling !== undefined) path.push(sibling.toString('hex'));
        i >>= 1;
      }
      return path;
    },
  };
};

/** RFC 9162 §2.1.3.2: verifies an inclusion proof of `leaf` at `index` in a tree of `size` with head `root`. */
export const verifyInclusion = (
  leaf: Buffer,
  index: number,
  size: number,
  path: readonly string[],
  root: string,
): boolean => {
  if (!Number.isInteger(index) || !Number.isInteger(size) || index < 0 || index >= size) return false;
  let fn = index;
  let sn = size - 1;
  let r = leafHash(leaf);
  for (const hex of path) {
    if (!/^[0-9a-f]{64}$/.test(hex)) return false;
    const p = Buffer.from(hex, 'hex');
    if (sn === 0) return false;
    if (fn % 2 === 1 || fn === sn) {
      r = nodeHash(p, r);
      if (fn % 2 === 0) {
        while (fn % 2 === 0 && fn !== 0) {
          fn = Math.floor(fn / 2);
          sn = Math.floor(sn / 2);
        }
      }
    } else {
      r = nodeHash(r, p);
    }
    fn = Math.floor(fn / 2);
    sn = Math.floor(sn / 2);
  }
  return sn === 0 && r.toString('hex') === root;
};
