import { createSocket } from 'node:dgram';
import { randomBytes } from 'node:crypto';

/**
 * Send one raw datagram to a SIP server over loopback UDP and collect the replies that arrive within
 * `waitMs` (each decoded as latin1 so that hostile bytes survive for inspection).
 */
export const sendRawUdp = (
  target: string,
  payload: Buffer | string,
  waitMs: number,
  /** Stop waiting as soon as a reply satisfies this (e.g. a final response). */
  enough?: (reply: string) => boolean,
): Promise<string[]> =>
  new Promise((resolve, reject) => {
    const [host, portText] = target.split(':');
    const port = Number(portText);
    if (host === undefined || !Number.isInteger(port)) {
      reject(new Error(`adresse UDP invalide : ${target}`));
      return;
    }
    const socket = createSocket('udp4');
    const replies: string[] = [];
    let timer: NodeJS.Timeout | undefined;
    let finished = false;
    const finish = (): void => {
      if (finished) return;
      finished = true;
      clearTimeout(timer);
      socket.close();
      resolve(replies);
    };
    socket.on('message', (message) => {
      const reply = message.toString('latin1');
      replies.push(reply);
      if (enough?.(reply) === true) finish();
    });
    socket.once('error', (error) => {
      socket.close();
      reject(error);
    });
    socket.bind(0, '127.0.0.1', () => {
      const data = typeof payload === 'string' ? Buffer.from(payload, 'utf8') : payload;
      const bytes = substituteLocalPort(data, socket.address().port);
      socket.send(bytes, port, host, (error) => {
        if (error) {
          socket.close();
          reject(error);
          return;
        }
        if (!finished) timer = setTimeout(finish, waitMs);
      });
    });
  });

/** `@LOCAL_PORT@` in a raw message becomes the sending socket's port, so that replies come back to it. */
const substituteLocalPort = (data: Buffer, port: number): Buffer => {
  const marker = Buffer.from('@LOCAL_PORT@');
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = data.indexOf(marker, from); at !== -1; at = data.indexOf(marker, from)) {
    parts.push(data.subarray(from, at), Buffer.from(String(port)));
    from = at + marker.length;
  }
  parts.push(data.subarray(from));
  return Buffer.concat(parts);
};

export const token = (): string => randomBytes(6).toString('hex');

/** An OPTIONS to the server itself (RFC 3261 section 11): Kamailio answers 200 once its UDP workers run. */
export const optionsPing = async (target: string, waitMs: number): Promise<boolean> => {
  const tag = token();
  const message = [
    `OPTIONS sip:${target} SIP/2.0`,
    `Via: SIP/2.0/UDP 127.0.0.1:@LOCAL_PORT@;branch=z9hG4bK${tag};rport`,
    'Max-Forwards: 70',
    `From: <sip:probe@127.0.0.1>;tag=${tag}`,
    `To: <sip:${target}>`,
    `Call-ID: probe-${tag}@127.0.0.1`,
    'CSeq: 1 OPTIONS',
    'Content-Length: 0',
    '',
    '',
  ].join('\r\n');
  const replies = await sendRawUdp(target, message, waitMs, (reply) => reply.startsWith('SIP/2.0 200'));
  return replies.some((reply) => reply.startsWith('SIP/2.0 200'));
};
