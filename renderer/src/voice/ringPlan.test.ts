import { describe, expect, it } from 'vitest';
import { voiceConfigSchema } from '../../../electron/contract/voice.js';
import { longestWait, ringPlan, windowTitle } from './ringPlan.js';

const ring = voiceConfigSchema.parse({ ring: { louderAfterS: 15, secondDeviceAfterS: 30 } }).ring;

describe('ring plan', () => {
  it('is silent when nothing rings', () => {
    expect(ringPlan({ longestWaitS: null, busy: false }, ring).tone).toBe('none');
    expect(ringPlan({ longestWaitS: null, busy: true }, ring).tone).toBe('none');
  });

  it('rings at the base volume, then louder, then on the second device too, at the thresholds', () => {
    expect(ringPlan({ longestWaitS: 0, busy: false }, ring)).toEqual({
      tone: 'ring',
      volume: 0.5,
      secondDevice: false,
      stage: 0,
    });
    expect(ringPlan({ longestWaitS: 14.9, busy: false }, ring).volume).toBe(0.5);
    expect(ringPlan({ longestWaitS: 15, busy: false }, ring)).toEqual({
      tone: 'ring',
      volume: 1,
      secondDevice: false,
      stage: 1,
    });
    expect(ringPlan({ longestWaitS: 29.9, busy: false }, ring).secondDevice).toBe(false);
    expect(ringPlan({ longestWaitS: 30, busy: false }, ring)).toEqual({
      tone: 'ring',
      volume: 1,
      secondDevice: true,
      stage: 2,
    });
  });

  it('plays only the discreet tone while the operator is in a call, however long the wait', () => {
    expect(ringPlan({ longestWaitS: 3, busy: true }, ring)).toEqual({
      tone: 'busy',
      volume: 0.25,
      secondDevice: false,
      stage: 0,
    });
    expect(ringPlan({ longestWaitS: 60, busy: true }, ring)).toMatchObject({
      tone: 'busy',
      secondDevice: false,
      stage: 2,
    });
  });

  it('takes the longest wait of the queue', () => {
    expect(longestWait([], 10_000)).toBeNull();
    expect(longestWait([9_000, 4_000, 8_000], 10_000)).toBe(6);
  });

  it('counts the ringing calls in the window title', () => {
    expect(windowTitle(0)).toBe('Vigie — standard opérationnel');
    expect(windowTitle(1)).toBe('(1) Appel en attente — Vigie');
    expect(windowTitle(3)).toBe('(3) Appels en attente — Vigie');
  });
});
