import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { labCall, labDown, labKill, labRestart, labSignal, labStop, labUp, type LabInfo } from '../../../lab/index.js';
import { createSipPhone, nullMediaFactory, type RegistrationState, type SipPhone } from './index.js';
import type { TelephonyConfigInput } from '../config.js';
import { waitForState } from '../../../testing/sip/test-helpers.js';

// Failure behaviour against real Kamailio processes on 127.0.0.1: killed, hung (SIGSTOP), primary stopped.
// Detection intervals are shortened through the configuration; waits are generous upper bounds (shared CPU),
// the timings themselves are measured by bench/sip.ts, not asserted here.
const root = mkdtempSync(join(tmpdir(), 'vigie-resilience-'));
const labs: LabInfo[] = [];
const phones: SipPhone[] = [];
let labCount = 0;

const newLab = async (): Promise<LabInfo> => {
  labCount += 1;
  const lab = await labUp({ dir: join(root, `lab${labCount}`) });
  labs.push(lab);
  return lab;
};

const newPhone = (
  registrars: string[],
  extra: Partial<TelephonyConfigInput> = {},
): { phone: SipPhone; history: RegistrationState[] } => {
  const history: RegistrationState[] = [];
  const phone = createSipPhone(
    {
      account: { aor: 'sip:1001@127.0.0.1' },
      registrars,
      pingIntervalMs: 300,
      pongTimeoutMs: 600,
      connectTimeoutMs: 1_000,
      backoff: { initialMs: 100, maxMs: 800 },
      primaryProbeMs: 300,
      ...extra,
    },
    { sessionDescriptionHandlerFactory: nullMediaFactory },
  );
  phone.onState((state) => history.push(state));
  phone.onInvite((invitation) => {
    void invitation.accept().catch(() => undefined);
  });
  phones.push(phone);
  return { phone, history };
};

const registeredOn = (url: string) => (s: RegistrationState) => s.state === 'registered' && s.registrar === url;

afterEach(async () => {
  for (const phone of phones.splice(0)) await phone.stop();
  for (const lab of labs.splice(0)) {
    try {
      labSignal(lab.dir, 'SIGCONT'); // never leave a stopped Kamailio behind
    } catch {
      // not running
    }
    await labDown({ dir: lab.dir }).catch(() => undefined);
  }
});

afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('resilient registration', () => {
  it('Kamailio killed: lost, then registered again after restart, and calls reach the phone', async () => {
    const lab = await newLab();
    const { phone, history } = newPhone([lab.wsUrl]);
    await waitForState(phone, registeredOn(lab.wsUrl), 15_000, 'enregistré');
    await labKill(lab.dir);
    const lost = await waitForState(phone, (s) => s.state === 'lost', 10_000, 'perte détectée');
    expect(lost.registrar).toBe(lab.wsUrl);
    await labRestart(lab.dir);
    await waitForState(phone, registeredOn(lab.wsUrl), 15_000, 'ré-enregistré');
    expect(history.map((s) => s.state)).toEqual(['registered', 'lost', 'registered']);
    // The restarted Kamailio (memory usrloc) knows us again only through the new REGISTER.
    const call = await labCall({ dir: lab.dir, to: '1001', ringS: 10, talkS: 0.3 });
    expect(call, call.output).toMatchObject({ exitCode: 0, successful: 1 });
  });

  it('Kamailio hung (SIGSTOP): lost within the ping window, registered again after SIGCONT', async () => {
    const lab = await newLab();
    const { phone } = newPhone([lab.wsUrl]);
    await waitForState(phone, registeredOn(lab.wsUrl), 15_000, 'enregistré');
    labSignal(lab.dir, 'SIGSTOP');
    try {
      const lost = await waitForState(phone, (s) => s.state === 'lost', 10_000, 'blocage détecté');
      expect(lost.detail).toMatch(/pong/);
    } finally {
      labSignal(lab.dir, 'SIGCONT');
    }
    await waitForState(phone, registeredOn(lab.wsUrl), 15_000, 'ré-enregistré');
  });

  it('primary stopped: registered on the secondary, then back on the primary once it returns', async () => {
    const primary = await newLab();
    const secondary = await newLab();
    const { phone, history } = newPhone([primary.wsUrl, secondary.wsUrl]);
    await waitForState(phone, registeredOn(primary.wsUrl), 15_000, 'enregistré sur le principal');
    await labStop(primary.dir);
    await waitForState(phone, registeredOn(secondary.wsUrl), 15_000, 'enregistré sur le secondaire');
    const onSecondary = await labCall({ dir: secondary.dir, to: '1001', ringS: 10, talkS: 0.3 });
    expect(onSecondary, onSecondary.output).toMatchObject({ exitCode: 0, successful: 1 });
    await labRestart(primary.dir);
    await waitForState(phone, registeredOn(primary.wsUrl), 15_000, 'retour sur le principal');
    const onPrimary = await labCall({ dir: primary.dir, to: '1001', ringS: 10, talkS: 0.3 });
    expect(onPrimary, onPrimary.output).toMatchObject({ exitCode: 0, successful: 1 });
    // Leaving the secondary removed our binding there (unregister), so it no longer routes to a dead socket.
    const onOldSecondary = await labCall({ dir: secondary.dir, to: '1001', ringS: 2, talkS: 0.3 });
    expect(onOldSecondary.failed).toBe(1);
    expect(history.map((s) => `${s.state}@${s.registrar === primary.wsUrl ? 'P' : 'S'}`)).toEqual([
      'registered@P',
      'lost@P',
      'registered@S',
      'registered@P',
    ]);
  });

  it('primary hung from the start: the handshake times out, registered on the secondary, back after SIGCONT', async () => {
    const primary = await newLab();
    const secondary = await newLab();
    labSignal(primary.dir, 'SIGSTOP');
    try {
      const { phone, history } = newPhone([primary.wsUrl, secondary.wsUrl]);
      await waitForState(phone, registeredOn(secondary.wsUrl), 15_000, 'enregistré sur le secondaire');
      expect(history[0]?.state).toBe('registered');
      labSignal(primary.dir, 'SIGCONT');
      await waitForState(phone, registeredOn(primary.wsUrl), 15_000, 'retour sur le principal');
    } finally {
      labSignal(primary.dir, 'SIGCONT');
    }
  });

  it('both registrars down: keeps retrying with backoff and registers when one returns', async () => {
    const primary = await newLab();
    const secondary = await newLab();
    const { phone } = newPhone([primary.wsUrl, secondary.wsUrl]);
    await waitForState(phone, registeredOn(primary.wsUrl), 15_000, 'enregistré');
    await labStop(secondary.dir);
    await labStop(primary.dir);
    await waitForState(
      phone,
      (s) => s.state === 'lost' && /nouvel essai dans/.test(s.detail),
      10_000,
      'en attente de réessai',
    );
    await labRestart(secondary.dir);
    await waitForState(phone, registeredOn(secondary.wsUrl), 15_000, 'enregistré sur le secondaire');
  });
});
