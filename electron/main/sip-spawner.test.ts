import { spawn } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';

/**
 * The desktop SIP spawner against a stand-in utilityProcess (the Electron binary cannot run here): the
 * child it wraps is a real process, so that kill() is seen to end a STOPPED process, which
 * utilityProcess.kill()'s SIGTERM would not.
 */
class FakeUtility extends EventEmitter {
  constructor(
    readonly pid: number | undefined,
    readonly sent: unknown[] = [],
  ) {
    super();
  }
  postMessage(message: unknown) {
    this.sent.push(message);
  }
  kill = vi.fn(() => true);
}

const forked = vi.hoisted(() => ({ last: null as unknown, calls: [] as { entry: string; args: string[] }[] }));
const child = spawn('sleep', ['30'], { stdio: 'ignore' });

vi.mock('electron', () => ({
  utilityProcess: {
    fork: (entry: string, args: string[]) => {
      forked.calls.push({ entry, args });
      forked.last = new FakeUtility(child.pid);
      return forked.last;
    },
  },
}));

const { utilitySipSpawner } = await import('./sip-spawner.js');

describe('SIP process of the desktop app (utilityProcess)', () => {
  it('forwards messages both ways, reports the exit code, and kills a stopped child with SIGKILL', async () => {
    const sip = utilitySipSpawner('/app/sip/process-main.js', ['--x']);
    expect(forked.calls).toEqual([{ entry: '/app/sip/process-main.js', args: ['--x'] }]);
    const utility = forked.last as FakeUtility;
    expect(sip.pid).toBe(child.pid);

    sip.postMessage({ type: 'ping', n: 1 });
    expect(utility.sent).toEqual([{ type: 'ping', n: 1 }]);
    const received: unknown[] = [];
    const exits: unknown[][] = [];
    sip.on('message', (m) => received.push(m));
    sip.on('exit', (code, signal) => exits.push([code, signal]));
    utility.emit('message', { type: 'pong', n: 1 });
    utility.emit('exit', 70);
    expect(received).toEqual([{ type: 'pong', n: 1 }]);
    expect(exits).toEqual([[70, null]]);

    if (child.pid === undefined) throw new Error('sleep non démarré');
    process.kill(child.pid, 'SIGSTOP');
    const ended = new Promise<NodeJS.Signals | null>((resolve) => child.once('exit', (_c, s) => resolve(s)));
    sip.kill();
    expect(await ended).toBe('SIGKILL');
    expect(utility.kill).not.toHaveBeenCalled();
  });
});
