/**
 * Reactors run after an event has committed (docs/architecture.md, "Path of an event"): never inside the
 * append transaction, in commit order, one event at a time. What a reactor appends is itself committed
 * first and then reacted to, so a chain of reactions keeps the log's order. A large batch (a replication
 * page of 5 000 entries, each one sent to the screen) is worked in slices of SLICE_MS, with the event loop
 * let through between them: the screen's commands and the telephony child's messages do not wait for it.
 */
import type { Store, StoredEvent } from '../store/types.js';
import type { LogLevel, Reactor } from './module.js';

/** Longest run of reactions before the event loop is let through (one frame at 60 Hz). */
export const SLICE_MS = 16;

const yieldToLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

export interface ReactorRunner {
  /** Resolves once every event committed so far has been through its reactors (tests, close). */
  idle(): Promise<void>;
  stop(): void;
}

export const startReactors = (
  store: Pick<Store, 'onAppend'>,
  reactors: readonly { module: string; reactor: Reactor }[],
  log: (level: LogLevel, message: string) => void,
): ReactorRunner => {
  const byType = new Map<string, { module: string; reactor: Reactor }[]>();
  for (const entry of reactors) {
    for (const type of entry.reactor.types) byType.set(type, [...(byType.get(type) ?? []), entry]);
  }
  const queue: StoredEvent[] = [];
  let draining: Promise<void> | null = null;
  let stopped = false;

  const drain = async (): Promise<void> => {
    // Reactors start after the append that woke us has returned to its caller.
    await Promise.resolve();
    let sliceStart = performance.now();
    for (let event = queue.shift(); event !== undefined && !stopped; event = queue.shift()) {
      if (performance.now() - sliceStart > SLICE_MS) {
        await yieldToLoop();
        sliceStart = performance.now();
      }
      for (const { module, reactor } of byType.get(event.type) ?? []) {
        try {
          await reactor.react(event);
        } catch (error) {
          log('error', `réaction ${module}/${reactor.name} à ${event.type} en échec : ${String(error)}`);
        }
      }
    }
    draining = null;
  };

  const off =
    byType.size === 0
      ? () => undefined
      : store.onAppend((event) => {
          if (stopped || !byType.has(event.type)) return;
          queue.push(event);
          draining ??= drain();
        });

  return {
    idle: async () => {
      while (draining !== null) await draining;
    },
    stop() {
      stopped = true;
      off();
      queue.length = 0;
    },
  };
};
