/**
 * Debian's Chromium for the e2e tests, the lab's WebRTC endpoint and the benchmarks: one list of launch
 * flags. Headless, no GPU, nothing that reaches out (QUIC, background networking, component updates, sync),
 * so that every byte it sends stays on loopback (the e2e runner has only `lo`, scripts/test.sh). Test
 * scaffolding, left out of the package.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type ViewportSize } from 'playwright-core';

export const CHROMIUM = process.env.VIGIE_CHROMIUM ?? '/usr/bin/chromium';

export interface ChromiumOptions {
  /** Fake devices and permission prompts, and peer connections allowed between loopback addresses. */
  media?: boolean;
  /** What the fake microphone plays, looped (a WAV file); Chromium's own beep otherwise. */
  microphoneWav?: string;
  /** Media may play before any gesture (a far end that nobody clicks on). */
  autoplay?: boolean;
  /** Further flags, after all of the above. */
  args?: readonly string[];
}

export const chromiumArgs = (options: ChromiumOptions = {}): string[] => [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  ...(options.media === true
    ? ['--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream', '--allow-loopback-in-peer-connection']
    : []),
  ...(options.microphoneWav === undefined ? [] : [`--use-file-for-fake-audio-capture=${options.microphoneWav}`]),
  ...(options.autoplay === true ? ['--autoplay-policy=no-user-gesture-required'] : []),
  ...(options.args ?? []),
];

export interface LaunchedChromium {
  context: BrowserContext;
  /** Closes the browser and removes its profile. */
  close(): Promise<void>;
}

/** A persistent context on a fresh profile in a temporary folder, removed on close. */
export const launchChromium = async (
  options: ChromiumOptions & { viewport?: ViewportSize } = {},
): Promise<LaunchedChromium> => {
  const profile = mkdtempSync(join(tmpdir(), 'vigie-chromium-'));
  let context: BrowserContext;
  try {
    context = await chromium.launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      ...(options.viewport === undefined ? {} : { viewport: options.viewport }),
      args: chromiumArgs(options),
    });
  } catch (error) {
    rmSync(profile, { recursive: true, force: true });
    throw error;
  }
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
};

/**
 * A browser with no persistent profile (each of its contexts starts empty), for a caller that needs the
 * browser itself, e.g. a browser-level CDP session (a persistent context has no Browser object).
 */
export const launchChromiumBrowser = (options: ChromiumOptions = {}): Promise<Browser> =>
  chromium.launch({ executablePath: CHROMIUM, headless: true, args: chromiumArgs(options) });
