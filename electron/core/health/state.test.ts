import { describe, expect, it } from 'vitest';
import { NOMINAL, run, step, type HealthState, type Observation } from './state.js';

const lost = (at: number): Observation => ({
  kind: 'fault',
  check: 'telephony',
  checkKind: 'telephony',
  label: 'Téléphonie IP',
  detail: 'connexion fermée',
  at,
});
const hostDown = (at: number): Observation => ({
  kind: 'fault',
  check: 'host:central',
  checkKind: 'host',
  label: 'central (127.0.0.1:9)',
  detail: 'ECONNREFUSED',
  at,
});

describe('health state machine', () => {
  it('NOMINAL → DEGRADED on the first fault, with its time as the start of the outage', () => {
    const t = step(NOMINAL, lost(1000));
    expect(t?.to).toEqual({
      phase: 'degraded',
      since: 1000,
      faults: [
        { check: 'telephony', kind: 'telephony', label: 'Téléphonie IP', detail: 'connexion fermée', since: 1000 },
      ],
    });
    expect(t?.added.map((f) => f.check)).toEqual(['telephony']);
  });

  it('a fault already known is no transition; a second one widens DEGRADED and keeps the start', () => {
    const degraded = run(NOMINAL, [lost(1000)]);
    expect(step(degraded, lost(2000))).toBeNull();
    const wider = step(degraded, hostDown(3000));
    expect(wider?.to).toMatchObject({ phase: 'degraded', since: 1000 });
    expect(wider?.to.phase === 'degraded' ? wider.to.faults.map((f) => [f.check, f.since]) : []).toEqual([
      ['telephony', 1000],
      ['host:central', 3000],
    ]);
  });

  it('DEGRADED → RECOVERING only once every fault has cleared, then NOMINAL when drained', () => {
    const both = run(NOMINAL, [lost(1000), hostDown(2000)]);
    const one = step(both, { kind: 'clear', check: 'telephony', at: 3000 });
    expect(one?.to).toMatchObject({ phase: 'degraded', since: 1000 });
    expect(one?.cleared.map((f) => f.check)).toEqual(['telephony']);
    const recovering = step(one?.to ?? both, { kind: 'clear', check: 'host:central', at: 4000 });
    expect(recovering?.to).toEqual({ phase: 'recovering', since: 1000, restoredAt: 4000 });
    const back = step(recovering?.to ?? both, { kind: 'drained', at: 4100 });
    expect(back?.to).toEqual(NOMINAL);
    expect(back?.from).toEqual({ phase: 'recovering', since: 1000, restoredAt: 4000 });
  });

  it('a fault during RECOVERING is DEGRADED again within the same outage', () => {
    const recovering: HealthState = { phase: 'recovering', since: 1000, restoredAt: 5000 };
    expect(step(recovering, hostDown(6000))?.to).toMatchObject({ phase: 'degraded', since: 1000 });
  });

  it('ignores what does not apply: clear of an unknown check, drained outside RECOVERING', () => {
    expect(step(NOMINAL, { kind: 'clear', check: 'telephony', at: 1 })).toBeNull();
    expect(step(NOMINAL, { kind: 'drained', at: 1 })).toBeNull();
    const degraded = run(NOMINAL, [lost(1000)]);
    expect(step(degraded, { kind: 'clear', check: 'disk', at: 2000 })).toBeNull();
    expect(step(degraded, { kind: 'drained', at: 2000 })).toBeNull();
  });
});
