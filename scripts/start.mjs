// `npm start` (after `npm run build`): the desktop console when the Electron binary is here or can be
// fetched within a bounded time, otherwise the browser host, which prints the console's URL
// (`Vigie prête : http://127.0.0.1:PORT/#token=…`). Options: `--data DIR` (both), `--port N` (browser host);
// any other option goes to `vigie serve` (e.g. `--lab DIR --user 1001`).
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

const FETCH_TIMEOUT_S = 60;
const STOP_GRACE_MS = 10_000;
const root = join(dirname(fileURLToPath(import.meta.url)), '..');

/** electron's package folder, or null when devDependencies were not installed. */
const electronPackageDir = () => {
  try {
    return dirname(createRequire(import.meta.url).resolve('electron/package.json'));
  } catch {
    return null;
  }
};

// The same lookup as electron's index.js (path.txt names the executable under dist/), without requiring
// it: from Electron 42 on, `require('electron')` downloads a missing binary synchronously, with no limit.
const installedElectron = (packageDir) => {
  try {
    const relative = readFileSync(join(packageDir, 'path.txt'), 'utf8').trim();
    const binary = join(packageDir, 'dist', relative);
    return relative !== '' && existsSync(binary) ? binary : null;
  } catch {
    return null;
  }
};

let child = null;
let stopSignal = null;

const forwardStop = (signal) => {
  if (stopSignal !== null) return; // npm and the terminal may both deliver it: stop the child once.
  stopSignal = signal;
  if (child === null) process.exit(0);
  child.kill(signal);
  setTimeout(() => child?.kill('SIGKILL'), STOP_GRACE_MS).unref();
};
for (const signal of ['SIGINT', 'SIGTERM']) process.on(signal, () => forwardStop(signal));

/** Runs electron's own install.js in a child, killed after FETCH_TIMEOUT_S; resolves to a reason or null. */
const fetchElectron = (packageDir) =>
  new Promise((resolve) => {
    console.error(`Binaire Electron absent : tentative de téléchargement (${FETCH_TIMEOUT_S} s au plus)…`);
    let output = '';
    child = spawn(process.execPath, [join(packageDir, 'install.js')], {
      stdio: ['ignore', 'pipe', 'pipe'],
      timeout: FETCH_TIMEOUT_S * 1000,
      killSignal: 'SIGKILL',
    });
    for (const stream of [child.stdout, child.stderr]) stream.on('data', (chunk) => (output += chunk));
    child.on('error', (error) => (output += `${error.message}\n`));
    child.on('close', (code, signal) => {
      child = null;
      if (code === 0) return resolve(null);
      if (signal === 'SIGKILL') return resolve(`pas de réponse complète en ${FETCH_TIMEOUT_S} s`);
      // install.js prints a stack: its first line is the error itself (e.g. "TypeError: fetch failed").
      const first = output.split('\n').find((line) => line.trim() !== '' && !/^\s+at /.test(line));
      resolve(first?.trim() ?? `code ${code ?? signal}`);
    });
  });

const hasDisplay = () =>
  process.platform !== 'linux' || Boolean(process.env.DISPLAY) || Boolean(process.env.WAYLAND_DISPLAY);

const main = async () => {
  const passthrough = process.argv.slice(2);
  const { values } = parseArgs({
    args: passthrough,
    options: { data: { type: 'string' }, port: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });

  const packageDir = electronPackageDir();
  let binary = packageDir === null ? null : installedElectron(packageDir);
  let reason = packageDir === null ? 'paquet electron non installé' : null;
  if (binary === null && packageDir !== null) {
    reason = await fetchElectron(packageDir);
    if (stopSignal !== null) process.exit(0);
    binary = installedElectron(packageDir);
    if (binary === null && reason === null) reason = 'binaire introuvable après installation';
  }
  if (binary !== null && !hasDisplay()) {
    binary = null;
    reason = 'pas d’affichage graphique : ni DISPLAY ni WAYLAND_DISPLAY';
  }

  const [command, args] =
    binary !== null
      ? [binary, ['.', ...(typeof values.data === 'string' ? ['--data', values.data] : [])]]
      : [process.execPath, [join(root, 'dist', 'electron', 'cli', 'main.js'), 'serve', ...passthrough]];
  if (binary !== null) {
    console.error('Lancement de la console de bureau (Electron).');
    if (values.port !== undefined) console.error('--port ne concerne que la console dans le navigateur : ignoré.');
  } else {
    console.error(
      `Electron indisponible (${reason}) : la console s’ouvre dans le navigateur — ouvrez dans Chromium ou Firefox l’adresse ci-dessous.`,
    );
  }
  // Its own process group (POSIX): a Ctrl+C reaches the child once, through forwardStop, not twice (a
  // second SIGINT would end `vigie serve` before it closed the database).
  child = spawn(command, args, { cwd: root, stdio: 'inherit', detached: process.platform !== 'win32' });
  child.on('error', (error) => {
    console.error(`Démarrage impossible : ${error.message}`);
    process.exit(1);
  });
  child.on('exit', (code, signal) => process.exit(code ?? (signal === stopSignal ? 0 : 1)));
};

await main();
