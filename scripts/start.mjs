// `npm start`: the desktop console when the Electron binary is there, otherwise the browser host
// (the Electron binary cannot be downloaded on machines without internet access).
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
let electronPath = null;
try {
  const candidate = require('electron');
  if (typeof candidate === 'string' && existsSync(candidate)) electronPath = candidate;
} catch {
  electronPath = null;
}

const passthrough = process.argv.slice(2);
const [command, args] =
  electronPath !== null
    ? [electronPath, ['.', ...passthrough]]
    : [process.execPath, ['dist/electron/cli/main.js', 'serve', ...passthrough]];
if (electronPath === null) {
  console.error('Electron absent sur cette machine : ouverture de la console dans le navigateur (hôte local).');
}
const child = spawn(command, args, { stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal === null ? 0 : 1)));
