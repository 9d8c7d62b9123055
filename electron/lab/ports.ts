import { createSocket } from 'node:dgram';
import { createServer } from 'node:net';

/**
 * A port the kernel considers free right now on 127.0.0.1 (bind to port 0, read it, close). Another process
 * could take it before we bind it again; ephemeral ports are handed out spread over a wide range, so two labs
 * started side by side do not get the same one in practice, and labUp reports a bind failure clearly.
 */
export const freeTcpPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => (port > 0 ? resolve(port) : reject(new Error('aucun port TCP libre'))));
    });
  });

export const freeUdpPort = (): Promise<number> =>
  new Promise((resolve, reject) => {
    const socket = createSocket('udp4');
    socket.once('error', reject);
    socket.bind(0, '127.0.0.1', () => {
      const port = socket.address().port;
      socket.close(() => resolve(port));
    });
  });

/** A free UDP port that is not one of `taken` (e.g. the WebSocket port of the same lab). */
export const freeUdpPortDistinctFrom = async (taken: readonly number[]): Promise<number> => {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const port = await freeUdpPort();
    if (!taken.includes(port)) return port;
  }
  throw new Error('aucun port UDP libre distinct');
};
