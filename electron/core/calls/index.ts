/**
 * The calls module: the pure call domain (live calls, queue, call log, callbacks). It never touches SIP:
 * telephony (electron/core/telephony) plugs its signalling in through the `callDesk` port this module
 * provides, and reports facts there. The schema part (event types, projections) is cheap to import, so
 * CLI commands such as `vigie verify` load no sip.js.
 */
import { VigieError } from '../../contract/result.js';
import type { CoreModule } from '../kernel/module.js';
import { eventTypes } from './events.js';
import { migrations } from './migrations/index.js';
import { projections } from './projection.js';
import { createCallsService } from './service.js';
import type { CallDeskPort } from './signalling.js';

export { eventTypes } from './events.js';
export { projections } from './projection.js';
export type {
  CallDeskAttachOptions,
  CallDeskPort,
  CallFact,
  CallFactSink,
  CallOffer,
  CallSignalling,
} from './signalling.js';

declare module '../kernel/module.js' {
  interface Ports {
    /** Where telephony attaches its signalling and reports call facts. */
    callDesk: CallDeskPort;
  }
}

/** The refusal when nobody is signed in; the screen shows it as is. */
export const ANSWER_SIGN_IN_MESSAGE =
  'Identifiez-vous (F8) avant de décrocher : un appel est pris par une personne nommée, pas par le poste.';

export const callsModule: CoreModule = {
  name: 'calls',
  eventTypes,
  projections,
  migrations,
  setup(ctx) {
    const service = createCallsService(ctx.store, {
      // The logbook module provides the operator signed in here.
      operator: () => ctx.port('operator')(),
      // Who answers (issue 10 item 9): a person signed in at this position, so that the call.answered event
      // — hence the call log — is signed with a name, not the position's. The lab's automatic answer is
      // the SIP side's own (desk.ts) and does not come through here.
      checkAnswer: () => {
        if (ctx.config.calls.answerRequiresSignIn && ctx.port('session').current() === null)
          throw new VigieError('forbidden', ANSWER_SIGN_IN_MESSAGE);
      },
      now: () => ctx.now(),
      emit: (event) => ctx.emit(event),
      log: (level, message) => ctx.log(level, message),
    });
    return {
      handlers: service.handlers,
      provides: { callDesk: { attach: (signalling, options) => service.desk.attach(signalling, options) } },
      services: [{ name: 'calls', start: () => undefined, stop: () => service.close() }],
    };
  },
};
