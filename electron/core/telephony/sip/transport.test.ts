import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import { sanitizeSipText, WsTransport } from './transport.js';

// The transport against a real ws server on 127.0.0.1 (port chosen by the kernel).
const servers: WebSocketServer[] = [];
const transports: WsTransport[] = [];

const serve = (autoPong: boolean): Promise<{ url: string; clients: WebSocket[] }> =>
  new Promise((resolve) => {
    const clients: WebSocket[] = [];
    const server = new WebSocketServer({ host: '127.0.0.1', port: 0, autoPong, handleProtocols: () => 'sip' });
    server.on('connection', (ws) => clients.push(ws));
    servers.push(server);
    server.on('listening', () => {
      const address = server.address();
      resolve({ url: `ws://127.0.0.1:${typeof address === 'object' && address !== null ? address.port : 0}`, clients });
    });
  });

const transportTo = (url: string, log: string[] = []): WsTransport => {
  const transport = new WsTransport({
    server: url,
    pingIntervalMs: 100,
    pongTimeoutMs: 200,
    connectTimeoutMs: 1_000,
    log: (m) => log.push(m),
  });
  transports.push(transport);
  return transport;
};

afterEach(async () => {
  for (const t of transports.splice(0)) await t.disconnect();
  for (const s of servers.splice(0)) {
    for (const client of s.clients) client.terminate();
    await new Promise((resolve) => s.close(resolve));
  }
});

describe('WsTransport', () => {
  it('terminates the socket and reports the loss when pongs stop coming', async () => {
    const { url } = await serve(false);
    const transport = transportTo(url);
    const lost = new Promise<Error | undefined>((resolve) => {
      transport.onDisconnect = resolve;
    });
    await transport.connect();
    expect(transport.isConnected()).toBe(true);
    const error = await lost;
    expect(error?.message).toMatch(/pas de pong en 200 ms/);
    expect(transport.isConnected()).toBe(false);
  });

  it('stays connected while pongs come back', async () => {
    const { url } = await serve(true);
    const transport = transportTo(url);
    let disconnected = false;
    transport.onDisconnect = () => {
      disconnected = true;
    };
    await transport.connect();
    await new Promise((resolve) => setTimeout(resolve, 800)); // several ping periods
    expect(disconnected).toBe(false);
    expect(transport.isConnected()).toBe(true);
  });

  it('delivers a text frame with invalid UTF-8 as replacement characters instead of dropping the connection', async () => {
    const { url, clients } = await serve(true);
    const transport = transportTo(url);
    const received: string[] = [];
    transport.onMessage = (message) => received.push(message);
    await transport.connect();
    const bytes = Buffer.concat([
      Buffer.from('OPTIONS sip:x SIP/2.0\r\nFrom: "'),
      Buffer.from([0xff, 0xc0, 0xaf]),
      Buffer.from('" <sip:a@b>\r\n\r\n'),
    ]);
    clients[0]?.send(bytes, { binary: false });
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toHaveLength(1);
    expect(received[0]).toContain('\uFFFD');
    expect(transport.isConnected()).toBe(true);
  });

  it('replaces control characters that would make sip.js drop the message silently', async () => {
    const { url, clients } = await serve(true);
    const transport = transportTo(url);
    const received: string[] = [];
    transport.onMessage = (message) => received.push(message);
    await transport.connect();
    clients[0]?.send('INVITE sip:x SIP/2.0\r\nFrom: "A\u0000B\u001b[31m" <sip:a@b>\r\nX: \tok\r\n\r\n');
    await new Promise((resolve) => setTimeout(resolve, 200));
    expect(received).toEqual(['INVITE sip:x SIP/2.0\r\nFrom: "A\uFFFDB\uFFFD[31m" <sip:a@b>\r\nX: \tok\r\n\r\n']);
    expect(sanitizeSipText('a\u007fb')).toBe('a\uFFFDb');
  });

  it('rejects connect() when nothing listens, and can connect later to another server', async () => {
    const transport = transportTo('ws://127.0.0.1:9');
    await expect(transport.connect()).rejects.toThrow();
    expect(transport.isConnected()).toBe(false);
    const { url } = await serve(true);
    transport.setServer(url);
    await transport.connect();
    expect(transport.isConnected()).toBe(true);
    expect(() => transport.setServer('ws://127.0.0.1:10')).toThrow();
  });
});
