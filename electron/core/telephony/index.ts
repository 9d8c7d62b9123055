/**
 * Telephony module (in-process, until the SIP stack moves to its own process): the position's SipPhone,
 * its registration written to the log, and the calls service's handlers on top of it.
 */
import type { TelephonyState } from '../../contract/index.js';
import type { CoreModule } from '../kernel/module.js';
import { eventTypes } from '../sip/events.js';
import type { TelephonyConfigInput } from '../sip/config.js';

export interface TelephonyOverrides {
  /** Overrides the `telephony` key of `<data>/vigie.json` (e.g. `vigie serve --lab DIR --user 1001`). */
  config?: TelephonyConfigInput;
  /** Answer every call after this many seconds: tests and benchmarks only (`--auto-answer`). */
  autoAnswerSeconds?: number;
}

export const telephonyModule = (overrides: TelephonyOverrides = {}): CoreModule => ({
  name: 'telephony',
  eventTypes,
  projections: [],
  migrations: [],
  async setup(ctx) {
    const { startTelephony } = await import('../telephony.js');
    const operator = ctx.port('operator');
    let telephony: Awaited<ReturnType<typeof startTelephony>> | null = null;
    const start = (): void => {
      telephony = startTelephony(ctx.store, {
        config: overrides.config ?? ctx.config.telephony,
        ...(overrides.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: overrides.autoAnswerSeconds }),
        operator,
        now: ctx.now,
        emit: ctx.emit,
        onStateChange: ctx.statusChanged,
        log: ctx.log,
      });
    };
    start();
    const current = (): NonNullable<typeof telephony> => {
      if (telephony === null) throw new Error('téléphonie arrêtée');
      return telephony;
    };
    return {
      handlers: current().calls.handlers,
      services: [{ name: 'sip', start: () => undefined, stop: () => current().close() }],
      status: () => ({
        telephony: telephony?.state() ?? { state: 'disabled' satisfies TelephonyState, detail: 'Téléphonie arrêtée' },
      }),
    };
  },
});
