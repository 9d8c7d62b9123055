import { describe, expect, it } from 'vitest';
import { nameSkeletons } from './names.js';

const same = (a: string, b: string): boolean => {
  const [x, y] = [nameSkeletons(a), nameSkeletons(b)];
  return x.folded === y.folded || x.exact === y.exact;
};

describe('roster names: confusable skeleton (UTS #39 §4)', () => {
  it('makes look-alikes collide', () => {
    // Cyrillic С (U+0421), a trailing dot, case and spacing, an accent, Latin I for l, digit 0 for O.
    for (const alike of ['Marie \u0421hef', 'Marie Chef.', 'marie   chef', 'MARIE CHEF', 'Marie Chéf', 'Marie-Chef'])
      expect(same(alike, 'Marie Chef'), alike).toBe(true);
    expect(same('Paul', 'PauI')).toBe(true);
    expect(same('Léo', 'Le0')).toBe(true);
  });

  it('keeps different people apart', () => {
    expect(same('Marie Chef', 'Marie Chen')).toBe(false);
    expect(same('Jean Dupont', 'Jeanne Dupont')).toBe(false);
    expect(same('Paul', 'Paula')).toBe(false);
  });
});
