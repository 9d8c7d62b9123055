import { describe, expect, it } from 'vitest';
import { idd, idte, ieEff, mosFromR, rating } from './emodel.js';

const near = (value: number, expected: number, tolerance: number) =>
  expect(Math.abs(value - expected)).toBeLessThanOrEqual(tolerance);

describe('E-model (ITU-T G.107) for G.711', () => {
  it('gives the G.107 default rating R = 93.2, MOS 4.41, with no delay and no loss', () => {
    expect(rating(0, 0)).toBeCloseTo(93.2, 5);
    near(mosFromR(93.2), 4.41, 0.005);
  });

  it('maps R to MOS as G.107 Annex B does at the G.109 category bounds', () => {
    // G.109 Table 1: R 90, 80, 70, 60, 50 ↔ MOS 4.34, 4.03, 3.60, 3.10, 2.58.
    near(mosFromR(90), 4.34, 0.005);
    near(mosFromR(80), 4.03, 0.01);
    near(mosFromR(70), 3.6, 0.005);
    near(mosFromR(60), 3.1, 0.005);
    near(mosFromR(50), 2.58, 0.005);
    expect(mosFromR(-5)).toBe(1);
    expect(mosFromR(120)).toBe(4.5);
  });

  it('has no pure-delay impairment up to 100 ms, then the G.107 curve', () => {
    expect(idd(50)).toBe(0);
    expect(idd(100)).toBe(0);
    // X = 1 at 200 ms: 25·(2^(1/6) − 3·(1 + 3^−6)^(1/6) + 2).
    near(idd(200), 3.05, 0.01);
    near(idd(400), 24.1, 0.1);
  });

  it('keeps R near 90 at the 150 ms of ITU-T G.114 with the default echo loss', () => {
    near(idte(150), 2.81, 0.02);
    near(rating(150, 0), 90.2, 0.1);
    expect(rating(400, 0)).toBeLessThan(70);
  });

  it('charges G.711 with PLC Bpl = 25.1 for random loss', () => {
    expect(ieEff(0)).toBe(0);
    near(ieEff(1), 3.64, 0.01); // 95·1/(1 + 25.1)
    near(ieEff(5), 15.78, 0.01); // 95·5/(5 + 25.1)
    near(rating(0, 2), 86.19, 0.01);
    expect(rating(0, 10)).toBeLessThan(rating(0, 5));
  });
});
