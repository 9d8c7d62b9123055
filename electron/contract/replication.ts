import { z } from 'zod';

/** Where this position stands with the central server (docs/architecture.md, "Replication"). */
export interface ReplicationInfo {
  /** false: no `central` in vigie.json, the position works alone. */
  configured: boolean;
  state: 'local' | 'online' | 'offline';
  /** host:port of the server in use (never the URL: it may hold a password). */
  server: string | null;
  /** This position's events not yet acknowledged by the server. */
  backlog: number;
  /** Last time the server was drained (nothing more to read), ISO 8601. */
  lastSyncAt: string | null;
  /** Events received from other positions and applied since start. */
  applied: number;
  /**
   * Replication lag in ms (docs/architecture.md, "Replication"): the server's time now minus the receive
   * time of the first other position's event this one has not applied yet; 0 when caught up, null when
   * not known (no central server, or not connected).
   */
  lagMs: number | null;
  /** Received events kept aside because they do not chain (never applied). */
  quarantined: number;
  /** Last connection or exchange error, in French. */
  lastError: string | null;
}

export const replicationRequests = {
  'replication.status': z.object({}).strict(),
};

export interface ReplicationResults {
  'replication.status': ReplicationInfo;
}
