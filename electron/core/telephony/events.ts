/**
 * Telephony events: every registration state change is appended to the log, so outages appear with their
 * times, and so are the SIP process's crashes, restarts and overload refusals. The core appends what
 * telephonyEventsFor returns for each registration state the SIP process reports.
 */
import { z } from 'zod';
import type { RegistrationState } from './state.js';

const registrar = z.string().max(512);
const detail = z.string().max(500);
const at = z.number().int().nonnegative();

export const telephonyConnectingSchema = z.object({ registrar: registrar.nullable(), detail, at });
export const telephonyRegisteredSchema = z.object({
  registrar,
  /** Index in the configured list: 0 = primary. */
  registrarIndex: z.number().int().nonnegative(),
  detail,
  at,
});
export const telephonyLostSchema = z.object({ registrar: registrar.nullable(), detail, at });
export const telephonyFailoverSchema = z.object({
  from: registrar.nullable(),
  to: registrar,
  /** true when coming back to the primary registrar. */
  toPrimary: z.boolean(),
  at,
});
export const telephonyDisabledSchema = z.object({ detail, at });
/** The SIP child process died or hung (killed); its calls were logged `failed`. */
export const telephonyCrashedSchema = z.object({ reason: detail, at });
/** A new SIP child was started; `attempt` counts consecutive restarts (a crash loop backs off). */
export const telephonyRestartedSchema = z.object({ attempt: z.number().int().positive(), at });
/** INVITEs refused with 503 above what the core could log, batched (about one event a second). */
export const telephonyOverloadSchema = z.object({
  count: z.number().int().positive(),
  numbers: z.array(z.string().max(64)).max(50),
  from: at,
  to: at,
});

export const TELEPHONY_EVENTS = {
  connecting: 'telephony.connecting',
  registered: 'telephony.registered',
  lost: 'telephony.lost',
  failover: 'telephony.failover',
  disabled: 'telephony.disabled',
  crashed: 'telephony.crashed',
  restarted: 'telephony.restarted',
  overload: 'telephony.overload',
} as const;

export type TelephonyEventType = (typeof TELEPHONY_EVENTS)[keyof typeof TELEPHONY_EVENTS];

/** What the store registers (StoreOptions.eventTypes; same shape as store's EventTypeDef). */
export const eventTypes: readonly { type: TelephonyEventType; schema: z.ZodType }[] = [
  { type: TELEPHONY_EVENTS.connecting, schema: telephonyConnectingSchema },
  { type: TELEPHONY_EVENTS.registered, schema: telephonyRegisteredSchema },
  { type: TELEPHONY_EVENTS.lost, schema: telephonyLostSchema },
  { type: TELEPHONY_EVENTS.failover, schema: telephonyFailoverSchema },
  { type: TELEPHONY_EVENTS.disabled, schema: telephonyDisabledSchema },
  { type: TELEPHONY_EVENTS.crashed, schema: telephonyCrashedSchema },
  { type: TELEPHONY_EVENTS.restarted, schema: telephonyRestartedSchema },
  { type: TELEPHONY_EVENTS.overload, schema: telephonyOverloadSchema },
];

export interface TelephonyEvent {
  type: TelephonyEventType;
  payload: Record<string, unknown>;
}

/**
 * Events for one state change. `lastRegistrar` is the registrar of the previous registration (null if none):
 * registering on another one is a failover (down the list, or back to the primary).
 */
export const telephonyEventsFor = (
  next: RegistrationState,
  context: { registrars: readonly string[]; lastRegistrar: string | null; at: number },
): TelephonyEvent[] => {
  const { at } = context;
  switch (next.state) {
    case 'connecting':
      return [{ type: TELEPHONY_EVENTS.connecting, payload: { registrar: next.registrar, detail: next.detail, at } }];
    case 'lost':
      return [{ type: TELEPHONY_EVENTS.lost, payload: { registrar: next.registrar, detail: next.detail, at } }];
    case 'disabled':
      return [{ type: TELEPHONY_EVENTS.disabled, payload: { detail: next.detail, at } }];
    case 'registered': {
      const to = next.registrar ?? '';
      const registrarIndex = Math.max(0, context.registrars.indexOf(to));
      const events: TelephonyEvent[] = [];
      if (context.lastRegistrar !== null && context.lastRegistrar !== to) {
        events.push({
          type: TELEPHONY_EVENTS.failover,
          payload: { from: context.lastRegistrar, to, toPrimary: registrarIndex === 0, at },
        });
      } else if (context.lastRegistrar === null && registrarIndex > 0) {
        events.push({ type: TELEPHONY_EVENTS.failover, payload: { from: null, to, toPrimary: false, at } });
      }
      events.push({
        type: TELEPHONY_EVENTS.registered,
        payload: { registrar: to, registrarIndex, detail: next.detail, at },
      });
      return events;
    }
  }
};

/**
 * Keeps `lastRegistrar` between calls: `const track = telephonyEventTracker(registrars); phone.onState((s) =>
 * store.appendAll(track(s, Date.now()).map(...)))`.
 */
export const telephonyEventTracker = (registrars: readonly string[]) => {
  let lastRegistrar: string | null = null;
  return (next: RegistrationState, at: number): TelephonyEvent[] => {
    const events = telephonyEventsFor(next, { registrars, lastRegistrar, at });
    if (next.state === 'registered') lastRegistrar = next.registrar;
    return events;
  };
};
