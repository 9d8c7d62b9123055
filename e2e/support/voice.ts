/**
 * What the voice e2e tests need around a page: a known tone for Chromium's fake microphone, a look at the
 * page's peer connections (getStats, the SDP directions) and contract requests the screen has no key for
 * (DTMF, mute), sent over a second WebSocket of the same page. The page code itself is not changed: the
 * peer connections are noted by an init script that wraps the constructor.
 */
import { writeFileSync } from 'node:fs';
import type { BrowserContext, Page } from 'playwright-core';

/** A mono 16-bit PCM WAV of a sine tone (RIFF/WAVE), for --use-file-for-fake-audio-capture. */
export const writeToneWav = (path: string, hz = 440, seconds = 30, rate = 48_000): void => {
  const samples = seconds * rate;
  const data = Buffer.alloc(samples * 2);
  for (let i = 0; i < samples; i += 1) {
    data.writeInt16LE(Math.round(0.5 * 32_767 * Math.sin((2 * Math.PI * hz * i) / rate)), i * 2);
  }
  const header = Buffer.alloc(44);
  header.write('RIFF', 0, 'ascii');
  header.writeUInt32LE(36 + data.length, 4);
  header.write('WAVE', 8, 'ascii');
  header.write('fmt ', 12, 'ascii');
  header.writeUInt32LE(16, 16);
  header.writeUInt16LE(1, 20); // PCM
  header.writeUInt16LE(1, 22); // mono
  header.writeUInt32LE(rate, 24);
  header.writeUInt32LE(rate * 2, 28);
  header.writeUInt16LE(2, 32);
  header.writeUInt16LE(16, 34);
  header.write('data', 36, 'ascii');
  header.writeUInt32LE(data.length, 40);
  writeFileSync(path, Buffer.concat([header, data]));
};

/** Chromium flags for media tests: fake devices, the tone as the microphone, loopback ICE. */
export const fakeMicrophoneArgs = (wav: string): string[] => [`--use-file-for-fake-audio-capture=${wav}`];

/** Notes every RTCPeerConnection the page makes (window.__vigiePeers), before any page script runs. */
export const watchPeers = async (context: BrowserContext): Promise<void> => {
  await context.addInitScript(`(() => {
    const Original = window.RTCPeerConnection;
    const peers = [];
    Object.defineProperty(window, '__vigiePeers', { value: peers });
    window.RTCPeerConnection = class extends Original {
      constructor(...args) { super(...args); peers.push(this); }
    };
  })()`);
};

export interface PeerAudio {
  /** Connections of the page not closed yet. */
  open: number;
  packetsReceived: number;
  packetsSent: number;
  /** inbound-rtp totalAudioEnergy (W3C webrtc-stats): grows with what is heard. */
  energy: number;
  local: string;
  remote: string;
  connection: string;
}

/** The page's latest open peer connection, as getStats and its current descriptions show it. */
export const peerAudio = (page: Page): Promise<PeerAudio | null> =>
  page.evaluate<PeerAudio | null>(`(async () => {
    const open = window.__vigiePeers.filter((pc) => pc.connectionState !== 'closed' && pc.signalingState !== 'closed');
    const pc = open.at(-1);
    if (pc === undefined) return null;
    const stats = await pc.getStats();
    let inbound; let outbound;
    stats.forEach((r) => {
      if (r.type === 'inbound-rtp' && r.kind === 'audio') inbound = r;
      if (r.type === 'outbound-rtp' && r.kind === 'audio') outbound = r;
    });
    return {
      open: open.length,
      packetsReceived: inbound?.packetsReceived ?? 0,
      packetsSent: outbound?.packetsSent ?? 0,
      energy: inbound?.totalAudioEnergy ?? 0,
      local: pc.currentLocalDescription?.sdp ?? '',
      remote: pc.currentRemoteDescription?.sdp ?? '',
      connection: pc.connectionState,
    };
  })()`);

/** One contract request from the page's origin, on its own WebSocket (the page's token, not media owner). */
export const contractRequest = async (page: Page, method: string, args: object): Promise<unknown> =>
  page.evaluate<unknown>(`new Promise((resolve, reject) => {
    const token = new URLSearchParams(location.hash.slice(1)).get('token') ?? '';
    const ws = new WebSocket('ws://' + location.host + '/api?token=' + encodeURIComponent(token));
    const timer = setTimeout(() => { ws.close(); reject(new Error('pas de réponse à ${method}')); }, 15000);
    ws.onopen = () => ws.send(JSON.stringify({ id: 1, method: ${JSON.stringify(method)}, args: ${JSON.stringify(args)} }));
    ws.onmessage = (m) => {
      const frame = JSON.parse(m.data);
      if (frame.id !== 1) return;
      clearTimeout(timer);
      ws.close();
      resolve(frame.result);
    };
    ws.onerror = () => reject(new Error('WebSocket en échec'));
  })`);

/** The SDP direction attribute of the audio section (RFC 3264 §5.1); sendrecv when absent. */
export const sdpDirection = (sdp: string): string =>
  /^a=(sendrecv|sendonly|recvonly|inactive)\r?$/m.exec(sdp)?.[1] ?? 'sendrecv';
