import { describe, expect, it } from 'vitest';
import { BridgeSessionDescriptionHandler, NullMediaHandler, type MediaBridge } from './media.js';

const offer =
  'v=0\r\no=a 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\na=sendonly\r\n';

describe('NullMediaHandler', () => {
  it('answers with a static CRLF SDP whose direction follows the offer (RFC 3264 section 6.1)', async () => {
    const handler = new NullMediaHandler(40_002);
    await handler.setDescription(offer);
    const { body, contentType } = await handler.getDescription();
    expect(contentType).toBe('application/sdp');
    expect(body).toMatch(/^v=0\r\n/);
    expect(body.split('\r\n')).toContain('m=audio 40002 RTP/AVP 0 101');
    expect(body.split('\r\n')).toContain('a=recvonly');
    expect(body.replace(/\r\n/g, '')).not.toContain('\n');
  });

  it('refuses a remote description that is not SDP', async () => {
    const handler = new NullMediaHandler();
    await expect(handler.setDescription('v=9\r\nm=garbage\r\n')).rejects.toThrow(/SDP distant invalide/);
    expect(handler.hasDescription('application/sdp; charset=utf-8')).toBe(true);
    expect(handler.hasDescription('text/plain')).toBe(false);
  });

  it('offers sendonly on hold and applies modifiers', async () => {
    const handler = new NullMediaHandler();
    const { body } = await handler.getDescription({ hold: true } as object, [
      async (d) => ({ type: d.type, sdp: `${d.sdp}a=x-mod\r\n` }),
    ]);
    expect(body).toContain('a=sendonly');
    expect(body).toContain('a=x-mod');
  });
});

describe('BridgeSessionDescriptionHandler', () => {
  it('forwards offer/answer, hold and DTMF to the bridge with the right kinds', async () => {
    const calls: string[] = [];
    const bridge: MediaBridge = {
      getLocal: async (id, request) => {
        calls.push(`get ${id} ${request.kind} hold=${request.hold}`);
        return 'v=0\r\nm=audio 1 RTP/AVP 0\r\n';
      },
      setRemote: async (id, _sdp, kind) => {
        calls.push(`set ${id} ${kind}`);
      },
      sendDtmf: async (id, tones) => {
        calls.push(`dtmf ${id} ${tones}`);
        return tones !== 'A';
      },
      setMuted: async (id, muted) => void calls.push(`mute ${id} ${muted}`),
      close: (id) => calls.push(`close ${id}`),
    };
    const handler = new BridgeSessionDescriptionHandler('s1', bridge);
    await handler.setDescription(offer); // incoming INVITE with offer
    await handler.getDescription(); // our answer
    await handler.getDescription({ hold: true } as object); // re-INVITE offer for hold
    await handler.setDescription(offer); // their answer
    expect(await handler.sendDtmfAsync('1#')).toBe(true);
    expect(await handler.sendDtmfAsync('A')).toBe(false);
    await handler.setMuted(true);
    handler.close();
    expect(calls).toEqual([
      'set s1 offer',
      'get s1 answer hold=false',
      'get s1 offer hold=true',
      'set s1 answer',
      'dtmf s1 1#',
      'dtmf s1 A',
      'mute s1 true',
      'close s1',
    ]);
  });
});
