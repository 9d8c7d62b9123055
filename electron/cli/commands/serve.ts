import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../core/index.js';
import { appRoot, defaultDataDir } from '../../core/paths.js';
import { startHost } from '../../host/server.js';
import { parseFlags, UsageError } from '../args.js';

/** `vigie serve`: the console in a browser, on 127.0.0.1 only, until SIGINT/SIGTERM. */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    port: { type: 'string' },
  });
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port invalide : ${values.port}`);
  const rendererDir = join(appRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`interface non construite (${rendererDir}) : lancez d'abord « npm run build »`);
  }
  const dataDir = values.data ?? defaultDataDir();
  const core = await createCore({ dataDir });
  const host = await startHost({ core, rendererDir, port, log: (m) => process.stderr.write(`${m}\n`) });
  // One line, the URL with its token: scripts and tests read it.
  process.stdout.write(`Vigie prête : ${host.url}\n`);
  process.stderr.write(`Données : ${dataDir}\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await host.close();
  await core.close();
  return 0;
};
