import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { createSocket } from 'node:dgram';
import { closeSync, existsSync, openSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { isAlive, sleep } from './process.js';

/**
 * The lab's media relay: rtpengine in user space on loopback (no kernel module, `--table=-1`), driven by
 * Kamailio over its ng control protocol (bencoded dictionaries over UDP, one cookie per request).
 */
const RTPENGINE = process.env.VIGIE_RTPENGINE ?? 'rtpengine';

export interface RtpengineInfo {
  ngPort: number;
  pid: number;
  portMin: number;
  portMax: number;
}

const rtpFiles = (dir: string) => ({
  pidfile: join(dir, 'rtpengine.pid'),
  log: join(dir, 'rtpengine.log'),
});

/** Tiny bencode for the ng protocol: strings, integers, lists and dictionaries are all it uses. */
type Bencoded = string | number | Bencoded[] | { [key: string]: Bencoded };

export const bencode = (value: Bencoded): string => {
  if (typeof value === 'number') return `i${Math.trunc(value)}e`;
  if (typeof value === 'string') return `${Buffer.byteLength(value)}:${value}`;
  if (Array.isArray(value)) return `l${value.map(bencode).join('')}e`;
  const keys = Object.keys(value).sort();
  return `d${keys.map((k) => bencode(k) + bencode(value[k] ?? '')).join('')}e`;
};

export const bdecode = (text: Buffer): Bencoded => {
  let at = 0;
  const parse = (): Bencoded => {
    const c = String.fromCharCode(text[at] ?? 0);
    if (c === 'i') {
      const end = text.indexOf('e', at);
      const n = Number(text.subarray(at + 1, end).toString('latin1'));
      at = end + 1;
      return n;
    }
    if (c === 'l' || c === 'd') {
      at += 1;
      const items: Bencoded[] = [];
      while (text[at] !== 0x65 /* e */) {
        if (at >= text.length) throw new Error('réponse ng tronquée');
        items.push(parse());
      }
      at += 1;
      if (c === 'l') return items;
      const dict: { [key: string]: Bencoded } = {};
      for (let i = 0; i + 1 < items.length; i += 2) dict[String(items[i])] = items[i + 1] ?? '';
      return dict;
    }
    const colon = text.indexOf(':', at);
    if (colon === -1) throw new Error('réponse ng invalide');
    const length = Number(text.subarray(at, colon).toString('latin1'));
    const s = text.subarray(colon + 1, colon + 1 + length).toString('utf8');
    at = colon + 1 + length;
    return s;
  };
  return parse();
};

/** One ng request (e.g. `{ command: 'ping' }`) to 127.0.0.1:port; resolves with the decoded answer. */
export const ngRequest = (
  port: number,
  message: { [key: string]: Bencoded },
  timeoutMs = 1_000,
): Promise<{ [key: string]: Bencoded }> =>
  new Promise((resolve, reject) => {
    const cookie = randomBytes(6).toString('hex');
    const socket = createSocket('udp4');
    const timer = setTimeout(() => {
      socket.close();
      reject(new Error(`rtpengine (ng 127.0.0.1:${port}) ne répond pas`));
    }, timeoutMs);
    socket.on('message', (data) => {
      const space = data.indexOf(' ');
      if (data.subarray(0, space).toString('latin1') !== cookie) return;
      clearTimeout(timer);
      socket.close();
      const answer = bdecode(data.subarray(space + 1));
      if (typeof answer !== 'object' || Array.isArray(answer)) reject(new Error('réponse ng inattendue'));
      else resolve(answer);
    });
    socket.once('error', (error) => {
      clearTimeout(timer);
      socket.close();
      reject(error);
    });
    socket.send(`${cookie} ${bencode(message)}`, port, '127.0.0.1');
  });

export const ngPing = async (port: number, timeoutMs = 500): Promise<boolean> => {
  try {
    return (await ngRequest(port, { command: 'ping' }, timeoutMs))['result'] === 'pong';
  } catch {
    return false;
  }
};

const udpFree = (port: number): Promise<boolean> =>
  new Promise((resolve) => {
    const socket = createSocket('udp4');
    socket.once('error', () => resolve(false));
    socket.bind(port, '127.0.0.1', () => socket.close(() => resolve(true)));
  });

/**
 * A block of RTP ports for one lab, below Linux's ephemeral range (32768–60999, ip(7)), so that the ports
 * the kernel hands out to SIPp, Node and Chromium never fall in it. Several labs side by side each draw a
 * random block; a port another process holds is skipped by rtpengine when it allocates.
 */
export const rtpPortBlock = async (size = 1_000): Promise<{ portMin: number; portMax: number; ngPort: number }> => {
  for (let attempt = 0; attempt < 20; attempt += 1) {
    const base = 20_000 + 2 * Math.floor(Math.random() * ((12_000 - size - 2) / 2));
    const ngPort = base + size;
    if ((await udpFree(ngPort)) && (await udpFree(base)) && (await udpFree(base + 1))) {
      return { portMin: base, portMax: base + size - 1, ngPort };
    }
  }
  throw new Error('aucun bloc de ports RTP libre');
};

const logTail = (dir: string): string => {
  try {
    return readFileSync(rtpFiles(dir).log, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(pas de journal)';
  }
};

/** True when `pid` is a live rtpengine: never signal a pid that the system reused for something else. */
export const isRtpengine = (pid: number): boolean => {
  try {
    return isAlive(pid) && readFileSync(`/proc/${pid}/comm`, 'utf8').trim().startsWith('rtpengine');
  } catch {
    return false;
  }
};

/** Start rtpengine in the foreground (its own process group), logging to DIR/rtpengine.log; waits for `pong`. */
export const startRtpengine = async (
  dir: string,
  ports: { portMin: number; portMax: number; ngPort: number },
  readyTimeoutMs = 10_000,
): Promise<RtpengineInfo> => {
  const f = rtpFiles(dir);
  rmSync(f.pidfile, { force: true });
  const log = openSync(f.log, 'a');
  const args = [
    '--config-file=none', // never read /etc/rtpengine: the lab passes every option
    '--foreground',
    '--log-stderr',
    '--table=-1', // user space only: no kernel forwarding module needed
    '--interface=127.0.0.1',
    `--listen-ng=127.0.0.1:${ports.ngPort}`,
    `--port-min=${ports.portMin}`,
    `--port-max=${ports.portMax}`,
    `--pidfile=${f.pidfile}`,
    '--num-threads=2',
    '--delete-delay=0',
    `--log-level=${process.env.VIGIE_RTPENGINE_LOG_LEVEL ?? '5'}`, // 6–7 show ICE and DTLS
  ];
  const child = spawn(RTPENGINE, args, { detached: true, stdio: ['ignore', log, log] });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`impossible de lancer ${RTPENGINE}`);
  let exited = false;
  child.once('exit', () => (exited = true));
  child.once('error', () => (exited = true));
  child.unref();
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exited || !isAlive(pid)) throw new Error(`rtpengine s'est arrêté au démarrage :\n${logTail(dir)}`);
    if (await ngPing(ports.ngPort, 200)) return { ...ports, pid };
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
  throw new Error(`rtpengine ne répond pas après ${readyTimeoutMs} ms :\n${logTail(dir)}`);
};

/** Stop rtpengine by its pid (SIGTERM, then SIGKILL after `graceMs`) and wait until it has exited. */
export const stopRtpengine = async (pid: number, graceMs = 5_000): Promise<void> => {
  if (!isRtpengine(pid)) return;
  process.kill(pid, 'SIGTERM');
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline) {
    if (!isAlive(pid)) return;
    await sleep(50);
  }
  process.kill(pid, 'SIGKILL');
  for (let i = 0; i < 40 && isAlive(pid); i += 1) await sleep(50);
  if (isAlive(pid)) throw new Error(`rtpengine (pid ${pid}) ne s'arrête pas`);
};

/** The pid rtpengine wrote, if its pidfile exists (for diagnostics and a lab directory left by a crash). */
export const rtpenginePidFromFile = (dir: string): number | undefined => {
  const path = rtpFiles(dir).pidfile;
  if (!existsSync(path)) return undefined;
  const pid = Number(readFileSync(path, 'utf8').trim());
  return Number.isInteger(pid) && pid > 0 ? pid : undefined;
};
