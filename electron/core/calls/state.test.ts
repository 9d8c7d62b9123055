import { describe, expect, it } from 'vitest';
import { VigieError } from '../../contract/result.js';
import { endCauses, nextState, transition, type CallState } from './state.js';

describe('call state machine', () => {
  it('runs an incoming call through answer, hold, resume, hangup', () => {
    let s: CallState = 'ringing';
    s = transition(s, { kind: 'answer' });
    expect(s).toBe('active');
    s = transition(s, { kind: 'hold' });
    expect(s).toBe('held');
    s = transition(s, { kind: 'resume' });
    s = transition(s, { kind: 'end', cause: 'operator_hangup' });
    expect(s).toBe('ended');
  });
  it('runs an outgoing call from dialing', () => {
    expect(transition('dialing', { kind: 'connected' })).toBe('active');
    expect(nextState('dialing', { kind: 'end', cause: 'busy' })).toBe('ended');
    expect(nextState('dialing', { kind: 'answer' })).toBeNull();
  });
  it('only a ringing call can be abandoned or answered elsewhere; an answered one ends by caller_hangup', () => {
    expect(nextState('ringing', { kind: 'end', cause: 'abandoned' })).toBe('ended');
    expect(nextState('ringing', { kind: 'end', cause: 'answered_elsewhere' })).toBe('ended');
    expect(nextState('active', { kind: 'end', cause: 'abandoned' })).toBeNull();
    expect(nextState('ringing', { kind: 'end', cause: 'caller_hangup' })).toBeNull();
    expect(nextState('held', { kind: 'end', cause: 'caller_hangup' })).toBe('ended');
  });
  it('an ended call accepts nothing', () => {
    for (const cause of endCauses) expect(nextState('ended', { kind: 'end', cause })).toBeNull();
    for (const kind of ['answer', 'hold', 'resume', 'transfer', 'connected'] as const)
      expect(nextState('ended', { kind })).toBeNull();
  });
  it('refuses with a French conflict error', () => {
    expect(() => transition('ringing', { kind: 'hold' })).toThrow(VigieError);
    expect(() => transition('ringing', { kind: 'hold' })).toThrow(
      /Impossible de mettre en attente un appel en sonnerie/,
    );
  });
});
