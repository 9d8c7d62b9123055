/**
 * Overload guard of the SIP child: the offers the core has not yet acknowledged as durable are the
 * backlog of the process that owns the log. Above `max` of them, new INVITEs are refused (503 with
 * Retry-After, RFC 3261 §21.5.4) and the refusals are reported in one batch about once a second, so the
 * report itself cannot become the overload.
 */
import type { FromChild } from '../channel.js';

const REPORT_MS = 1_000;
const MAX_NUMBERS = 50;

/** How late this process's timers may run before a late loop counts as overload. */
export const MAX_LAG_MS = 250;
/**
 * Below this many calls in the child, a late loop never refuses a call. A burst of a few INVITEs, a GC pause
 * or another program taking the CPU for a moment makes the loop late too: refusing the 2nd and 3rd of three
 * calls arriving together for that lost emergency calls. Only a flood (many calls held at once, each one
 * making the loop later) is refused for lag.
 */
export const LAG_GUARD_MIN_CALLS = 32;

/** Whether a new INVITE is refused because this process's own event loop runs late (a flood). */
export const lateLoopRefuses = (lagMs: number, liveCalls: number): boolean =>
  lagMs > MAX_LAG_MS && liveCalls >= LAG_GUARD_MIN_CALLS;

export interface OverloadGuard {
  full(): boolean;
  offered(sid: string): void;
  /** The core acknowledged the offer (durable or refused) or the session ended. */
  settled(sid: string): void;
  refused(number: string): void;
  close(): void;
}

export const createOverloadGuard = (o: {
  max: number;
  post: (message: Extract<FromChild, { t: 'refused' }>) => void;
  now?: () => number;
}): OverloadGuard => {
  const now = o.now ?? Date.now;
  const pending = new Set<string>();
  let count = 0;
  let numbers: string[] = [];
  let from = 0;
  let timer: NodeJS.Timeout | undefined;
  const flush = (): void => {
    timer = undefined;
    if (count === 0) return;
    o.post({ t: 'refused', count, numbers, from, to: now() });
    count = 0;
    numbers = [];
  };
  return {
    full: () => pending.size >= o.max,
    offered: (sid) => void pending.add(sid),
    settled: (sid) => void pending.delete(sid),
    refused(number) {
      if (count === 0) from = now();
      count += 1;
      if (numbers.length < MAX_NUMBERS) numbers.push(number);
      timer ??= setTimeout(flush, REPORT_MS);
    },
    close() {
      if (timer !== undefined) clearTimeout(timer);
      flush();
    },
  };
};
