import { execFileSync } from 'node:child_process';
import { cliPath } from './paths.js';

/** Provisioning as a technician does it, console stopped: `vigie users add … --pin-stdin`. */
export const addUser = (data: string, name: string, role: string, pin: string): void => {
  execFileSync(
    process.execPath,
    [cliPath, 'users', 'add', '--data', data, '--name', name, '--role', role, '--pin-stdin'],
    { input: `${pin}\n`, encoding: 'utf8' },
  );
};
