/**
 * The drills module (docs/architecture.md, "Modules"): degraded-mode drills with their timeline, report and
 * EXERCICE marks. It reads the health module's events and the stats module's figures; a simulated drill asks
 * the telephony module to drop its own SIP transport (port `sipFault`), never the real network.
 */
import { join } from 'node:path';
import type { Drill } from '../../contract/drills.js';
import type { CoreModule } from '../kernel/module.js';
import { drillEventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { drillsProjection } from './projection.js';
import { createDrills } from './service.js';

declare module '../kernel/module.js' {
  interface Ports {
    /** The drill running at this position: other modules mark what they write EXERCICE meanwhile. */
    drill: { active(): Drill | null };
    /** Provided by telephony: drop the SIP transport and keep it down (true), or let it come back (false). */
    sipFault: { simulateLoss(on: boolean): Promise<void> };
  }
}

export const drillsModule: CoreModule = {
  name: 'drills',
  eventTypes: drillEventTypes,
  projections: [drillsProjection],
  migrations,
  setup(ctx) {
    // The entries go through the logbook's own checks, as the health module's do (logbook/entries.ts).
    const logbook = import('../logbook/service.js').then(({ createLogbookService }) =>
      createLogbookService(ctx.store, {
        positionName: ctx.config.positionName,
        directorate: ctx.config.directorate,
        exportDir: join(ctx.options.dataDir, 'exports'),
        now: ctx.now,
      }),
    );
    logbook.catch(() => undefined);
    return createDrills(ctx, async (lines, fields) => (await logbook).appendLines(lines, fields));
  },
};
