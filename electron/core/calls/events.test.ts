import { describe, expect, it } from 'vitest';
import { callEndedSchema, callOfferedSchema, eventTypes } from './events.js';
import {
  callbackOutcomeListSchema,
  defaultCallbackOutcomes,
  defaultQualifications,
  findQualification,
  qualificationListSchema,
} from './qualifications.js';

describe('call events', () => {
  it('declares one schema per event type, with unique names', () => {
    const names = eventTypes.map((e) => e.type);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('call.offered');
    expect(names).toContain('callback.outcome');
  });
  it('bounds sizes and refuses unknown causes', () => {
    const ok = {
      callId: 'c1',
      direction: 'in',
      sipCallId: 'x@y',
      line: { number: '18', label: '18', priority: 100, configured: true },
      caller: { number: '0687', name: null },
      at: 1,
    };
    expect(callOfferedSchema.safeParse(ok).success).toBe(true);
    expect(callOfferedSchema.safeParse({ ...ok, sipCallId: 'x'.repeat(257) }).success).toBe(false);
    expect(callEndedSchema.safeParse({ callId: 'c1', at: 1, cause: 'lost' }).success).toBe(false);
    expect(callEndedSchema.safeParse({ callId: 'c1', at: 1, cause: 'abandoned' }).success).toBe(true);
  });
});

describe('qualification and callback outcome lists', () => {
  it('defaults are valid and include the required ones', () => {
    expect(qualificationListSchema.parse(defaultQualifications).map((q) => q.code)).toEqual(
      expect.arrayContaining(['urgence', 'renseignement', 'erreur', 'malveillant', 'test']),
    );
    expect(callbackOutcomeListSchema.parse(defaultCallbackOutcomes).map((o) => o.code)).toEqual(
      expect.arrayContaining(['joint', 'injoignable', 'faux_numero']),
    );
  });
  it('refuses duplicate codes and unknown qualifications', () => {
    expect(
      qualificationListSchema.safeParse([
        { code: 'a', label: 'A' },
        { code: 'a', label: 'B' },
      ]).success,
    ).toBe(false);
    expect(() => findQualification(defaultQualifications, 'nope')).toThrow(/Qualification inconnue/);
  });
});
