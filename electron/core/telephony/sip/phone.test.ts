import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Invitation } from 'sip.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labDown, labUp, type LabInfo } from '../../../lab/index.js';
import { createSipPhone, nullMediaFactory, type RegistrationState, type SipPhone } from './index.js';
import { waitForState } from '../../../testing/sip/test-helpers.js';

// Real Kamailio on 127.0.0.1 (resources/lab); the password must never reach a log or the SIP trace.
const PASSWORD = 'Pw-never-logged-7731';
const root = mkdtempSync(join(tmpdir(), 'vigie-phone-'));
let lab: LabInfo;

beforeAll(async () => {
  lab = await labUp({ dir: join(root, 'lab'), users: { '1001': PASSWORD } });
});

afterAll(async () => {
  await labDown({ dir: lab.dir }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

const phoneFor = (password: string, output: string[]): SipPhone =>
  createSipPhone(
    {
      account: { aor: 'sip:1001@127.0.0.1', password, displayName: 'Poste 1' },
      registrars: [lab.wsUrl],
      pingIntervalMs: 500,
      pongTimeoutMs: 500,
      backoff: { initialMs: 100, maxMs: 500 },
    },
    {
      sessionDescriptionHandlerFactory: nullMediaFactory,
      log: (line) => output.push(line),
      trace: (direction, message) => output.push(`${direction} ${message}`),
    },
  );

describe('SipPhone against Kamailio', () => {
  it('registers with digest auth, receives a call, unregisters on stop, never logs the password', async () => {
    const output: string[] = [];
    const phone = phoneFor(PASSWORD, output);
    const states: RegistrationState[] = [];
    phone.onState((state) => states.push(state));
    const invites: Invitation[] = [];
    phone.onInvite((invitation) => {
      invites.push(invitation);
      void invitation.accept();
    });
    try {
      const registered = await waitForState(phone, (s) => s.state === 'registered', 15_000, 'enregistré');
      expect(registered.registrar).toBe(lab.wsUrl);
      const call = await labCall({ dir: lab.dir, to: '1001', ringS: 10, talkS: 0.5, line: '18', from: '0687' });
      expect(call, call.output).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
      expect(invites).toHaveLength(1);
      expect(invites[0]?.request.getHeader('P-Called-Party-ID')).toContain('18@');
    } finally {
      await phone.stop();
    }
    expect(phone.state().state).toBe('disabled');
    expect(states.map((s) => s.state)).toEqual(['registered', 'disabled']);
    const all = output.join('\n');
    expect(all).toContain('401'); // the challenge was traced, so the trace really captured the exchange
    expect(all).toMatch(/Authorization: Digest/);
    expect(all).toMatch(/Contact: .*expires=0/); // unregister on stop
    expect(all).not.toContain(PASSWORD);
  });

  it('refreshes its registration before it expires (RFC 3261 section 10.2.4) and stays reachable', async () => {
    const output: string[] = [];
    const phone = createSipPhone(
      { account: { aor: 'sip:1001@127.0.0.1', password: PASSWORD }, registrars: [lab.wsUrl], registerExpires: 10 },
      {
        sessionDescriptionHandlerFactory: nullMediaFactory,
        trace: (direction, message) => output.push(`${direction} ${message}`),
      },
    );
    const states: RegistrationState[] = [];
    phone.onState((state) => states.push(state));
    phone.onInvite((invitation) => void invitation.accept());
    try {
      await waitForState(phone, (s) => s.state === 'registered', 15_000, 'enregistré');
      const refreshed = (): number =>
        output.filter((line) => /^← SIP\/2\.0 200 OK[\s\S]*CSeq: \d+ REGISTER/.test(line)).length;
      const deadline = Date.now() + 30_000;
      while (refreshed() < 2 && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200));
      expect(refreshed()).toBeGreaterThanOrEqual(2);
      // Past the first 10 s expiry: without the refresh Kamailio would have dropped the binding and answered 404.
      await new Promise((resolve) => setTimeout(resolve, 2_500));
      const call = await labCall({ dir: lab.dir, to: '1001', ringS: 10, talkS: 0.3 });
      expect(call, call.output).toMatchObject({ exitCode: 0, successful: 1 });
      expect(states.map((s) => s.state)).toEqual(['registered']);
    } finally {
      await phone.stop();
    }
  });

  it('does not claim to be registered with a wrong password', async () => {
    const output: string[] = [];
    const phone = phoneFor('wrong-password', output);
    try {
      const state = await waitForState(phone, (s) => /403|401/.test(s.detail), 15_000, 'refus');
      expect(state.state).toBe('connecting');
    } finally {
      await phone.stop();
    }
    expect(output.join('\n')).not.toContain('wrong-password');
  });
});
