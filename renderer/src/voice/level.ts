/**
 * The live level of a microphone track: an AnalyserNode on a MediaStreamSource (Web Audio), read as the
 * RMS of the last frame of samples, 0–1. One AudioContext per meter, closed with it.
 */
export interface LevelMeter {
  read(): number;
  close(): void;
}

export const meterFor = (track: MediaStreamTrack): LevelMeter => {
  const context = new AudioContext();
  const source = context.createMediaStreamSource(new MediaStream([track]));
  const analyser = context.createAnalyser();
  analyser.fftSize = 2048;
  source.connect(analyser);
  // A context created outside a gesture may start suspended; resuming needs no gesture for capture.
  void context.resume().catch(() => undefined);
  const samples = new Float32Array(analyser.fftSize);
  return {
    read() {
      analyser.getFloatTimeDomainData(samples);
      let sum = 0;
      for (const v of samples) sum += v * v;
      return Math.sqrt(sum / samples.length);
    },
    close() {
      source.disconnect();
      void context.close().catch(() => undefined);
    },
  };
};

/** dBFS for the meter's scale: −60 dB (and below) is empty, 0 dB full. */
export const meterFraction = (rms: number): number =>
  rms <= 0 ? 0 : Math.max(0, Math.min(1, (20 * Math.log10(rms) + 60) / 60));
