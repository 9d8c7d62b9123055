import { writeFileSync } from 'node:fs';

/**
 * A mono 16-bit PCM WAV of a tone, for Chromium's fake microphone (`--use-file-for-fake-audio-capture`,
 * which loops the file): continuous, or in bursts (`onMs` of tone, then silence up to `periodMs`) so that a
 * listener can time each onset. RIFF/WAVE header with one `fmt ` chunk (PCM, format 1) and one `data` chunk.
 */
export const toneWav = (o: {
  hz: number;
  seconds: number;
  amplitude?: number;
  sampleRate?: number;
  bursts?: { onMs: number; periodMs: number };
}): Buffer => {
  const rate = o.sampleRate ?? 48_000;
  const count = Math.round(o.seconds * rate);
  const data = Buffer.alloc(count * 2);
  const amplitude = (o.amplitude ?? 0.3) * 32767;
  for (let i = 0; i < count; i += 1) {
    const ms = (i * 1000) / rate;
    const on = o.bursts === undefined || ms % o.bursts.periodMs < o.bursts.onMs;
    const value = on ? Math.round(amplitude * Math.sin((2 * Math.PI * o.hz * i) / rate)) : 0;
    data.writeInt16LE(value, i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'latin1');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'latin1');
  header.write('fmt ', 12, 'latin1');
  header.writeUInt32LE(16, 16); // fmt chunk size
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28); // byte rate
  header.writeUInt16LE(2, 32); // block align
  header.writeUInt16LE(16, 34); // bits per sample
  header.write('data', 36, 'latin1');
  header.writeUInt32LE(data.length, 40);
  return Buffer.concat([header, data]);
};

export const writeToneWav = (path: string, o: Parameters<typeof toneWav>[0]): string => {
  writeFileSync(path, toneWav(o));
  return path;
};
