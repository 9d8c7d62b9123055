/**
 * Reactors run after an event has committed (docs/architecture.md, "Path of an event"): never inside the
 * append transaction, in commit order, one event at a time. What a reactor appends is itself committed
 * first and then reacted to, so a chain of reactions keeps the log's order.
 */
import type { Store, StoredEvent } from '../store/types.js';
import type { LogLevel, Reactor } from './module.js';

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
    for (let event = queue.shift(); event !== undefined && !stopped; event = queue.shift()) {
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
