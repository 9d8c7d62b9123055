/**
 * What the screen is told of a burst of committed events: a replicated page of thousands of entries, a new
 * position pulling the room's history, a bulk import. Sent one frame each, they would queue more than the
 * browser host lets a page owe (host/server.ts MAX_BUFFERED_BYTES, 4 MiB: the page is then disconnected,
 * its audio with it) and cost a read each for rows no one looks at. A gate lets the first `max` of each
 * `windowMs` through, as a room writes them; past that, it lets nothing through and calls `trailing` once,
 * `trailingMs` after the first one held back, for the screen to reload what it shows.
 */
export interface BurstGate {
  /** Whether this event goes to the screen on its own (true) or is covered by the trailing call. */
  pass(): boolean;
  close(): void;
}

export interface BurstGateOptions {
  max: number;
  windowMs: number;
  trailingMs: number;
  trailing: () => void;
  now?: () => number;
}

export const createBurstGate = (options: BurstGateOptions): BurstGate => {
  const now = options.now ?? (() => performance.now());
  let windowStart = Number.NEGATIVE_INFINITY;
  let passed = 0;
  let timer: NodeJS.Timeout | undefined;
  return {
    pass() {
      const t = now();
      if (t - windowStart >= options.windowMs) {
        windowStart = t;
        passed = 0;
      }
      if (passed < options.max) {
        passed += 1;
        return true;
      }
      timer ??= setTimeout(() => {
        timer = undefined;
        options.trailing();
      }, options.trailingMs);
      // A process that is done (a CLI command) does not wait for the screen's reload.
      timer.unref();
      return false;
    },
    close() {
      clearTimeout(timer);
      timer = undefined;
    },
  };
};
