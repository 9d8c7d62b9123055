import { execFileSync } from 'node:child_process';
import { rmSync } from 'node:fs';
import { cliPath } from './paths.js';

/** Provisioning as a technician does it, console stopped: `vigie users add … --pin-stdin`. */
export const addUser = (data: string, name: string, role: string, pin: string): void => {
  execFileSync(
    process.execPath,
    [cliPath, 'users', 'add', '--data', data, '--name', name, '--role', role, '--pin-stdin'],
    { input: `${pin}\n`, encoding: 'utf8' },
  );
};

/** The PIN key file that provisioning created beside the data directory (electron/core/logbook/pin-key.ts). */
/** The secrets kept beside a data directory (the PIN key, the position's signing key). */
export const removePinKey = (data: string): void => {
  rmSync(`${data}.pin-key`, { force: true });
  rmSync(`${data}.position-key`, { force: true });
};
