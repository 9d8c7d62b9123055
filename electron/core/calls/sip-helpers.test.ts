import { describe, expect, it } from 'vitest';
import {
  answeredElsewhere,
  callerNumber,
  cleanDisplayName,
  sdpDirection,
  setSdpDirection,
  targetUri,
} from './sip-helpers.js';

const sdp = [
  'v=0',
  'o=- 1 1 IN IP4 127.0.0.1',
  's=-',
  'c=IN IP4 127.0.0.1',
  't=0 0',
  'm=audio 9 RTP/AVP 0 101',
  'a=rtpmap:0 PCMU/8000',
  'a=sendrecv',
  '',
].join('\r\n');

describe('sip helpers', () => {
  it('recognises RFC 3326 "answered elsewhere" reasons only', () => {
    expect(answeredElsewhere('SIP;cause=200;text="Call completed elsewhere"')).toBe(true);
    expect(answeredElsewhere('SIP ; cause=200 ; text="x"')).toBe(true);
    expect(answeredElsewhere('Q.850;cause=16, SIP;cause=200')).toBe(true);
    expect(answeredElsewhere('Q.850;cause=26')).toBe(true);
    expect(answeredElsewhere('SIP;cause=487;text="Request Terminated"')).toBe(false);
    expect(answeredElsewhere('Q.850;cause=16')).toBe(false);
    expect(answeredElsewhere(undefined)).toBe(false);
  });
  it('sets the media direction for hold and resume, keeping CRLF', () => {
    const held = setSdpDirection(sdp, 'sendonly');
    expect(sdpDirection(held)).toBe('sendonly');
    expect(held.match(/a=(sendrecv|sendonly)/g)).toEqual(['a=sendonly']);
    expect(held.endsWith('a=sendonly\r\n')).toBe(true);
    expect(sdpDirection(setSdpDirection(held, 'sendrecv'))).toBe('sendrecv');
    expect(sdpDirection('v=0\r\nm=audio 9 RTP/AVP 0\r\n')).toBe('sendrecv');
  });
  it('cleans display names and reads caller numbers', () => {
    expect(cleanDisplayName('Jean\u0000\r\nDupont')).toBe('Jean Dupont');
    expect(cleanDisplayName('Jean \u202Eelleirbag')).toBe('Jean elleirbag');
    expect(cleanDisplayName('x'.repeat(500))?.length).toBe(120);
    expect(cleanDisplayName('  ')).toBeNull();
    expect(callerNumber('<sip:+687123456@gw>', '1001')).toBe('+687123456');
    expect(callerNumber(undefined, 'sipp')).toBe('sipp');
    expect(callerNumber(undefined, 'Anonymous')).toBe('');
    expect(callerNumber(undefined, '0687 12-34')).toBe('06871234');
  });
  it('builds target URIs in the account domain', () => {
    expect(targetUri('1002', '127.0.0.1')).toBe('sip:1002@127.0.0.1');
    expect(targetUri('sip:1003@h', '127.0.0.1')).toBe('sip:1003@h');
  });
});
