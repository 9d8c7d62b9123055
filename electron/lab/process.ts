import { readdirSync, readFileSync } from 'node:fs';

/** Fields of /proc/PID/stat after the command name: state is field 3, pgrp field 5 (proc(5)). */
const statOf = (pid: number): { state: string; pgrp: number; comm: string } | null => {
  try {
    const text = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const close = text.lastIndexOf(')');
    const comm = text.slice(text.indexOf('(') + 1, close);
    const rest = text.slice(close + 2).split(' ');
    return { state: rest[0] ?? '?', pgrp: Number(rest[2]), comm };
  } catch {
    return null;
  }
};

/** True while the process exists and is not a zombie (a zombie has exited; only its parent's wait is missing). */
export const isAlive = (pid: number): boolean => {
  const stat = statOf(pid);
  return stat !== null && stat.state !== 'Z' && stat.state !== 'X';
};

/** True when `pid` is a live Kamailio: never signal a pid that the system reused for something else. */
export const isKamailio = (pid: number): boolean => isAlive(pid) && (statOf(pid)?.comm ?? '').startsWith('kamailio');

/** Live (non-zombie) members of a process group: Kamailio's main process and its workers. */
export const groupMembers = (pgid: number): number[] => {
  const members: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    const stat = statOf(Number(entry));
    if (stat !== null && stat.pgrp === pgid && stat.state !== 'Z' && stat.state !== 'X') members.push(Number(entry));
  }
  return members;
};

/** Signal the whole group (negative pid, kill(2)): SIGSTOP on the main process alone would leave the workers serving. */
export const signalGroup = (pgid: number, signal: NodeJS.Signals): void => {
  try {
    process.kill(-pgid, signal);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
};

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Wait until no live process remains in the group; false on timeout. */
export const waitGroupGone = async (pgid: number, timeoutMs: number): Promise<boolean> => {
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (groupMembers(pgid).length === 0) return true;
    await sleep(50);
  }
  return groupMembers(pgid).length === 0;
};
