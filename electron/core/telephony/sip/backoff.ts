/**
 * Reconnection delay for attempt `n` (0-based): exponential from initialMs, capped at maxMs, with "equal
 * jitter" (half fixed, half random) so that positions cut off together do not reconnect in lockstep
 * (AWS Architecture Blog, "Exponential Backoff And Jitter", 2015). Never above maxMs, never below half
 * the exponential step.
 */
export const backoffDelay = (
  attempt: number,
  initialMs: number,
  maxMs: number,
  random: () => number = Math.random,
): number => {
  const exponent = Math.min(Math.max(0, attempt), 30);
  const step = Math.min(maxMs, initialMs * 2 ** exponent);
  return Math.round(step / 2 + random() * (step / 2));
};
