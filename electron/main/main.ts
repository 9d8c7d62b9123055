/**
 * The Electron shell, kept thin: one window, security settings, the custom protocol and the IPC adapter.
 * Everything else is the core (electron/core), shared with the browser host and the CLI.
 */
import { app, BrowserWindow, dialog } from 'electron';
import log from 'electron-log/main.js';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { createCore, type Core } from '../core/index.js';
import { coreModules } from '../core/modules.js';
import { utilitySipSpawner } from './sip-spawner.js';
import { appRoot } from '../core/paths.js';
import { connectExportSave } from './export-save.js';
import { connectIpc } from './ipc.js';
import { APP_ORIGIN, registerSchemePrivileges, serveRenderer } from './protocol.js';
import { allowExternalLinks, lockNavigation, restrictPermissions, webPreferences } from './security.js';

registerSchemePrivileges();
log.transports.file.resolvePathFn = () => join(app.getPath('userData'), 'logs', 'main.log');
log.initialize();

/**
 * `--data DIR` (what `npm start -- --data DIR` passes), else VIGIE_DATA_DIR, else the per-user folder.
 * Electron's argv also carries the app path and Chromium's own switches: parse leniently.
 */
const dataDirFromArgs = (): string | undefined => {
  const { values } = parseArgs({
    args: process.argv.slice(1),
    options: { data: { type: 'string' } },
    strict: false,
    allowPositionals: true,
  });
  return typeof values.data === 'string' && values.data !== '' ? values.data : undefined;
};

let window: BrowserWindow | null = null;
let core: Core | null = null;

const createWindow = (): BrowserWindow => {
  const win = new BrowserWindow({
    width: 1440,
    height: 900,
    title: 'Vigie',
    backgroundColor: '#11161c',
    show: false,
    webPreferences: webPreferences(join(appRoot(), 'dist', 'electron', 'main', 'preload.cjs')),
  });
  win.once('ready-to-show', () => win.show());
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
};

app.on('web-contents-created', (_event, contents) => lockNavigation(contents));

// One console per machine: a second launch focuses the first instead of opening the database twice.
if (!app.requestSingleInstanceLock()) app.quit();
app.on('second-instance', () => {
  if (window?.isMinimized() === true) window.restore();
  window?.focus();
});

app
  .whenReady()
  .then(async () => {
    restrictPermissions();
    serveRenderer(join(appRoot(), 'dist', 'renderer'));
    const dataDir = dataDirFromArgs() ?? process.env.VIGIE_DATA_DIR ?? join(app.getPath('userData'), 'data');
    core = await createCore(
      { dataDir, log: (level, message) => log[level](message) },
      coreModules({ telephony: { spawner: utilitySipSpawner } }),
    );
    allowExternalLinks(core.config.externalLinks);
    log.info(`Vigie ${app.getVersion()} — données : ${dataDir}`);
    connectIpc(
      core,
      () => window,
      (m) => log.warn(m),
    );
    connectExportSave(
      core,
      () => window,
      (m) => log.warn(m),
    );
    window = createWindow();
  })
  .catch((error: unknown) => {
    // A corrupt database or a wrong configuration: say so plainly (the message names the file and the
    // way out) rather than opening an empty console that would look usable.
    const message = error instanceof Error ? error.message : String(error);
    log.error(`démarrage impossible : ${message}`);
    dialog.showErrorBox('Vigie ne peut pas démarrer', message);
    app.exit(1);
  });

app.on('window-all-closed', () => app.quit());
app.on('will-quit', (event) => {
  if (core === null) return;
  event.preventDefault();
  const closing = core;
  core = null;
  void closing.close().finally(() => app.quit());
});
