/**
 * Helpers shared by the tests that drive a real core: a typed request that throws with the method's name on
 * a refusal, a bounded wait, and a TCP listener on 127.0.0.1 that a test can close and reopen on the same port
 * (a watched host that goes down and comes back).
 */
import { createServer, type Server } from 'node:net';
import type { ArgsOf, Method, Result, ResultOf } from '../contract/index.js';
import type { Core } from '../core/index.js';

/** The dispatcher answers ResultOf<M> for method M (contract/index.ts); Core.request is untyped on the wire side. */
export const callCore = async <M extends Method>(core: Core, method: M, args: ArgsOf<M>): Promise<ResultOf<M>> => {
  const r = (await core.request(method, args)) as Result<ResultOf<M>>;
  if (!r.ok) throw new Error(`${method} : ${r.error.message}`);
  return r.value;
};

/** Polls `read` until `ok`, or throws after `ms` with what was awaited and the last value seen. */
export const until = async <T>(
  what: string,
  read: () => Promise<T> | T,
  ok: (v: T) => boolean,
  ms = 10_000,
): Promise<T> => {
  const end = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > end) throw new Error(`attente dépassée : ${what} (dernier : ${JSON.stringify(value)})`);
    await new Promise((r) => setTimeout(r, 25));
  }
};

/** A listener that accepts and drops connections: enough for a TCP reachability probe. */
export const listenTcp = (port = 0): Promise<Server> =>
  new Promise((resolve, reject) => {
    const server = createServer((socket) => socket.destroy());
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve(server));
  });

export const closeServer = (server: Server): Promise<void> => new Promise((resolve) => server.close(() => resolve()));

export const portOf = (server: Server): number => {
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('pas de port');
  return address.port;
};
