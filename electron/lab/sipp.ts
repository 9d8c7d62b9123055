import { spawn } from 'node:child_process';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface SippResult {
  exitCode: number;
  successful: number;
  failed: number;
  /** SIPp's own output (stdout + stderr), for diagnostics. */
  output: string;
}

export interface SippRun {
  pid: number;
  done: Promise<SippResult>;
  /** SIGTERM to this SIPp (by pid) if it is still running; `done` then resolves. */
  stop: () => void;
}

const SIPP = process.env.VIGIE_SIPP ?? 'sipp';

/**
 * SIPp's cumulative counters from its -trace_stat CSV (`;`-separated, one header line, one line per dump,
 * the last one written at exit). The final screen prints 0 for some counters, the CSV does not.
 */
export const readSippCounts = (statFile: string): { successful: number; failed: number } => {
  if (!existsSync(statFile)) return { successful: 0, failed: 0 };
  const lines = readFileSync(statFile, 'latin1')
    .split('\n')
    .filter((line) => line.trim() !== '');
  const header = (lines[0] ?? '').split(';');
  const last = (lines[lines.length - 1] ?? '').split(';');
  if (lines.length < 2) return { successful: 0, failed: 0 };
  const column = (name: string): number => {
    const index = header.indexOf(name);
    return index === -1 ? 0 : Number(last[index] ?? 0) || 0;
  };
  return { successful: column('SuccessfulCall(C)'), failed: column('FailedCall(C)') };
};

/** Run SIPp with its working directory and statistics in `workDir`; never attached to a terminal. */
export const runSipp = (args: readonly string[], workDir: string): SippRun => {
  const statFile = join(workDir, 'stats.csv');
  const fullArgs = [
    ...args,
    '-nostdin',
    '-trace_stat',
    '-stf',
    statFile,
    '-fd',
    '1',
    '-trace_err',
    '-error_file',
    join(workDir, 'errors.log'),
  ];
  const child = spawn(SIPP, fullArgs, { cwd: workDir, stdio: ['ignore', 'pipe', 'pipe'] });
  const chunks: Buffer[] = [];
  child.stdout.on('data', (chunk: Buffer) => chunks.push(chunk));
  child.stderr.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise<SippResult>((resolve) => {
    const finish = (code: number): void => {
      const output = Buffer.concat(chunks).toString('latin1');
      writeFileSync(join(workDir, 'sipp.out'), output);
      resolve({ exitCode: code, ...readSippCounts(statFile), output });
    };
    child.once('error', (error) => {
      chunks.push(Buffer.from(`\n${error.message}\n`));
      finish(-1);
    });
    child.once('close', (code, signal) => finish(code ?? (signal === null ? -1 : 128)));
  });
  const pid = child.pid ?? -1;
  return {
    pid,
    done,
    stop: () => {
      if (child.exitCode === null && child.signalCode === null && pid > 0) process.kill(pid, 'SIGTERM');
    },
  };
};
