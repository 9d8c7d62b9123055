/**
 * G.711 (ITU-T G.711) µ-law and A-law for the lab's test callers: 8 kHz, one byte per sample, 160 samples
 * per 20 ms RTP packet (RFC 3551 section 4.5.14). Written from the companding definitions, segment by segment.
 */

export type G711 = 'PCMU' | 'PCMA';

/** RTP/AVP static payload types (RFC 3551 table 4). */
export const payloadTypeOf = (codec: G711): number => (codec === 'PCMU' ? 0 : 8);

const BIAS = 0x84;
const CLIP = 32635;

export const linearToUlaw = (sample: number): number => {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample)));
  const sign = s < 0 ? 0x80 : 0;
  if (s < 0) s = -s;
  s = Math.min(s, CLIP) + BIAS;
  let exponent = 7;
  for (let mask = 0x4000; (s & mask) === 0 && exponent > 0; mask >>= 1) exponent -= 1;
  const mantissa = (s >> (exponent + 3)) & 0x0f;
  return ~(sign | (exponent << 4) | mantissa) & 0xff;
};

export const ulawToLinear = (byte: number): number => {
  const u = ~byte & 0xff;
  const exponent = (u >> 4) & 0x07;
  const magnitude = ((((u & 0x0f) << 3) + BIAS) << exponent) - BIAS;
  return (u & 0x80) !== 0 ? -magnitude : magnitude;
};

export const linearToAlaw = (sample: number): number => {
  let s = Math.max(-32768, Math.min(32767, Math.round(sample))) >> 3; // 13-bit
  const sign = s >= 0 ? 0x80 : 0;
  if (s < 0) s = -s - 1;
  let segment = 0;
  for (let limit = 0x1f; s > limit && segment < 8; limit = (limit << 1) | 1) segment += 1;
  let byte: number;
  if (segment >= 8) byte = 0x7f;
  else if (segment < 2) byte = (segment << 4) | ((s >> 1) & 0x0f);
  else byte = (segment << 4) | ((s >> segment) & 0x0f);
  return (byte | sign) ^ 0x55;
};

export const alawToLinear = (byte: number): number => {
  const a = byte ^ 0x55;
  const segment = (a >> 4) & 0x07;
  let magnitude = ((a & 0x0f) << 4) + 8;
  if (segment >= 1) magnitude += 0x100;
  if (segment > 1) magnitude <<= segment - 1;
  return (a & 0x80) !== 0 ? magnitude : -magnitude;
};

export const encode = (codec: G711, samples: Int16Array): Buffer => {
  const out = Buffer.alloc(samples.length);
  const f = codec === 'PCMU' ? linearToUlaw : linearToAlaw;
  for (let i = 0; i < samples.length; i += 1) out[i] = f(samples[i] ?? 0);
  return out;
};

export const decode = (codec: G711, payload: Buffer): Int16Array => {
  const out = new Int16Array(payload.length);
  const f = codec === 'PCMU' ? ulawToLinear : alawToLinear;
  for (let i = 0; i < payload.length; i += 1) out[i] = f(payload[i] ?? 0);
  return out;
};

/** Root mean square of the samples, as a fraction of full scale (0 = silence, ~0.707 = a full-scale sine). */
export const rms = (samples: Int16Array): number => {
  if (samples.length === 0) return 0;
  let sum = 0;
  for (const s of samples) sum += s * s;
  return Math.sqrt(sum / samples.length) / 32768;
};

/** A continuous sine tone cut in 20 ms frames of 160 samples at 8 kHz; the phase runs on across frames. */
export const toneFrames = (hz: number, amplitude = 0.3): (() => Int16Array) => {
  let n = 0;
  return () => {
    const frame = new Int16Array(160);
    for (let i = 0; i < frame.length; i += 1, n += 1) {
      frame[i] = Math.round(amplitude * 32767 * Math.sin((2 * Math.PI * hz * n) / 8000));
    }
    return frame;
  };
};

/**
 * Goertzel power of one frequency in a frame, normalised so that a full-scale sine at `hz` gives ~0.5 and
 * other frequencies ~0: how the tests and benchmarks tell the known tone from other sound.
 */
export const tonePower = (samples: Int16Array, hz: number, sampleRate = 8000): number => {
  const k = 2 * Math.cos((2 * Math.PI * hz) / sampleRate);
  let s1 = 0;
  let s2 = 0;
  for (const x of samples) {
    const s0 = x / 32768 + k * s1 - s2;
    s2 = s1;
    s1 = s0;
  }
  const power = s1 * s1 + s2 * s2 - k * s1 * s2;
  return (2 * power) / (samples.length * samples.length);
};
