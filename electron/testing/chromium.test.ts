import { describe, expect, it } from 'vitest';
import { chromiumArgs } from './chromium.js';

const OFF_THE_NETWORK = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
const FAKE_MEDIA = [
  '--use-fake-device-for-media-stream',
  '--use-fake-ui-for-media-stream',
  '--allow-loopback-in-peer-connection',
];

describe('chromiumArgs', () => {
  it('keeps a plain page off the network', () => {
    expect(chromiumArgs()).toEqual(OFF_THE_NETWORK);
  });

  it('adds fake devices, then the extra flags, in that order', () => {
    expect(chromiumArgs({ media: true, args: ['--x'] })).toEqual([...OFF_THE_NETWORK, ...FAKE_MEDIA, '--x']);
  });

  it('gives the lab and the voice benchmark a microphone playing a WAV and autoplay', () => {
    expect(chromiumArgs({ media: true, microphoneWav: '/tmp/t.wav', autoplay: true })).toEqual([
      ...OFF_THE_NETWORK,
      ...FAKE_MEDIA,
      '--use-file-for-fake-audio-capture=/tmp/t.wav',
      '--autoplay-policy=no-user-gesture-required',
    ]);
  });
});
