/**
 * The probes as a service: a round every `probeIntervalMs` (the next one is scheduled once the previous
 * has finished, so a slow disk never piles rounds up). A probe reports a fault after
 * `failuresBeforeFault` failed rounds in a row, and its clear at the first success.
 */
import type { HealthCheckKind } from '../../contract/health.js';
import type { Store } from '../store/types.js';
import type { HealthConfig } from './config.js';
import type { Monitor } from './monitor.js';
import { probeDatabase, probeDisk, probeTcp, type ProbeResult } from './probes.js';

export interface Probe {
  check: string;
  kind: HealthCheckKind;
  label: string;
  run(): Promise<ProbeResult>;
}

export const hostLabel = (host: { name: string; host: string; port: number }): string =>
  `${host.name} (${host.host}:${host.port})`;

/** What the health module reads of replication (its port), when the position has a central server. */
export interface CentralLink {
  info(): {
    configured: boolean;
    state: 'local' | 'online' | 'offline';
    server: string | null;
    lastError: string | null;
    backlog: number;
    lagMs: number | null;
  };
}

/**
 * The central PostgreSQL as replication last found it (it retries with backoff by itself). The link is looked
 * up at each round: the replication module is set up after this one, and a position may have no central server.
 * Reachable is not enough: a lag above `maxLagMs` (replication's ReplicationInfo.lagMs, docs/architecture.md
 * "Replication") means the other positions' entries no longer reach this one in time, which is a fault too;
 * the probe loop's consecutive-failure rule keeps a drain after an outage (seconds) from raising it.
 */
export const centralProbe = (central: () => CentralLink | undefined, maxLagMs: number): Probe => ({
  check: 'central',
  kind: 'central',
  label: 'Base centrale',
  run: async () => {
    const info = central()?.info();
    if (info === undefined || !info.configured) return { ok: true };
    const server = info.server ?? 'serveur central';
    if (info.state === 'offline')
      return { ok: false, detail: `${server} : ${info.lastError ?? 'injoignable'} — à envoyer : ${info.backlog}` };
    if (info.lagMs !== null && info.lagMs > maxLagMs)
      return {
        ok: false,
        detail: `${server} : retard de réplication ${Math.round(info.lagMs / 1000)} s (seuil ${Math.round(maxLagMs / 1000)} s)`,
      };
    return { ok: true };
  },
});

export const probesFor = (
  config: HealthConfig,
  store: Store,
  dataDir: string,
  central: () => CentralLink | undefined = () => undefined,
): Probe[] => [
  centralProbe(central, config.maxCentralLagMs),
  { check: 'database', kind: 'database', label: 'Base locale', run: () => probeDatabase(store) },
  {
    check: 'disk',
    kind: 'disk',
    label: 'Espace disque',
    run: () => probeDisk(dataDir, config.minFreeDiskMiB),
  },
  ...config.hosts.map((host): Probe => ({
    check: `host:${host.name}`,
    kind: 'host',
    label: hostLabel(host),
    run: () => probeTcp(host.host, host.port, config.connectTimeoutMs),
  })),
];

export interface ProbeLoop {
  start(): void;
  stop(): Promise<void>;
  /** One round now (tests). */
  round(): Promise<void>;
}

export const createProbeLoop = (
  probes: readonly Probe[],
  monitor: Monitor,
  config: Pick<HealthConfig, 'probeIntervalMs' | 'failuresBeforeFault'>,
  log: (level: 'warn', message: string) => void,
): ProbeLoop => {
  const failures = new Map<string, number>();
  let timer: NodeJS.Timeout | null = null;
  let running: Promise<void> | null = null;
  // Set by stop(): a round that finishes after it writes nothing (the store may be closing).
  let halted = false;

  const round = async (): Promise<void> => {
    const results = await Promise.all(probes.map(async (probe) => ({ probe, result: await probe.run() })));
    for (const { probe, result } of results) {
      if (halted) return;
      if (result.ok) {
        failures.delete(probe.check);
        monitor.clear(probe.check);
        continue;
      }
      const count = (failures.get(probe.check) ?? 0) + 1;
      failures.set(probe.check, count);
      if (count === config.failuresBeforeFault) log('warn', `sonde ${probe.check} en échec : ${result.detail}`);
      if (count >= config.failuresBeforeFault) monitor.fault(probe.check, probe.kind, probe.label, result.detail);
    }
    if (!halted) monitor.checkDrained();
  };

  const schedule = (delay: number): void => {
    if (halted) return;
    timer = setTimeout(() => {
      timer = null;
      running = round()
        .catch((error: unknown) => log('warn', `tour de sondes en échec : ${String(error)}`))
        .finally(() => {
          running = null;
          schedule(config.probeIntervalMs);
        });
    }, delay);
  };

  return {
    start() {
      schedule(0);
    },
    async stop() {
      halted = true;
      if (timer !== null) clearTimeout(timer);
      timer = null;
      await running;
    },
    round,
  };
};
