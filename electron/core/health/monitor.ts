/**
 * The health monitor: holds the state machine's current state (state.ts), turns what the probes and the
 * telephony events report into observations, and writes each transition as an event — the log, not this
 * object, is the record (docs/architecture.md, "Path of an event"). After a restart it starts again from
 * the state the log left (projection.ts `readState`).
 */
import type { HealthCheckKind } from '../../contract/health.js';
import type { Store } from '../store/types.js';
import { STORE_AUTHOR } from '../store/index.js';
import { HEALTH_EVENTS } from './events.js';
import { readCounts, readState } from './projection.js';
import { step, type HealthState, type Observation, type Transition } from './state.js';

export interface MonitorOptions {
  store: Pick<Store, 'db' | 'origin' | 'append'>;
  now: () => number;
  /** Events not yet sent elsewhere (replication, later): RECOVERING ends when it is 0. */
  backlog: () => number;
  /** After each transition (committed, or refused by the store: see `observe`). */
  onTransition: (transition: Transition) => void;
  log: (level: 'error', message: string) => void;
}

export interface Monitor {
  state(): HealthState;
  fault(check: string, kind: HealthCheckKind, label: string, detail: string, at?: number): void;
  clear(check: string, at?: number): void;
  /** RECOVERING → NOMINAL once nothing is queued; called after each clear and by the probe rounds. */
  checkDrained(): void;
}

export const createMonitor = (options: MonitorOptions): Monitor => {
  const { store, now } = options;
  let state: HealthState = readState(store.db, store.origin);

  const write = (transition: Transition, at: number): void => {
    const { to, added, cleared } = transition;
    if (to.phase === 'degraded') {
      store.append(HEALTH_EVENTS.degraded, { since: to.since, at, faults: to.faults, added, cleared }, STORE_AUTHOR);
    } else if (to.phase === 'recovering') {
      store.append(HEALTH_EVENTS.recovering, { since: to.since, at, cleared }, STORE_AUTHOR);
    } else if (transition.from.phase === 'recovering') {
      const { since, restoredAt } = transition.from;
      const counts = readCounts(store.db, store.origin);
      // The outage lasted from the first fault to the last one clearing; draining the backlog is after it.
      const durationMs = Math.max(0, restoredAt - since);
      store.append(
        HEALTH_EVENTS.nominal,
        { since, at, durationMs, entries: counts.entries, manualCalls: counts.manualCalls },
        STORE_AUTHOR,
      );
    }
  };

  const observe = (observation: Observation): void => {
    const transition = step(state, observation);
    if (transition === null) return;
    try {
      write(transition, observation.at);
    } catch (error) {
      // The fault may be the log itself (database not writable, disk full): the screen must still say so,
      // so the state moves anyway; the next transition that commits carries the whole fault list again.
      options.log('error', `transition ${transition.to.phase} non journalisée : ${String(error)}`);
    }
    state = transition.to;
    options.onTransition(transition);
  };

  const checkDrained = (): void => {
    if (state.phase === 'recovering' && options.backlog() === 0) observe({ kind: 'drained', at: now() });
  };

  return {
    state: () => state,
    fault(check, kind, label, detail, at = now()) {
      observe({ kind: 'fault', check, checkKind: kind, label, detail, at });
    },
    clear(check, at = now()) {
      observe({ kind: 'clear', check, at });
      checkDrained();
    },
    checkDrained,
  };
};
