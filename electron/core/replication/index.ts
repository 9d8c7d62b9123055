/**
 * The replication module (docs/architecture.md, "Replication"): this position's log and the others'
 * through a central PostgreSQL. Its schema part is its local state (migrations); it owns no event type
 * and no projection — remote events are applied by the store with every module's projections. Without
 * `central` in vigie.json it does nothing and the status bar says the position works alone.
 */
import type { ReplicationInfo } from '../../contract/replication.js';
import { formatNoumea } from '../clock.js';
import type { CoreModule } from '../kernel/module.js';
import { migrations } from './migrations/index.js';

const ALARM = 'ALERTE';

/** Whole seconds, as the status bar says it (« retard 3 s »). */
export const lagSeconds = (ms: number): number => Math.round(ms / 1000);

export const replicationModule: CoreModule = {
  name: 'replication',
  eventTypes: [],
  projections: [],
  migrations,
  async setup(ctx) {
    const central = ctx.config.central;
    if (central === undefined) {
      return {
        handlers: {
          'replication.status': () => ({
            configured: false,
            state: 'local',
            server: null,
            backlog: 0,
            lastSyncAt: null,
            applied: 0,
            lagMs: null,
            quarantined: 0,
            lastError: null,
          }),
        },
      };
    }
    // pg is loaded only by positions that replicate.
    const { createReplication } = await import('./service.js');
    const replication = createReplication({
      store: ctx.store,
      config: central,
      now: ctx.now,
      log: ctx.log,
      changed: ctx.statusChanged,
    });
    return {
      handlers: { 'replication.status': () => replication.info() },
      services: [replication.service],
      provides: { replication: { synced: replication.synced, info: replication.info } },
      status: () => {
        const i = replication.info();
        const alarm =
          i.quarantined > 0
            ? `${ALARM} : ${i.quarantined} événement(s) reçu(s) en quarantaine (chaîne rompue ou signature invalide) — `
            : '';
        const sync =
          i.lastSyncAt === null ? 'jamais synchronisé' : `synchronisé le ${formatNoumea(Date.parse(i.lastSyncAt))}`;
        const lag = i.lagMs === null ? 'retard inconnu' : `retard ${lagSeconds(i.lagMs)} s`;
        const detail =
          i.state === 'online'
            ? `${alarm}Serveur central ${i.server ?? ''} — à envoyer : ${i.backlog} — ${lag} — ${sync}`
            : `${alarm}Serveur central injoignable (${i.lastError ?? 'connexion en cours'}) — à envoyer : ${i.backlog} — ${sync}`;
        const state = i.state === 'online' ? 'online' : 'offline';
        return { network: { state, detail, lagMs: i.lagMs, backlog: i.backlog, quarantined: i.quarantined } };
      },
    };
  },
};

declare module '../kernel/module.js' {
  interface Ports {
    /** The replication's progress (tests, benchmarks, the health module). */
    replication: { synced(): Promise<void>; info(): ReplicationInfo };
  }
}
