import { describe, expect, it } from 'vitest';
import { callsRequests } from './calls.js';

describe('calls contract', () => {
  it('accepts DTMF 0-9 * # A-D only, bounded', () => {
    const s = callsRequests['calls.dtmf'];
    expect(s.safeParse({ callId: 'c1', digits: '0123456789*#ABCD' }).success).toBe(true);
    expect(s.safeParse({ callId: 'c1', digits: '12e' }).success).toBe(false);
    expect(s.safeParse({ callId: 'c1', digits: '' }).success).toBe(false);
    expect(s.safeParse({ callId: 'c1', digits: '1'.repeat(33) }).success).toBe(false);
  });
  it('validates transfer targets and requires the consultation call for attended transfer', () => {
    const s = callsRequests['calls.transfer'];
    expect(s.safeParse({ callId: 'c1', target: '1002', mode: 'blind' }).success).toBe(true);
    expect(s.safeParse({ callId: 'c1', target: 'sip:1002@127.0.0.1:5060', mode: 'blind' }).success).toBe(true);
    expect(s.safeParse({ callId: 'c1', target: '1002', mode: 'attended' }).success).toBe(false);
    expect(s.safeParse({ callId: 'c1', target: '1002', mode: 'attended', consultCallId: 'c2' }).success).toBe(true);
    expect(s.safeParse({ callId: 'c1', target: '1002>;evil', mode: 'blind' }).success).toBe(false);
    expect(s.safeParse({ callId: 'c1', target: '1002', mode: 'blind', extra: 1 }).success).toBe(false);
  });
  it('bounds notes and call ids', () => {
    expect(callsRequests['calls.note'].safeParse({ callId: 'c1', text: 'x'.repeat(4001) }).success).toBe(false);
    expect(callsRequests['calls.answer'].safeParse({ callId: 'a'.repeat(65) }).success).toBe(false);
    expect(callsRequests['calls.answer'].safeParse({ callId: "c'1" }).success).toBe(false);
  });
});
