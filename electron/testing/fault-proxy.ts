/**
 * Fault proxies on loopback, for tests and benchmarks (issue 12, item 7): put one between a position and a
 * server, then switch its mode while both run.
 *
 * - `pass`: bytes flow both ways.
 * - `blackhole`: connections are accepted and kept, but nothing is forwarded either way, on the existing
 *   connections too — a cable cut or a dead route, not a dead process. The sockets are paused rather than
 *   drained, so what was sent meanwhile waits in the kernel buffers and flows again on `pass`, as TCP would
 *   retransmit it after a short cut (RFC 9293 section 3.8.1): a WebSocket's framing survives the cut.
 * - `reset`: every connection is torn down with a RST (both sides), and each new one is reset as soon as
 *   it is accepted: the peer sees ECONNRESET.
 *
 * The UDP variant (for rtpengine's ng control port, which is UDP) has `pass` and `blackhole` only: UDP has
 * no reset, and a refusal would be an ICMP message that user space cannot send.
 */
import { createSocket, type RemoteInfo, type Socket as UdpSocket } from 'node:dgram';
import { connect, createServer, type Socket } from 'node:net';

export type FaultMode = 'pass' | 'blackhole' | 'reset';
export type UdpFaultMode = Exclude<FaultMode, 'reset'>;

export interface Target {
  host: string;
  port: number;
}

export interface FaultProxy<M extends string = FaultMode> {
  /** The loopback port the proxy listens on (chosen by the kernel). */
  readonly port: number;
  mode(): M;
  setMode(mode: M): void;
  /** Client connections (TCP) or client addresses (UDP) currently held. */
  connections(): number;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket | null;
}

const LOOPBACK = '127.0.0.1';

/** Forwards `from` into `to`, reading only in pass mode; writes that back up pause the reader (drain). */
const forward = (from: Socket, to: Socket, passing: () => boolean): void => {
  from.on('data', (chunk: Buffer) => {
    if (!to.write(chunk)) from.pause();
  });
  to.on('drain', () => {
    if (passing()) from.resume();
  });
};

export const startTcpFaultProxy = async (target: Target, initial: FaultMode = 'pass'): Promise<FaultProxy> => {
  let current: FaultMode = initial;
  const pairs = new Set<Pair>();
  const passing = (): boolean => current === 'pass';

  const drop = (pair: Pair, reset: boolean): void => {
    pairs.delete(pair);
    for (const socket of [pair.client, pair.upstream]) {
      if (socket === null || socket.destroyed) continue;
      if (reset) socket.resetAndDestroy();
      else socket.destroy();
    }
  };

  const link = (pair: Pair): void => {
    const upstream = connect({ host: target.host, port: target.port });
    pair.upstream = upstream;
    // The server gone (refused, reset) reaches the client as a reset too, as it would without the proxy.
    upstream.on('error', () => drop(pair, true));
    upstream.on('close', () => drop(pair, false));
    forward(pair.client, upstream, passing);
    forward(upstream, pair.client, passing);
    pair.client.resume();
  };

  const server = createServer({ pauseOnConnect: true }, (client) => {
    if (current === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const pair: Pair = { client, upstream: null };
    pairs.add(pair);
    client.on('error', () => drop(pair, true));
    client.on('close', () => drop(pair, false));
    // Accepted during a blackhole: no upstream yet (the route is cut); linked when the mode returns to pass.
    if (current === 'pass') link(pair);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, LOOPBACK, () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('adresse d’écoute du proxy illisible');

  return {
    port: address.port,
    mode: () => current,
    setMode(mode) {
      current = mode;
      for (const pair of [...pairs]) {
        if (mode === 'reset') drop(pair, true);
        else if (mode === 'blackhole') {
          pair.client.pause();
          pair.upstream?.pause();
        } else if (pair.upstream === null) link(pair);
        else {
          pair.client.resume();
          pair.upstream.resume();
        }
      }
    },
    connections: () => pairs.size,
    async close() {
      for (const pair of [...pairs]) drop(pair, false);
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
};

/**
 * UDP: one upstream socket per client address, so that the server's answers find their way back to the
 * client that asked (rtpengine answers the ng request on the socket it came from).
 */
export const startUdpFaultProxy = async (
  target: Target,
  initial: UdpFaultMode = 'pass',
): Promise<FaultProxy<UdpFaultMode>> => {
  let current: UdpFaultMode = initial;
  const front = createSocket('udp4');
  const upstreams = new Map<string, UdpSocket>();

  const upstreamFor = (client: RemoteInfo): UdpSocket => {
    const key = `${client.address}:${client.port}`;
    const existing = upstreams.get(key);
    if (existing !== undefined) return existing;
    const socket = createSocket('udp4');
    socket.on('message', (reply) => {
      if (current === 'pass') front.send(reply, client.port, client.address);
    });
    // A lost datagram is UDP's normal failure; the client's own timeout deals with it.
    socket.on('error', () => undefined);
    socket.bind(0, LOOPBACK);
    upstreams.set(key, socket);
    return socket;
  };

  front.on('message', (message, client) => {
    if (current !== 'pass') return;
    upstreamFor(client).send(message, target.port, target.host);
  });
  front.on('error', () => undefined);

  await new Promise<void>((resolve, reject) => {
    front.once('error', reject);
    front.bind(0, LOOPBACK, () => resolve());
  });

  return {
    port: front.address().port,
    mode: () => current,
    setMode(mode) {
      current = mode;
    },
    connections: () => upstreams.size,
    async close() {
      const all = [front, ...upstreams.values()];
      upstreams.clear();
      await Promise.all(all.map((socket) => new Promise<void>((resolve) => socket.close(() => resolve()))));
    },
  };
};
