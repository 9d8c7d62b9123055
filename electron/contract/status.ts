import { z } from 'zod';

/** State of each subsystem, as the status bar shows it. */
export type TelephonyState = 'disabled' | 'connecting' | 'registered' | 'lost';
export type NetworkState = 'local' | 'online' | 'offline';
export type DatabaseState = 'ok' | 'error';

export interface Status {
  version: string;
  dataDir: string;
  nodeId: string;
  positionName: string;
  /** ISO 8601 instant, and the same instant as wall time in Pacific/Noumea. */
  clock: { iso: string; zone: 'Pacific/Noumea'; local: string };
  telephony: { state: TelephonyState; detail: string };
  /** lagMs: replication's lag (ReplicationInfo.lagMs) when the position has a central server. */
  network: {
    state: NetworkState;
    detail: string;
    lagMs?: number | null;
    /** This position's events not yet on the central server (ReplicationInfo.backlog). */
    backlog?: number;
    /** Received events kept aside (ReplicationInfo.quarantined): shown as an alarm, never hidden in a tooltip. */
    quarantined?: number;
  };
  database: { state: DatabaseState; detail: string; events: number };
  /** Integrity across positions (trust module): present when a position showed different histories. */
  trust?: { state: 'alarm'; detail: string };
}

export const statusRequests = {
  'status.get': z.object({}).strict(),
};

export interface StatusResults {
  'status.get': Status;
}

export type StatusEvent = { type: 'status'; status: Status };
