import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdirSync, openSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join, resolve } from 'node:path';
import { z } from 'zod';
import { renderKamailioConfig, renderPasswordsRoute } from './kamailio-config.js';
import { freeTcpPort, freeUdpPortDistinctFrom } from './ports.js';
import { isAlive, isKamailio, signalGroup, sleep, waitGroupGone } from './process.js';
import { isRtpengine, rtpPortBlock, startRtpengine, stopRtpengine, type RtpengineInfo } from './rtpengine.js';
import { optionsPing } from './udp.js';

export interface LabInfo {
  dir: string;
  /** "127.0.0.1:PORT": where SIPp callers and raw UDP tests send. */
  sipUdp: string;
  /** ws://127.0.0.1:PORT: the registrar URL for sip.js positions. */
  wsUrl: string;
  pid: number;
  rundir: string;
  /** Users that need digest auth to REGISTER (their passwords stay in the lab directory only). */
  users: string[];
  /** The media relay Kamailio drives (ng control port, pid, its RTP port block on 127.0.0.1). */
  rtpengine: RtpengineInfo;
}

const labInfoSchema = z.object({
  dir: z.string(),
  sipUdp: z.string(),
  wsUrl: z.string(),
  pid: z.number().int().positive(),
  rundir: z.string(),
  users: z.array(z.string()),
  rtpengine: z.object({
    ngPort: z.number().int().positive(),
    pid: z.number().int().positive(),
    portMin: z.number().int().positive(),
    portMax: z.number().int().positive(),
  }),
});

export interface LabUpOptions {
  dir: string;
  /** user → password: REGISTER for these users needs digest auth; other users register openly. */
  users?: Readonly<Record<string, string>>;
  /** How long to wait for Kamailio to answer before giving up. */
  readyTimeoutMs?: number;
}

const KAMAILIO = process.env.VIGIE_KAMAILIO ?? 'kamailio';
const files = (dir: string) => ({
  info: join(dir, 'lab.json'),
  config: join(dir, 'kamailio.cfg'),
  passwords: join(dir, 'passwords.cfg'),
  log: join(dir, 'kamailio.log'),
  rundir: join(dir, 'run'),
});

export const readLab = (dir: string): LabInfo => {
  const path = files(resolve(dir)).info;
  if (!existsSync(path)) throw new Error(`aucun laboratoire dans ${dir} (lab.json absent)`);
  return labInfoSchema.parse(JSON.parse(readFileSync(path, 'utf8')));
};

const writeLab = (info: LabInfo): void => {
  const path = files(info.dir).info;
  writeFileSync(`${path}.tmp`, `${JSON.stringify(info, null, 2)}\n`);
  renameSync(`${path}.tmp`, path);
};

const portOf = (address: string): number => Number(address.slice(address.lastIndexOf(':') + 1));

const tcpAccepts = (port: number): Promise<boolean> =>
  new Promise((done) => {
    const socket = connect({ host: '127.0.0.1', port });
    socket.once('connect', () => {
      socket.destroy();
      done(true);
    });
    socket.once('error', () => done(false));
  });

const logTail = (dir: string): string => {
  try {
    return readFileSync(files(dir).log, 'utf8').split('\n').slice(-15).join('\n');
  } catch {
    return '(pas de journal)';
  }
};

/**
 * Start Kamailio detached (its own process group, so that a test can SIGSTOP all its processes at once) with
 * the configuration already written in `dir`, and wait until both its UDP and WebSocket listeners answer.
 */
const startKamailio = async (dir: string, sipUdp: string, wsPort: number, readyTimeoutMs: number): Promise<number> => {
  const f = files(dir);
  mkdirSync(f.rundir, { recursive: true });
  const log = openSync(f.log, 'a');
  // -DD: no daemonising, the spawned pid stays the main process; -E: log to stderr (the lab's log file).
  const child = spawn(KAMAILIO, ['-DD', '-E', '-m', '64', '-M', '8', '-Y', f.rundir, '-f', f.config], {
    detached: true,
    stdio: ['ignore', log, log],
  });
  closeSync(log);
  const pid = child.pid;
  if (pid === undefined) throw new Error(`impossible de lancer ${KAMAILIO}`);
  let exited = false;
  child.once('exit', () => {
    exited = true;
  });
  child.once('error', () => {
    exited = true;
  });
  child.unref();
  const deadline = Date.now() + readyTimeoutMs;
  while (Date.now() < deadline) {
    if (exited || !isAlive(pid)) throw new Error(`Kamailio s'est arrêté au démarrage :\n${logTail(dir)}`);
    if ((await tcpAccepts(wsPort)) && (await optionsPing(sipUdp, 300))) return pid;
    await sleep(100);
  }
  signalGroup(pid, 'SIGKILL');
  throw new Error(`Kamailio ne répond pas après ${readyTimeoutMs} ms :\n${logTail(dir)}`);
};

/** `vigie lab up`: configuration with free ports in `dir`, Kamailio started detached, DIR/lab.json written. */
export const labUp = async (opts: LabUpOptions): Promise<LabInfo> => {
  const dir = resolve(opts.dir);
  const f = files(dir);
  if (existsSync(f.info)) {
    const previous = readLab(dir);
    if (isKamailio(previous.pid)) throw new Error(`le laboratoire ${dir} tourne déjà (pid ${previous.pid})`);
  }
  mkdirSync(f.rundir, { recursive: true });
  const users = opts.users ?? {};
  writeFileSync(f.passwords, renderPasswordsRoute(users), { mode: 0o600 });
  // The relay first: Kamailio's configuration names its control port.
  const rtpengine = await startRtpengine(dir, await rtpPortBlock());
  try {
    // A port found free can be taken by another lab before Kamailio binds it: then try other ports.
    for (let attempt = 1; ; attempt += 1) {
      const wsPort = await freeTcpPort();
      const udpPort = await freeUdpPortDistinctFrom([wsPort]);
      writeFileSync(
        f.config,
        renderKamailioConfig({
          udpPort,
          wsPort,
          rundir: f.rundir,
          passwordsFile: f.passwords,
          rtpengineNgPort: rtpengine.ngPort,
        }),
      );
      const sipUdp = `127.0.0.1:${udpPort}`;
      writeFileSync(f.log, ''); // logTail below must see this attempt only
      let pid: number;
      try {
        pid = await startKamailio(dir, sipUdp, wsPort, opts.readyTimeoutMs ?? 15_000);
      } catch (error) {
        if (attempt < 3 && /Address already in use/.test(logTail(dir))) continue;
        throw error;
      }
      const info: LabInfo = {
        dir,
        sipUdp,
        wsUrl: `ws://127.0.0.1:${wsPort}`,
        pid,
        rundir: f.rundir,
        users: Object.keys(users),
        rtpengine,
      };
      writeLab(info);
      return info;
    }
  } catch (error) {
    await stopRtpengine(rtpengine.pid);
    throw error;
  }
};

/** Stop by pid (SIGTERM, SIGKILL after `graceMs`) and wait until every Kamailio process of the lab exited. */
export const labStop = async (dir: string, graceMs = 5_000): Promise<void> => {
  const info = readLab(dir);
  if (!isKamailio(info.pid)) {
    await waitGroupGone(info.pid, 2_000); // workers of a killed main process exit on their own
    return;
  }
  signalGroup(info.pid, 'SIGCONT'); // a SIGSTOPped lab cannot handle SIGTERM
  process.kill(info.pid, 'SIGTERM'); // the main process stops its workers
  if (await waitGroupGone(info.pid, graceMs)) return;
  signalGroup(info.pid, 'SIGKILL');
  if (!(await waitGroupGone(info.pid, graceMs))) throw new Error(`Kamailio (pid ${info.pid}) ne s'arrête pas`);
};

/** `vigie lab down`: stop Kamailio, then rtpengine, each by pid. The lab directory (config, logs) stays. */
export const labDown = async (opts: { dir: string }): Promise<void> => {
  const dir = resolve(opts.dir);
  try {
    await labStop(dir);
  } finally {
    await stopRtpengine(readLab(dir).rtpengine.pid);
  }
};

/** For tests: SIGKILL every process of the lab (a crash), and wait until they are gone. */
export const labKill = async (dir: string): Promise<void> => {
  const info = readLab(dir);
  signalGroup(info.pid, 'SIGKILL');
  if (!(await waitGroupGone(info.pid, 5_000))) throw new Error(`Kamailio (pid ${info.pid}) survit à SIGKILL`);
};

/** For tests: SIGSTOP (hung server: sockets stay open, nothing answers) or SIGCONT the whole lab. */
export const labSignal = (dir: string, signal: 'SIGSTOP' | 'SIGCONT'): void => {
  const info = readLab(dir);
  if (!isAlive(info.pid)) throw new Error(`Kamailio (pid ${info.pid}) n'est pas en marche`);
  signalGroup(info.pid, signal);
};

/**
 * Start the lab again with the same ports and configuration (after labKill/labStop/labDown); updates
 * lab.json. The media relay keeps running across a Kamailio restart; it is started again (same ports) only
 * if it was stopped too.
 */
export const labRestart = async (dir: string, readyTimeoutMs = 15_000): Promise<LabInfo> => {
  const info = readLab(dir);
  await labStop(info.dir);
  const rtpengine = isRtpengine(info.rtpengine.pid)
    ? info.rtpengine
    : await startRtpengine(info.dir, info.rtpengine, readyTimeoutMs);
  const pid = await startKamailio(info.dir, info.sipUdp, portOf(info.wsUrl), readyTimeoutMs);
  const next = { ...info, pid, rtpengine };
  writeLab(next);
  return next;
};
