import { createSocket, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { startTcpFaultProxy, startUdpFaultProxy, type FaultProxy, type UdpFaultMode } from './fault-proxy.js';

// Real sockets on 127.0.0.1: an echo server behind the proxy. The "nothing arrives" checks wait a fixed
// 300 ms: a blackhole that leaked would echo within a millisecond on loopback.
const QUIET_MS = 300;
const closers: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const close of closers.splice(0).reverse()) await close();
});

const tcpEcho = async (): Promise<number> => {
  const sockets = new Set<Socket>();
  const server: Server = createServer((s) => {
    sockets.add(s);
    s.on('close', () => sockets.delete(s));
    s.on('error', () => undefined);
    s.pipe(s);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('adresse illisible');
  return address.port;
};

interface Client {
  socket: Socket;
  received: () => string;
  error: () => string | null;
  closed: () => boolean;
}

const client = async (port: number): Promise<Client> => {
  const socket = connect({ host: '127.0.0.1', port });
  let text = '';
  let error: string | null = null;
  let closed = false;
  socket.on('data', (chunk: Buffer) => (text += chunk.toString()));
  socket.on('error', (e: NodeJS.ErrnoException) => (error = e.code ?? e.message));
  socket.on('close', () => (closed = true));
  closers.push(async () => {
    socket.destroy();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('error', reject);
  });
  return { socket, received: () => text, error: () => error, closed: () => closed };
};

const until = async (what: string, ok: () => boolean, ms = 3_000): Promise<void> => {
  const end = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > end) throw new Error(`attente dépassée : ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};
const quiet = (): Promise<void> => new Promise((r) => setTimeout(r, QUIET_MS));

const tcpProxy = async (): Promise<FaultProxy> => {
  const proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: await tcpEcho() });
  closers.push(() => proxy.close());
  return proxy;
};

describe('TCP fault proxy', () => {
  it('passes bytes both ways', async () => {
    const proxy = await tcpProxy();
    const c = await client(proxy.port);
    c.socket.write('allô');
    await until('écho', () => c.received() === 'allô');
    expect(proxy.connections()).toBe(1);
  });

  it('blackhole holds existing and new connections silent; pass delivers what waited', async () => {
    const proxy = await tcpProxy();
    const before = await client(proxy.port);
    before.socket.write('a');
    await until('écho', () => before.received() === 'a');

    proxy.setMode('blackhole');
    before.socket.write('b');
    const during = await client(proxy.port); // accepted all the same
    during.socket.write('c');
    await quiet();
    expect([before.received(), during.received()]).toEqual(['a', '']);
    expect([before.closed(), during.closed()]).toEqual([false, false]);
    expect(proxy.connections()).toBe(2);

    proxy.setMode('pass');
    await until('reprise', () => before.received() === 'ab' && during.received() === 'c');
  });

  it('reset tears existing connections down with a RST and resets new ones', async () => {
    const proxy = await tcpProxy();
    const before = await client(proxy.port);
    proxy.setMode('reset');
    await until('coupure', () => before.closed());
    expect(before.error()).toBe('ECONNRESET');
    expect(proxy.connections()).toBe(0);

    const late = connect({ host: '127.0.0.1', port: proxy.port });
    const code = await new Promise<string>((resolve) => {
      late.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
      late.on('close', () => resolve('fermée sans erreur'));
    });
    expect(code).toBe('ECONNRESET');

    proxy.setMode('pass');
    const after = await client(proxy.port);
    after.socket.write('retour');
    await until('écho après reset', () => after.received() === 'retour');
  });

  it('resets the client when the target refuses', async () => {
    const proxy = await startTcpFaultProxy({ host: '127.0.0.1', port: await closedPort() });
    closers.push(() => proxy.close());
    const c = await client(proxy.port);
    await until('coupure', () => c.closed());
    expect(c.error()).toBe('ECONNRESET');
  });
});

const closedPort = async (): Promise<number> => {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === 'string') throw new Error('adresse illisible');
  return address.port;
};

describe('UDP fault proxy', () => {
  it('passes datagrams and answers, drops both in blackhole', async () => {
    const echo: UdpSocket = createSocket('udp4');
    echo.on('message', (m, from) => echo.send(m, from.port, from.address));
    await new Promise<void>((resolve) => echo.bind(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => echo.close(() => resolve())));
    const proxy: FaultProxy<UdpFaultMode> = await startUdpFaultProxy({ host: '127.0.0.1', port: echo.address().port });
    closers.push(() => proxy.close());

    const me = createSocket('udp4');
    const got: string[] = [];
    me.on('message', (m) => got.push(m.toString()));
    await new Promise<void>((resolve) => me.bind(0, '127.0.0.1', () => resolve()));
    closers.push(() => new Promise<void>((resolve) => me.close(() => resolve())));

    me.send('ping', proxy.port, '127.0.0.1');
    await until('réponse', () => got.length === 1);
    proxy.setMode('blackhole');
    me.send('perdu', proxy.port, '127.0.0.1');
    await quiet();
    expect(got).toEqual(['ping']);
    proxy.setMode('pass');
    me.send('retour', proxy.port, '127.0.0.1');
    await until('réponse après', () => got.length === 2);
    expect(got).toEqual(['ping', 'retour']);
    expect(proxy.connections()).toBe(1);
  });
});
