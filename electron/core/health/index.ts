/**
 * The health module (docs/architecture.md, "Modules"): degraded mode. It watches the telephony (its
 * events), the local database, the disk and a configured list of hosts; writes each transition of
 * NOMINAL → DEGRADED → RECOVERING → NOMINAL as an event and in the main courante; keeps the banner's
 * acknowledgement and the calls taken on backup means. The schema part and service.ts load nothing heavy.
 */
import { join } from 'node:path';
import type { CoreModule } from '../kernel/module.js';
import { healthEventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { healthProjection } from './projection.js';
import { createHealth } from './service.js';

export { HEALTH_EVENTS } from './events.js';
export type { HealthConfig, HealthConfigInput } from './config.js';

export const healthModule: CoreModule = {
  name: 'health',
  eventTypes: healthEventTypes,
  projections: [healthProjection],
  migrations,
  // Synchronous on purpose: the kernel pushes status updates from a microtask that must not run while a
  // later module's setup is still awaiting (the status function of createCore is not defined yet then).
  setup(ctx) {
    // The automatic entries go through the logbook's own checks, as `vigie append` does (logbook/entries.ts).
    // Loaded in the background: only the reactor that writes them waits for it.
    const logbook = import('../logbook/service.js').then(({ createLogbookService }) =>
      createLogbookService(ctx.store, {
        positionName: ctx.config.positionName,
        directorate: ctx.config.directorate,
        exportDir: join(ctx.options.dataDir, 'exports'),
        now: ctx.now,
      }),
    );
    // Its failure is reported by the reactor that awaits it, not as an unhandled rejection here.
    logbook.catch(() => undefined);
    return createHealth(ctx, async (lines, fields) => (await logbook).appendLines(lines, fields));
  },
};
