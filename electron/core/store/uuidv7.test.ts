import { describe, expect, it } from 'vitest';
import { createUuidV7, UUID_V7_PATTERN, uuidV7Time } from './uuidv7.js';

describe('UUIDv7 (RFC 9562 §5.7)', () => {
  it('has version 7, variant 10, and the timestamp of its clock', () => {
    const next = createUuidV7(() => 1_764_417_439_123);
    const id = next();
    expect(id).toMatch(UUID_V7_PATTERN);
    expect(uuidV7Time(id)).toBe(1_764_417_439_123);
  });

  it('is strictly increasing with a frozen or backward clock, even past the 12-bit counter', () => {
    let t = 1_000_000;
    const next = createUuidV7(() => t);
    let previous = next();
    for (let i = 0; i < 10_000; i += 1) {
      if (i === 5000) t = 0; // clock jumps back
      const id = next();
      expect(id > previous).toBe(true);
      expect(id).toMatch(UUID_V7_PATTERN);
      previous = id;
    }
    expect(uuidV7Time(previous)).toBeGreaterThan(1_000_000);
  });

  it('gives every id its own random bits, across refills of the random pool', () => {
    const next = createUuidV7(() => 42);
    const tails = new Set<string>();
    for (let i = 0; i < 2000; i += 1) {
      const id = next();
      tails.add(id.slice(19));
    }
    // 62 random bits per id: 2000 ids sharing a tail would mean reused (or zeroed) pool bytes.
    expect(tails.size).toBe(2000);
    expect([...tails].some((tail) => tail.replace(/-/g, '').slice(1) === '0'.repeat(15))).toBe(false);
  });

  it('is unique across generators', () => {
    const a = createUuidV7(() => 42);
    const b = createUuidV7(() => 42);
    const ids = new Set<string>();
    for (let i = 0; i < 1000; i += 1) ids.add(a()).add(b());
    expect(ids.size).toBe(2000);
  });
});
