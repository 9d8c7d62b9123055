/**
 * The E-model of ITU-T G.107, simplified for G.711 on a console: every parameter at its G.107 default
 * except the delay and the packet loss, which come from getStats. With the defaults, Ro − Is − Id(0) is
 * 93.2 (the G.107 default rating), so
 *   R = 93.2 − Idte(T) − Idd(Ta) − Ie,eff(Ppl)
 * - Idte: talker echo with the default TELR = 65 dB (an echo-cancelled gateway), T = Ta;
 * - Idd: pure delay, zero up to 100 ms one-way;
 * - Ie,eff = Ie + (95 − Ie)·Ppl / (Ppl/BurstR + Bpl), Ie = 0 and Bpl = 25.1 for G.711 with packet loss
 *   concealment (ITU-T G.113 Appendix I), BurstR = 1 (random loss).
 * The change of the listener-echo term Idle with delay is left out: below 1 R point under 300 ms round trip.
 */

const R_DEFAULT = 93.2;
const RO = 94.77; // Ro with G.107's default noise values: Roe = −1.5 (No − 2), No = −61.18 dBm0p
const TELR = 65;
const BPL_G711_PLC = 25.1;

/** Talker echo impairment for a one-way delay of `t` ms (G.107 §7.4, default TELR). */
export const idte = (t: number): number => {
  if (t <= 0) return 0;
  const terv = TELR - 40 * Math.log10((1 + t / 10) / (1 + t / 150)) + 6 * Math.exp(-0.3 * t * t);
  const re = 80 + 2.5 * (terv - 14);
  const d = RO - re;
  return (d / 2 + Math.sqrt((d * d) / 4 + 100) - 1) * (1 - Math.exp(-t));
};

/** Impairment of a pure one-way delay of `ta` ms (G.107 §7.4). */
export const idd = (ta: number): number => {
  if (ta <= 100) return 0;
  const x = Math.log10(ta / 100) / Math.log10(2);
  return 25 * (Math.pow(1 + Math.pow(x, 6), 1 / 6) - 3 * Math.pow(1 + Math.pow(x / 3, 6), 1 / 6) + 2);
};

/** Effective equipment impairment of G.711 with PLC at `lossPct` % random packet loss. */
export const ieEff = (lossPct: number, bpl = BPL_G711_PLC, burstR = 1): number => {
  const ppl = Math.max(0, Math.min(100, lossPct));
  return (95 * ppl) / (ppl / burstR + bpl);
};

export const rating = (delayMs: number, lossPct: number): number =>
  R_DEFAULT - idte(delayMs) - idd(delayMs) - ieEff(lossPct);

/** R to the estimated mean opinion score (G.107 Annex B). */
export const mosFromR = (r: number): number => {
  if (r <= 0) return 1;
  if (r >= 100) return 4.5;
  return 1 + 0.035 * r + r * (r - 60) * (100 - r) * 7e-6;
};
