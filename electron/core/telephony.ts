/**
 * Telephony as createCore runs it: the position's SipPhone (when configured), its registration state
 * written to the log as events (so outages are in the record with their times), and the calls service on
 * top of it. Without a configuration the call log and callbacks still work; live commands say why not.
 */
import type { CoreEvent, TelephonyState } from '../contract/index.js';
import { createCallsService, type CallsService } from './calls/service.js';
import { createSipPhone, type SipPhone } from './sip/index.js';
import { telephonyConfigSchema, type TelephonyConfigInput } from './sip/config.js';
import { telephonyEventTracker } from './sip/events.js';
import { nullMediaFactory } from './sip/media.js';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { resourcesDir } from './paths.js';
import { lineSchema } from './sip/config.js';
import { STORE_AUTHOR, type Store } from './store/index.js';

/** The directorate's usual lines (resources/lines.json), for a position whose configuration lists none. */
const defaultLines = () =>
  z.object({ lines: z.array(lineSchema) }).parse(JSON.parse(readFileSync(join(resourcesDir(), 'lines.json'), 'utf8')))
    .lines;

export interface TelephonyOptions {
  config: TelephonyConfigInput | undefined;
  autoAnswerSeconds?: number;
  operator: () => string;
  now: () => number;
  emit: (event: CoreEvent) => void;
  onStateChange: () => void;
  log: (level: 'info' | 'warn' | 'error', message: string) => void;
}

export interface Telephony {
  readonly calls: CallsService;
  state(): { state: TelephonyState; detail: string };
  close(): Promise<void>;
}

export const startTelephony = (store: Store, options: TelephonyOptions): Telephony => {
  const { log, now } = options;
  const config = options.config === undefined ? undefined : telephonyConfigSchema.parse(options.config);
  let phone: SipPhone | null = null;
  let offState = (): void => undefined;
  if (config !== undefined) {
    // Media runs in the renderer through the bridge handler (operator UI); until a renderer takes a call,
    // the null handler answers with a static SDP, as for headless positions and tests.
    phone = createSipPhone(config, {
      sessionDescriptionHandlerFactory: nullMediaFactory,
      // sip.js's own debug chatter (every transaction state) would drown the technical log.
      log: (message) => {
        if (!message.startsWith('sip.js debug')) log('info', `SIP : ${message}`);
      },
    });
    const track = telephonyEventTracker(config.registrars);
    offState = phone.onState((state) => {
      try {
        store.appendAll(track(state, now()).map((e) => ({ type: e.type, payload: e.payload, author: STORE_AUTHOR })));
      } catch (error) {
        log('error', `état de la téléphonie non journalisé : ${String(error)}`);
      }
      options.onStateChange();
    });
  }
  const calls = createCallsService(store, {
    phone,
    lines:
      config === undefined
        ? undefined
        : { lines: config.lines.length > 0 ? config.lines : defaultLines(), calledNumberFrom: config.calledNumberFrom },
    operator: options.operator,
    // The null media handler sends no RTP, so DTMF must travel as SIP INFO to reach anyone.
    dtmfMethod: 'info',
    ...(options.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: options.autoAnswerSeconds }),
    now,
    emit: options.emit,
    log,
  });
  return {
    calls,
    state() {
      if (phone === null) return { state: 'disabled', detail: 'Téléphonie non configurée' };
      const s = phone.state();
      const where = s.registrar === null ? '' : ` (${s.registrar})`;
      return { state: s.state, detail: `${s.detail}${where}` };
    },
    async close() {
      offState();
      await calls.close();
      await phone?.stop();
    },
  };
};
