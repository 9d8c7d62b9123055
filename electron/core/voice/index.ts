/**
 * The voice module (docs/architecture.md, "Modules"): the position's audio as the media-owner page reports
 * it — device changes, watchdog alarms, call quality, the pre-shift self-test — written as events, and the
 * thresholds of ring escalation and of the watchdog (`voice` of vigie.json). No projection: these are facts
 * for the technician and the archives; the screen keeps their live state.
 */
import { join } from 'node:path';
import type { CoreModule } from '../kernel/module.js';
import { voiceEventTypes } from './events.js';
import { createVoice } from './service.js';

export { VOICE_EVENTS } from './events.js';

export const voiceModule: CoreModule = {
  name: 'voice',
  eventTypes: voiceEventTypes,
  projections: [],
  migrations: [],
  setup(ctx) {
    // The self-test entry goes through the logbook's own checks, as the health module's entries do.
    const logbook = import('../logbook/service.js').then(({ createLogbookService }) =>
      createLogbookService(ctx.store, {
        positionName: ctx.config.positionName,
        directorate: ctx.config.directorate,
        exportDir: join(ctx.options.dataDir, 'exports'),
        now: ctx.now,
      }),
    );
    logbook.catch(() => undefined);
    return createVoice(ctx, async (lines, fields) => (await logbook).appendLines(lines, fields));
  },
};
