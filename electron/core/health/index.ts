/**
 * The health module (docs/architecture.md, "Modules"): degraded mode. It watches the telephony (its
 * events), the local database, the disk and a configured list of hosts; writes each transition of
 * NOMINAL → DEGRADED → RECOVERING → NOMINAL as an event and in the main courante; keeps the banner's
 * acknowledgement and the calls taken on backup means. The schema part is cheap to import.
 */
import { join } from 'node:path';
import type { CoreModule } from '../kernel/module.js';
import { healthEventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { healthProjection } from './projection.js';

export { HEALTH_EVENTS } from './events.js';
export type { HealthConfig, HealthConfigInput } from './config.js';

export const healthModule: CoreModule = {
  name: 'health',
  eventTypes: healthEventTypes,
  projections: [healthProjection],
  migrations,
  async setup(ctx) {
    const [{ createHealth }, { createLogbookService }] = await Promise.all([
      import('./service.js'),
      import('../logbook/service.js'),
    ]);
    // The automatic entries go through the logbook's own checks, as `vigie append` does (logbook/entries.ts).
    const logbook = createLogbookService(ctx.store, {
      positionName: ctx.config.positionName,
      directorate: ctx.config.directorate,
      exportDir: join(ctx.options.dataDir, 'exports'),
      now: ctx.now,
    });
    return createHealth(ctx, (lines, fields) => logbook.appendLines(lines, fields));
  },
};
