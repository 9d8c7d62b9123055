/**
 * The telephony module: the only code that touches sip.js, and it does so in a supervised child process
 * (./sip/, entry sip/process-main.ts). In the core it keeps the registration state for the status bar,
 * logs registrations, outages, crashes, restarts and overload refusals, and feeds the calls module's
 * `callDesk` port. Nothing under ./sip/ is imported from the core side.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import '../calls/index.js';
import type { CoreModule } from '../kernel/module.js';
import { resourcesDir } from '../paths.js';
import { lineSchema, telephonyConfigSchema, type TelephonyConfigInput } from './config.js';
import { eventTypes } from './events.js';
import { createTelephony, type Telephony } from './service.js';
import type { SipSpawner } from './supervisor.js';

/** What telephony reads of a voice.alarm event (voice module): the page's media id and the alarm. */
const mediaAlarm = z.looseObject({ callId: z.string().min(1).max(64), alarm: z.string(), state: z.string() });

export { eventTypes } from './events.js';
export { createTelephony, type Telephony, type TelephonyOptions } from './service.js';
export {
  createSupervisor,
  defaultSipEntry,
  nodeSipSpawner,
  sipEntryAvailable,
  type SipChild,
  type SipSpawner,
} from './supervisor.js';
export { labTelephonyConfig, telephonyConfigSchema, type TelephonyConfigInput } from './config.js';

/** What `vigie serve --lab … --auto-answer …` and the shell may override. */
export interface TelephonyOverrides {
  /** Replaces the `telephony` key of `<data>/vigie.json` (e.g. `vigie serve --lab DIR --user 1001`). */
  config?: TelephonyConfigInput;
  /** Answer every call after this many seconds: tests and benchmarks only. */
  autoAnswerSeconds?: number;
  /** The Electron shell passes utilityProcess.fork; default child_process.fork. */
  spawner?: SipSpawner;
  /** The SIP child's entry file; default the compiled sip/process-main.js beside this module. */
  entry?: string;
  maxPendingOffers?: number;
  /** Called with the running telephony once set up (tests, benchmarks). */
  onSetup?: (telephony: Telephony) => void;
}

/** The directorate's usual lines (resources/lines.json), for a position whose configuration lists none. */
export const defaultLines = (): z.output<typeof lineSchema>[] =>
  z.object({ lines: z.array(lineSchema) }).parse(JSON.parse(readFileSync(join(resourcesDir(), 'lines.json'), 'utf8')))
    .lines;

export const telephonyModule = (overrides: TelephonyOverrides = {}): CoreModule => ({
  name: 'telephony',
  eventTypes,
  projections: [],
  migrations: [],
  setup(ctx) {
    const input = overrides.config ?? ctx.config.telephony;
    if (input === undefined) {
      return { status: () => ({ telephony: { state: 'disabled', detail: 'Téléphonie non configurée' } }) };
    }
    const config = telephonyConfigSchema.parse(input);
    const telephony = createTelephony({
      config,
      store: ctx.store,
      desk: ctx.port('callDesk'),
      lines: {
        lines: config.lines.length > 0 ? config.lines : defaultLines(),
        calledNumberFrom: config.calledNumberFrom,
      },
      ...(overrides.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: overrides.autoAnswerSeconds }),
      ...(overrides.spawner === undefined ? {} : { spawner: overrides.spawner }),
      ...(overrides.entry === undefined ? {} : { entry: overrides.entry }),
      ...(overrides.maxPendingOffers === undefined ? {} : { maxPendingOffers: overrides.maxPendingOffers }),
      media: ctx.renderer,
      now: () => ctx.now(),
      log: (level, message) => ctx.log(level, message),
      onStateChange: () => ctx.statusChanged(),
    });
    overrides.onSetup?.(telephony);
    return {
      services: [{ name: 'telephony', start: () => telephony.start(), stop: () => telephony.stop() }],
      status: () => ({ telephony: telephony.state() }),
      // The `sipFault` port is declared by the drills module that uses it (electron/core/drills/index.ts).
      provides: { sipFault: { simulateLoss: async (on: boolean) => telephony.simulateLoss(on) } },
      reactors: [
        {
          name: 'telephony.mediaStopped',
          types: ['voice.alarm'],
          // A call whose signalling died ends once the page hears nothing on it (issue 12 item 2); the
          // alarm names the page's media id, which only the media relay maps to a session.
          react(event) {
            // Page media ids (g<generation>-<sid>) are this position's own: another position's replicated
            // alarm may carry the same id for another call.
            if (event.origin !== ctx.store.origin) return;
            const alarm = mediaAlarm.safeParse(event.payload);
            if (alarm.success && alarm.data.alarm === 'no-rtp' && alarm.data.state === 'raised')
              telephony.mediaStopped(alarm.data.callId);
          },
        },
      ],
    };
  },
});
