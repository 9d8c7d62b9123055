import { describe, expect, it } from 'vitest';
import { eventTypes, telephonyEventTracker } from './events.js';

const P = 'ws://primary:8088';
const S = 'ws://secondary:8088';

describe('telephony events', () => {
  it('turns an outage with failover and return into lost / failover / registered events with valid payloads', () => {
    const track = telephonyEventTracker([P, S]);
    const events = [
      ...track({ state: 'connecting', registrar: P, detail: 'démarrage' }, 1),
      ...track({ state: 'registered', registrar: P, detail: 'ok' }, 2),
      ...track({ state: 'lost', registrar: P, detail: 'pas de pong' }, 3),
      ...track({ state: 'registered', registrar: S, detail: 'ok' }, 4),
      ...track({ state: 'registered', registrar: P, detail: 'ok' }, 5),
      ...track({ state: 'disabled', registrar: null, detail: 'arrêté' }, 6),
    ];
    expect(events.map((e) => e.type)).toEqual([
      'telephony.connecting',
      'telephony.registered',
      'telephony.lost',
      'telephony.failover',
      'telephony.registered',
      'telephony.failover',
      'telephony.registered',
      'telephony.disabled',
    ]);
    expect(events[3]?.payload).toMatchObject({ from: P, to: S, toPrimary: false, at: 4 });
    expect(events[5]?.payload).toMatchObject({ from: S, to: P, toPrimary: true, at: 5 });
    for (const event of events) {
      const def = eventTypes.find((d) => d.type === event.type);
      expect(def?.schema.safeParse(event.payload).success, event.type).toBe(true);
    }
  });
});
