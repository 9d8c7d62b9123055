/**
 * The health state machine, a pure function (docs/architecture.md, "Modules": services and reactors feed
 * it, the log keeps its transitions): NOMINAL → DEGRADED(faults) → RECOVERING → NOMINAL. RECOVERING is
 * the time between the last fault clearing and the backlog (queued replication, later) being drained; a
 * new fault during it goes back to DEGRADED within the same outage, which keeps its start.
 */
import type { HealthCheckKind, HealthFault } from '../../contract/health.js';

export type HealthState =
  | { phase: 'nominal' }
  | { phase: 'degraded'; since: number; faults: readonly HealthFault[] }
  | { phase: 'recovering'; since: number; restoredAt: number };

export type Observation =
  | { kind: 'fault'; check: string; checkKind: HealthCheckKind; label: string; detail: string; at: number }
  | { kind: 'clear'; check: string; at: number }
  /** Nothing left to send (replication backlog empty): RECOVERING may end. */
  | { kind: 'drained'; at: number };

/** A state change, with what it added or removed: each one is written to the log as an event. */
export interface Transition {
  from: HealthState;
  to: HealthState;
  added: readonly HealthFault[];
  cleared: readonly HealthFault[];
}

export const NOMINAL: HealthState = { phase: 'nominal' };

const faultsOf = (state: HealthState): readonly HealthFault[] => (state.phase === 'degraded' ? state.faults : []);

/**
 * The next state after `observation`, or null when nothing changes. A fault already known keeps its first
 * time and detail (a probe failing again is not news); a clear of an unknown check is ignored.
 */
export const step = (state: HealthState, observation: Observation): Transition | null => {
  const faults = faultsOf(state);
  switch (observation.kind) {
    case 'fault': {
      if (faults.some((f) => f.check === observation.check)) return null;
      const fault: HealthFault = {
        check: observation.check,
        kind: observation.checkKind,
        label: observation.label,
        detail: observation.detail,
        since: observation.at,
      };
      const since = state.phase === 'nominal' ? observation.at : state.since;
      return { from: state, to: { phase: 'degraded', since, faults: [...faults, fault] }, added: [fault], cleared: [] };
    }
    case 'clear': {
      if (state.phase !== 'degraded') return null;
      const cleared = faults.filter((f) => f.check === observation.check);
      if (cleared.length === 0) return null;
      const rest = faults.filter((f) => f.check !== observation.check);
      const to: HealthState =
        rest.length > 0
          ? { phase: 'degraded', since: state.since, faults: rest }
          : { phase: 'recovering', since: state.since, restoredAt: observation.at };
      return { from: state, to, added: [], cleared };
    }
    case 'drained':
      if (state.phase !== 'recovering') return null;
      return { from: state, to: NOMINAL, added: [], cleared: [] };
  }
};

/** Applies observations in order (tests, and a replay of the probes' results). */
export const run = (state: HealthState, observations: readonly Observation[]): HealthState =>
  observations.reduce((current, observation) => step(current, observation)?.to ?? current, state);
