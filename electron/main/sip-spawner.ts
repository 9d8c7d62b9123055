/**
 * The SIP process in the desktop app: Electron's utilityProcess, a Node child of the main process that
 * needs no RunAsNode (the fuse is off in the package, electron-builder.yml), so `child_process.fork` of
 * the Electron binary is not an option. Same SipChild shape as the Node spawner of the browser host
 * (electron/core/telephony/supervisor.ts; docs/architecture.md, "Processes").
 */
import { utilityProcess } from 'electron';
import type { SipChild, SipSpawner } from '../core/telephony/index.js';

export const utilitySipSpawner: SipSpawner = (entry, args) => {
  const child = utilityProcess.fork(entry, args, { serviceName: 'Vigie SIP', stdio: 'inherit' });
  return {
    get pid() {
      return child.pid;
    },
    postMessage(message) {
      child.postMessage(message);
    },
    on(event: 'message' | 'exit', listener: (...args: never[]) => void) {
      // utilityProcess gives 'message' (the value) and 'exit' (the code): SipChild.on's two overloads.
      const forward = listener as (...args: unknown[]) => void;
      if (event === 'message') child.on('message', (message: unknown) => forward(message));
      else child.on('exit', (code: number) => forward(code, null));
    },
    kill() {
      // utilityProcess.kill() sends SIGTERM, which a stopped (SIGSTOP) child never handles: the supervisor
      // must be able to end a hung child at once.
      if (child.pid !== undefined) process.kill(child.pid, 'SIGKILL');
      else child.kill();
    },
  } satisfies SipChild;
};
