import { createHash, randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { buildTree, EMPTY_ROOT, leafHash, nodeHash, verifyInclusion } from './merkle.js';

/** RFC 9162 §2.1.1 and §2.1.3.1 written literally (recursive), to check the bottom-up tree against. */
const largestPow2Below = (n: number): number => {
  let k = 1;
  while (k * 2 < n) k *= 2;
  return k;
};
const mth = (d: Buffer[]): Buffer => {
  if (d.length === 0) return createHash('sha256').digest();
  if (d.length === 1) return leafHash(d[0] ?? Buffer.alloc(0));
  const k = largestPow2Below(d.length);
  return nodeHash(mth(d.slice(0, k)), mth(d.slice(k)));
};
const path = (m: number, d: Buffer[]): Buffer[] => {
  if (d.length <= 1) return [];
  const k = largestPow2Below(d.length);
  return m < k ? [...path(m, d.slice(0, k)), mth(d.slice(k))] : [...path(m - k, d.slice(k)), mth(d.slice(0, k))];
};

describe('Merkle tree (RFC 9162 §2.1)', () => {
  it('gives the RFC head and audit paths for every size up to 40 and every leaf, and the proofs verify', () => {
    expect(buildTree([]).root).toBe(EMPTY_ROOT);
    for (let n = 1; n <= 40; n += 1) {
      const leaves = Array.from({ length: n }, () => randomBytes(32));
      const tree = buildTree(leaves);
      expect(tree.root, `n=${n}`).toBe(mth(leaves).toString('hex'));
      for (let m = 0; m < n; m += 1) {
        const proof = tree.proof(m);
        expect(proof, `n=${n} m=${m}`).toEqual(path(m, leaves).map((b) => b.toString('hex')));
        expect(verifyInclusion(leaves[m] ?? Buffer.alloc(0), m, n, proof, tree.root)).toBe(true);
      }
    }
  });

  it('refuses a proof for another leaf, index, size, root, or with one node changed', () => {
    const leaves = Array.from({ length: 13 }, () => randomBytes(32));
    const tree = buildTree(leaves);
    const leaf = leaves[5] ?? Buffer.alloc(0);
    const proof = tree.proof(5);
    expect(verifyInclusion(leaf, 5, 13, proof, tree.root)).toBe(true);
    expect(verifyInclusion(leaves[6] ?? Buffer.alloc(0), 5, 13, proof, tree.root)).toBe(false);
    expect(verifyInclusion(leaf, 4, 13, proof, tree.root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 6, proof, tree.root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 13, proof, EMPTY_ROOT)).toBe(false);
    const bad = [...proof];
    bad[1] = (bad[1] ?? '').replace(/^./, (c) => (c === '0' ? '1' : '0'));
    expect(verifyInclusion(leaf, 5, 13, bad, tree.root)).toBe(false);
    expect(verifyInclusion(leaf, 5, 13, proof.slice(1), tree.root)).toBe(false);
  });
});
