/**
 * Durations as people read them, the same in the core's texts (main courante, drill reports) and on screen:
 * pure string functions, so the contract can carry them to both sides.
 */

/** "00:42:10"; hours keep counting past 24 (a cyclone can cut the network for days). */
export const formatDuration = (ms: number): string => {
  const total = Math.max(0, Math.round(ms / 1000));
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(Math.floor(total / 3600))}:${pad(Math.floor((total % 3600) / 60))}:${pad(total % 60)}`;
};

/** A drill's durations are seconds to minutes: tenths of a second under a minute, hh:mm:ss above. */
export const formatSinceT0 = (ms: number): string =>
  ms < 60_000 ? `T0 + ${(ms / 1000).toFixed(1).replace('.', ',')} s` : `T0 + ${formatDuration(ms)}`;
