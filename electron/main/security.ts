import { session, shell, type BrowserWindow, type WebContents } from 'electron';
import { APP_HOST, APP_ORIGIN, APP_SCHEME } from './protocol.js';

/** The same settings in tests as in production: there is no "test mode" here. */
export const webPreferences = (preload: string): Electron.WebPreferences => ({
  preload,
  contextIsolation: true,
  sandbox: true,
  nodeIntegration: false,
  nodeIntegrationInWorker: false,
  webSecurity: true,
  allowRunningInsecureContent: false,
  webviewTag: false,
  spellcheck: false,
  // A ringing line must be heard even before anyone touched the window (a console that just started,
  // a position left alone overnight): Chromium's autoplay policy would otherwise silence the ring.
  autoplayPolicy: 'no-user-gesture-required',
});

const isAppUrl = (url: string): boolean => {
  try {
    // Node's URL gives origin "null" for schemes it does not know (app:), so compare the parts.
    const parsed = new URL(url);
    return parsed.protocol === `${APP_SCHEME}:` && parsed.host === APP_HOST;
  } catch {
    return false;
  }
};

let externalOrigins: readonly string[] = [];

/** vigie.json `externalLinks`: the https origins the system browser may open (documentation); none by default. */
export const allowExternalLinks = (origins: readonly string[]): void => {
  externalOrigins = [...origins];
};

/** An https URL whose origin is exactly one of the allowlist's (not a subdomain, not another port). */
export const isAllowedExternal = (url: string): boolean => {
  try {
    const parsed = new URL(url);
    return parsed.protocol === 'https:' && parsed.username === '' && externalOrigins.includes(parsed.origin);
  } catch {
    return false;
  }
};

/** No navigation away from the app (main frame or any subframe), no new windows, no webviews. */
export const lockNavigation = (contents: WebContents): void => {
  // The URL is read from the event: the separate `url` argument is deprecated in Electron 45's types.
  const block = (event: { url: string; preventDefault(): void }): void => {
    if (!isAppUrl(event.url)) event.preventDefault();
  };
  contents.on('will-navigate', block);
  contents.on('will-frame-navigate', block);
  contents.on('will-redirect', block);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    // Links to the configured documentation sites open in the system browser; nothing opens inside the app.
    if (isAllowedExternal(url)) void shell.openExternal(url);
    return { action: 'deny' };
  });
};

/** Only the microphone (headset), and only for the app's own pages. */
export const restrictPermissions = (): void => {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, permission, callback, details) => {
    // A request that names no media type is refused too: `[].every(...)` would say yes.
    const types = 'mediaTypes' in details ? (details.mediaTypes ?? []) : [];
    const audioOnly =
      permission === 'media' &&
      types.length > 0 &&
      types.every((type) => type === 'audio') &&
      isAppUrl(details.requestingUrl);
    callback(audioOnly);
  });
  // Checks (device labels, permission queries) say yes to the app's microphone only, never its camera.
  ses.setPermissionCheckHandler(
    (_contents, permission, requestingOrigin, details) =>
      permission === 'media' && requestingOrigin === APP_ORIGIN && details.mediaType !== 'video',
  );
};

/** IPC is answered only for our own window's main frame, loaded from our own origin. */
export const isTrustedSender = (
  window: BrowserWindow | null,
  contents: WebContents,
  frameUrl: string | undefined,
): boolean =>
  window !== null &&
  !window.isDestroyed() &&
  contents.id === window.webContents.id &&
  frameUrl !== undefined &&
  isAppUrl(frameUrl);
