/**
 * A whole position for lab tests and benchmarks: a real store, the call desk, and telephony with its real
 * SIP child process registered on a lab Kamailio. Each helper waits for named events, never sleeps.
 */
import { join } from 'node:path';
import type { CallsEvent } from '../../contract/calls.js';
import { createCallsService, type CallsService } from '../../core/calls/service.js';
import type { CallDesk } from '../../core/calls/desk.js';
import { moduleSchemas } from '../../core/modules.js';
import { openStore, type Store } from '../../core/store/index.js';
import { createTelephony, type Telephony } from '../../core/telephony/service.js';
import { sipEntryAvailable, defaultSipEntry } from '../../core/telephony/supervisor.js';
import { sipChildEntry } from '../sip/child-entry.js';

export interface LabPosition {
  store: Store;
  desk: CallDesk;
  telephony: Telephony;
  events: CallsEvent[];
  /** Resolves with the first call event matching `predicate` (past or future). */
  waitFor(predicate: (e: CallsEvent) => boolean, what: string, timeoutMs?: number): Promise<CallsEvent>;
  /** Resolves once telephony reports this state (polled: detail updates alone are not pushed). */
  waitForState(state: 'registered' | 'lost' | 'connecting', timeoutMs?: number): Promise<void>;
  close(): Promise<void>;
}

export interface LabPositionOptions {
  dataDir: string;
  wsUrl: string;
  user: string;
  name?: string;
  lines?: unknown;
  autoAnswerSeconds?: number;
  dtmfMethod?: 'media' | 'info';
  maxPendingOffers?: number;
  onAcceptSent?: (sid: string, sentAt: number) => void;
  /** Keep every call event for `waitFor` on past events (default true); benchmarks keep none. */
  keepEvents?: boolean;
  log?: (level: 'info' | 'warn' | 'error', message: string) => void;
}

/** The compiled entry when running from dist/ (benchmarks), else one bundled from sources. */
const entry = async (): Promise<string> => (sipEntryAvailable() ? defaultSipEntry() : sipChildEntry());

export const startLabPosition = async (o: LabPositionOptions): Promise<LabPosition> => {
  const store = openStore({ dataDir: join(o.dataDir), modules: moduleSchemas(), backup: false });
  const events: CallsEvent[] = [];
  const waiters = new Set<(e: CallsEvent) => void>();
  const log = o.log ?? ((level, message) => level !== 'info' && console.log(o.name ?? o.user, level, message));
  const calls: CallsService = createCallsService(store, {
    operator: () => `opérateur ${o.name ?? o.user}`,
    emit: (e) => {
      if (o.keepEvents !== false) events.push(e);
      for (const w of [...waiters]) w(e);
    },
    log,
  });
  const telephony = createTelephony({
    // Signalling only: no page carries audio in these tests and benchmarks.
    config: { account: { aor: `sip:${o.user}@127.0.0.1` }, registrars: [o.wsUrl], media: 'null' },
    store,
    desk: calls.desk,
    lines: o.lines ?? {},
    ...(o.autoAnswerSeconds === undefined ? {} : { autoAnswerSeconds: o.autoAnswerSeconds }),
    ...(o.dtmfMethod === undefined ? {} : { dtmfMethod: o.dtmfMethod }),
    ...(o.maxPendingOffers === undefined ? {} : { maxPendingOffers: o.maxPendingOffers }),
    ...(o.onAcceptSent === undefined ? {} : { onAcceptSent: o.onAcceptSent }),
    entry: await entry(),
    now: Date.now,
    log,
    onStateChange: () => undefined,
  });
  const waitForState: LabPosition['waitForState'] = (state, timeoutMs = 10_000) =>
    new Promise((resolve, reject) => {
      const deadline = Date.now() + timeoutMs;
      const poll = setInterval(() => {
        if (telephony.state().state === state) {
          clearInterval(poll);
          resolve();
        } else if (Date.now() > deadline) {
          clearInterval(poll);
          reject(
            new Error(
              `${o.user} : état ${state} non atteint en ${timeoutMs} ms (${JSON.stringify(telephony.state())})`,
            ),
          );
        }
      }, 5);
    });
  telephony.start();
  await waitForState('registered');
  let closed = false;
  return {
    store,
    desk: calls.desk,
    telephony,
    events,
    waitFor: (predicate, what, timeoutMs = 20_000) =>
      new Promise((resolve, reject) => {
        const past = events.find(predicate);
        if (past !== undefined) return resolve(past);
        const timer = setTimeout(() => {
          waiters.delete(check);
          reject(new Error(`${o.name ?? o.user} : ${what} non reçu en ${timeoutMs} ms`));
        }, timeoutMs);
        const check = (e: CallsEvent): void => {
          if (!predicate(e)) return;
          clearTimeout(timer);
          waiters.delete(check);
          resolve(e);
        };
        waiters.add(check);
      }),
    waitForState,
    async close() {
      if (closed) return;
      closed = true;
      await telephony.stop();
      calls.close();
      store.close();
    },
  };
};
