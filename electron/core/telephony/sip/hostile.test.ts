import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp, sendRawUdp, type LabInfo } from '../../../lab/index.js';
import { createSipPhone, nullMediaFactory, type RegistrationState, type SipPhone } from './index.js';
import { waitForState } from '../../../testing/sip/test-helpers.js';

// Hostile INVITEs sent raw over UDP to the real Kamailio toward the registered position: whatever Kamailio
// lets through must be refused or handled by the UA without losing its registration or its next call.
const root = mkdtempSync(join(tmpdir(), 'vigie-hostile-'));
let lab: LabInfo;
let phone: SipPhone;
const logs: string[] = [];
const states: RegistrationState[] = [];
const seen: Invitation[] = [];
const acceptErrors: string[] = [];

beforeAll(async () => {
  lab = await labUp({ dir: join(root, 'lab') });
  phone = createSipPhone(
    { account: { aor: 'sip:1001@127.0.0.1' }, registrars: [lab.wsUrl], pingIntervalMs: 300, pongTimeoutMs: 600 },
    {
      sessionDescriptionHandlerFactory: nullMediaFactory,
      log: (line) => logs.push(line),
      trace: (d, m) => logs.push(`${d} ${m}`),
    },
  );
  phone.onState((state) => states.push(state));
  phone.onInvite((invitation) => {
    seen.push(invitation);
    const mode = invitation.request.getHeader('X-Hostile');
    if (mode === undefined || mode === 'accept') {
      invitation
        .accept()
        .catch((error: unknown) => acceptErrors.push(error instanceof Error ? error.message : String(error)));
    } else {
      void invitation.reject({ statusCode: 486 }).catch(() => undefined);
    }
  });
  await waitForState(phone, (s) => s.state === 'registered', 15_000, 'enregistré');
});

afterAll(async () => {
  await phone.stop();
  await labDown({ dir: lab.dir }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

let sequence = 0;
const invite = (opts: { fromHeader?: Buffer; extraHeaders?: string[]; body?: Buffer; mode: string }): Buffer => {
  sequence += 1;
  const body =
    opts.body ??
    Buffer.from('v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\nm=audio 4000 RTP/AVP 0\r\n');
  const head = [
    `INVITE sip:1001@${lab.sipUdp} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:@LOCAL_PORT@;branch=z9hG4bKhostile${sequence};rport`,
    'Max-Forwards: 70',
    '@FROM@',
    `To: <sip:1001@${lab.sipUdp}>`,
    `Call-ID: hostile-${sequence}-${Date.now()}@127.0.0.1`,
    'CSeq: 1 INVITE',
    'Contact: <sip:666@127.0.0.1:@LOCAL_PORT@>',
    `X-Hostile: ${opts.mode}`,
    ...(opts.extraHeaders ?? []),
    'Content-Type: application/sdp',
    `Content-Length: ${body.length}`,
    '',
    '',
  ].join('\r\n');
  const from = opts.fromHeader ?? Buffer.from(`From: "Hostile" <sip:666@127.0.0.1>;tag=h${sequence}`);
  const [before, after] = head.split('@FROM@');
  return Buffer.concat([Buffer.from(before ?? ''), from, Buffer.from(after ?? ''), body]);
};

const statusLines = (replies: string[]): string[] => replies.map((reply) => reply.split('\r\n')[0] ?? '');

describe('hostile INVITEs', () => {
  it('survives huge headers, bad SDP and invalid UTF-8, stays registered and still takes a normal call', async () => {
    const results: Record<string, string[]> = {};
    // 1. Huge headers: one 20 kB header and 300 small ones (still under the 64 kB UDP datagram limit).
    results.huge = statusLines(
      await sendRawUdp(
        lab.sipUdp,
        invite({
          mode: 'reject',
          extraHeaders: [
            `X-Huge: ${'A'.repeat(20_000)}`,
            ...Array.from({ length: 300 }, (_, i) => `X-Many-${i}: ${'b'.repeat(60)}`),
          ],
        }),
        1_500,
      ),
    );
    // 2. Bad SDP, offered to a UA that tries to answer it: the null-media handler refuses it.
    results.badSdp = statusLines(
      await sendRawUdp(
        lab.sipUdp,
        invite({ mode: 'accept', body: Buffer.from('v=9\r\nm=garbage\r\n\u0000\u00ff%s%n%x\r\n', 'latin1') }),
        1_500,
      ),
    );
    // 3. Invalid UTF-8 in the display name (lone continuation bytes, overlong encoding, truncated sequence).
    results.badUtf8 = statusLines(
      await sendRawUdp(
        lab.sipUdp,
        invite({
          mode: 'reject',
          fromHeader: Buffer.concat([
            Buffer.from('From: "'),
            Buffer.from([0xff, 0xfe, 0x80, 0xc0, 0xaf, 0xe2, 0x82]),
            Buffer.from('" <sip:666@127.0.0.1>;tag=utf8'),
          ]),
        }),
        1_500,
      ),
    );
    // 4. Invalid UTF-8 in the body and a lying Content-Length.
    results.lyingLength = statusLines(
      await sendRawUdp(
        lab.sipUdp,
        Buffer.concat([
          invite({ mode: 'accept', body: Buffer.from([0xc3, 0x28, 0xa0, 0xa1]) }),
          Buffer.from('trailing'),
        ]),
        1_500,
      ),
    );
    console.log(
      'hostile INVITE replies seen by the sender:',
      JSON.stringify(results),
      `; INVITEs delivered to the UA: ${seen.length}`,
    );

    // Whatever Kamailio forwarded was answered with a final refusal; nothing was accepted.
    for (const [name, lines] of Object.entries(results)) {
      expect(
        lines.some((line) => /^SIP\/2\.0 2/.test(line)),
        name,
      ).toBe(false);
    }
    // sip.js answers a session description handler failure during accept() with 480 (Invitation.handleResponseError).
    expect(results.badSdp.some((line) => /^SIP\/2\.0 4(80|88)/.test(line))).toBe(true);
    expect(acceptErrors.length).toBeGreaterThanOrEqual(1);

    // Still registered, never lost in between, and a normal call still gets through.
    expect(phone.state().state).toBe('registered');
    expect(states.map((s) => s.state)).toEqual(['registered']);
    const call = await labCall({ dir: lab.dir, to: '1001', ringS: 10, talkS: 0.3 });
    expect(call, call.output).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
  });
});
