// Writes the console's two tones as 16-bit mono PCM WAV files next to this script:
//   ring.wav — the French ringing cadence: 440 Hz, 1.5 s on, 3.5 s off (one 5 s cycle, played in a loop);
//   ring-busy.wav — the discreet tone heard in the headset while busy: two 0.2 s beeps at 440 Hz, 4 s cycle.
// Run: node resources/ring-tones.mjs (the files are committed; run again only to change the tones).
import { writeFileSync } from 'node:fs';

const RATE = 16_000;
const RAMP_S = 0.01; // 10 ms fade in and out: a tone cut square clicks

const wav = (samples) => {
  const data = Buffer.alloc(samples.length * 2);
  samples.forEach((v, i) => data.writeInt16LE(Math.round(Math.max(-1, Math.min(1, v)) * 32767), i * 2));
  const head = Buffer.alloc(44);
  head.write('RIFF', 0);
  head.writeUInt32LE(36 + data.length, 4);
  head.write('WAVE', 8);
  head.write('fmt ', 12);
  head.writeUInt32LE(16, 16);
  head.writeUInt16LE(1, 20); // PCM
  head.writeUInt16LE(1, 22); // mono
  head.writeUInt32LE(RATE, 24);
  head.writeUInt32LE(RATE * 2, 28);
  head.writeUInt16LE(2, 32);
  head.writeUInt16LE(16, 34);
  head.write('data', 36);
  head.writeUInt32LE(data.length, 40);
  return Buffer.concat([head, data]);
};

/** bursts: [start s, length s]; the rest of the cycle is silence. */
const tone = (cycleS, bursts, amplitude, hz = 440) => {
  const out = new Float64Array(Math.round(cycleS * RATE));
  for (const [start, length] of bursts) {
    const from = Math.round(start * RATE);
    const n = Math.round(length * RATE);
    for (let i = 0; i < n; i++) {
      const t = i / RATE;
      const envelope = Math.min(1, t / RAMP_S, (length - t) / RAMP_S);
      out[from + i] = amplitude * envelope * Math.sin(2 * Math.PI * hz * t);
    }
  }
  return out;
};

const here = new URL('.', import.meta.url);
writeFileSync(new URL('ring.wav', here), wav(tone(5, [[0, 1.5]], 0.8)));
writeFileSync(
  new URL('ring-busy.wav', here),
  wav(
    tone(
      4,
      [
        [0, 0.2],
        [0.4, 0.2],
      ],
      0.25,
    ),
  ),
);
