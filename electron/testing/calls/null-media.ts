/**
 * A signalling-only SessionDescriptionHandler for tests: static SDP (CRLF, RFC 4566 §5), honours the
 * hold option and modifiers, remembers the remote SDP so tests can check directions. Temporary until
 * the SIP engineer's electron/core/sip/media.ts null handler lands.
 */
import type {
  BodyAndContentType,
  SessionDescriptionHandler,
  SessionDescriptionHandlerFactory,
  SessionDescriptionHandlerModifier,
  SessionDescriptionHandlerOptions,
} from 'sip.js';
import { setSdpDirection } from '../../core/calls/sip-helpers.js';

let nextPort = 40_000;

export class TestNullMedia implements SessionDescriptionHandler {
  remoteSdp: string | undefined;
  readonly port = (nextPort += 2);

  close(): void {}

  async getDescription(
    options?: SessionDescriptionHandlerOptions & { hold?: boolean },
    modifiers?: SessionDescriptionHandlerModifier[],
  ): Promise<BodyAndContentType> {
    let sdp = [
      'v=0',
      `o=- ${this.port} 1 IN IP4 127.0.0.1`,
      's=-',
      'c=IN IP4 127.0.0.1',
      't=0 0',
      `m=audio ${this.port} RTP/AVP 0 101`,
      'a=rtpmap:0 PCMU/8000',
      'a=rtpmap:101 telephone-event/8000',
      'a=fmtp:101 0-15',
      'a=sendrecv',
      '',
    ].join('\r\n');
    if (options?.hold === true) sdp = setSdpDirection(sdp, 'sendonly');
    for (const m of modifiers ?? []) sdp = String((await m({ type: 'offer', sdp })).sdp ?? sdp);
    return { body: sdp, contentType: 'application/sdp' };
  }

  hasDescription(contentType: string): boolean {
    return contentType === 'application/sdp';
  }

  async setDescription(sdp: string): Promise<void> {
    this.remoteSdp = sdp;
  }

  sendDtmf(): boolean {
    return false;
  }
}

export const testNullMediaFactory: SessionDescriptionHandlerFactory = () => new TestNullMedia();
