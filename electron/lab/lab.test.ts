import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { labCall, labCallee, labDown, labKill, labRestart, labUp, readLab, sendRawUdp, type LabInfo } from './index.js';
import { groupMembers, isAlive } from './process.js';
import { isRtpengine, ngPing, ngRequest } from './rtpengine.js';

// Real Kamailio + SIPp on 127.0.0.1 (lab-notes/README.md); each run in its own directory and ports.
const root = mkdtempSync(join(tmpdir(), 'vigie-lab-'));
const dir = join(root, 'a');
let lab: LabInfo;

beforeAll(async () => {
  lab = await labUp({ dir, users: { '1001': 'not-in-any-log-42' } });
});

afterAll(async () => {
  await labDown({ dir }).catch(() => undefined);
  rmSync(root, { recursive: true, force: true });
});

const register = (user: string): string =>
  [
    `REGISTER sip:${lab.sipUdp} SIP/2.0`,
    'Via: SIP/2.0/UDP 127.0.0.1:@LOCAL_PORT@;branch=z9hG4bKregtest;rport',
    'Max-Forwards: 70',
    `From: <sip:${user}@127.0.0.1>;tag=t1`,
    `To: <sip:${user}@127.0.0.1>`,
    'Call-ID: regtest@127.0.0.1',
    'CSeq: 1 REGISTER',
    `Contact: <sip:${user}@127.0.0.1:5999>`,
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');

describe('lab', () => {
  it('writes lab.json and keeps the password out of it', () => {
    const info = readLab(dir);
    expect(info).toEqual(lab);
    expect(info.wsUrl).toMatch(/^ws:\/\/127\.0\.0\.1:\d+$/);
    expect(info.users).toEqual(['1001']);
    expect(readFileSync(join(dir, 'lab.json'), 'utf8')).not.toContain('not-in-any-log-42');
    expect(statSync(join(dir, 'passwords.cfg')).mode & 0o077).toBe(0);
  });

  it('generates a configuration that kamailio -c accepts, with the media relay module loaded', () => {
    const config = join(dir, 'kamailio.cfg');
    expect(readFileSync(config, 'utf8')).toContain(`udp:127.0.0.1:${lab.rtpengine.ngPort}`);
    const check = spawnSync('kamailio', ['-c', '-f', config], { encoding: 'utf8' });
    expect(check.status, check.stderr).toBe(0);
  });

  it('runs rtpengine on loopback, which answers an ng ping and lists no call yet', async () => {
    expect(isRtpengine(lab.rtpengine.pid)).toBe(true);
    expect(lab.rtpengine.portMax).toBeGreaterThan(lab.rtpengine.portMin);
    expect(await ngPing(lab.rtpengine.ngPort)).toBe(true);
    const list = await ngRequest(lab.rtpengine.ngPort, { command: 'list' });
    expect(list).toMatchObject({ result: 'ok', calls: [] });
  });

  it('challenges REGISTER for a user with a password, accepts an open user', async () => {
    const challenged = await sendRawUdp(lab.sipUdp, register('1001'), 400);
    expect(challenged[0]).toMatch(/^SIP\/2\.0 401/);
    expect(challenged[0]).toMatch(/WWW-Authenticate: Digest/);
    const open = await sendRawUdp(lab.sipUdp, register('3001'), 400);
    expect(open[0]).toMatch(/^SIP\/2\.0 200/);
  });

  it('places an answered call that hangs up, and a call cancelled after ringing', async () => {
    const callee = await labCallee({ dir, user: '2001', mode: 'answer' });
    const answered = await labCall({ dir, to: '2001', talkS: 0.5, ringS: 5, line: '18', from: '0687654' });
    expect(answered, answered.output).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await callee.done).exitCode).toBe(0);

    const ringer = await labCallee({ dir, user: '2002', mode: 'ring' });
    const cancelled = await labCall({ dir, to: '2002', talkS: 1, ringS: 1 });
    expect(cancelled, cancelled.output).toMatchObject({ exitCode: 0, successful: 1, failed: 0 });
    expect((await ringer.done).exitCode).toBe(0);
  });

  it('places a burst of concurrent calls, each running its scenario to the end', async () => {
    const callee = await labCallee({ dir, user: '2003', mode: 'answer', count: 60 });
    const burst = await labCall({ dir, to: '2003', count: 60, rate: 30, talkS: 0.5, ringS: 10 });
    expect(burst, burst.output).toMatchObject({ exitCode: 0, successful: 60, failed: 0 });
    expect((await callee.done).successful).toBe(60);
  });

  it('reports a failed call (nobody registered) with a non-zero exit code', async () => {
    const result = await labCall({ dir, to: '9999', ringS: 1, talkS: 1 });
    expect(result.exitCode).not.toBe(0);
    expect(result.failed).toBe(1);
  });

  it('restarts on the same ports after a kill, and stops by pid', async () => {
    const before = readLab(dir);
    await labKill(dir);
    expect(isAlive(before.pid)).toBe(false);
    const after = await labRestart(dir);
    expect(after.pid).not.toBe(before.pid);
    expect(after.wsUrl).toBe(before.wsUrl);
    expect(after.sipUdp).toBe(before.sipUdp);
    expect(after.rtpengine).toEqual(before.rtpengine); // the relay survives a Kamailio crash
    await labDown({ dir });
    expect(groupMembers(after.pid)).toEqual([]);
    expect(isAlive(after.rtpengine.pid)).toBe(false);
    lab = await labRestart(dir);
    expect(await ngPing(lab.rtpengine.ngPort)).toBe(true);
  });

  it('runs two labs side by side on different ports', async () => {
    const other = await labUp({ dir: join(root, 'b') });
    try {
      expect(other.wsUrl).not.toBe(lab.wsUrl);
      expect(other.sipUdp).not.toBe(lab.sipUdp);
      expect(other.rundir).not.toBe(lab.rundir);
      expect(other.rtpengine.ngPort).not.toBe(lab.rtpengine.ngPort);
    } finally {
      await labDown({ dir: join(root, 'b') });
    }
  });
});
