import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createInterface } from 'node:readline';
import { assertBuilt, cliPath, repoRoot } from './paths.js';

export interface Served {
  url: string;
  child: ChildProcess;
  stop(): Promise<void>;
}

/** Start `vigie serve` as a user would, read its one URL line, and stop it by PID afterwards. */
export const serve = async (args: string[], timeoutMs = 20_000): Promise<Served> => {
  assertBuilt();
  const child = spawn(process.execPath, [cliPath, 'serve', ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: child.stdout as NodeJS.ReadableStream });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`vigie serve muet après ${timeoutMs} ms\n${stderr}`)), timeoutMs);
    lines.on('line', (line) => {
      const match = /^Vigie prête : (\S+)$/.exec(line);
      if (match?.[1] !== undefined) {
        clearTimeout(timer);
        resolve(match[1]);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`vigie serve terminé (code ${code})\n${stderr}`));
    });
  });
  return {
    url,
    child,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
};
