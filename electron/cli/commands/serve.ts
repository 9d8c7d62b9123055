import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { createCore } from '../../core/index.js';
import { coreModules } from '../../core/modules.js';
import { appRoot, defaultDataDir } from '../../core/paths.js';
import { labTelephonyConfig } from '../../core/telephony/config.js';
import { startHost } from '../../host/server.js';
import { parseFlags, UsageError } from '../args.js';

const USER = /^[A-Za-z0-9._-]{1,32}$/;

/** `vigie serve`: the console in a browser, on 127.0.0.1 only, until SIGINT/SIGTERM. */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    port: { type: 'string' },
    lab: { type: 'string' },
    user: { type: 'string' },
    'auto-answer': { type: 'string' },
    media: { type: 'string' },
  });
  const media = values.media;
  if (media !== undefined && media !== 'renderer' && media !== 'null') {
    throw new UsageError(`--media : « renderer » (audio dans la page) ou « null » (signalisation seule) attendu`);
  }
  const mediaOverride: { media?: 'renderer' | 'null' } = media === undefined ? {} : { media };
  const port = values.port === undefined ? 0 : Number(values.port);
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new UsageError(`port invalide : ${values.port}`);
  if ((values.lab === undefined) !== (values.user === undefined)) {
    throw new UsageError('--lab et --user vont ensemble (ex. --lab DIR --user 1001)');
  }
  if (values.user !== undefined && !USER.test(values.user))
    throw new UsageError(`utilisateur SIP invalide : ${values.user}`);
  const autoAnswer = values['auto-answer'] === undefined ? undefined : Number(values['auto-answer']);
  if (autoAnswer !== undefined && !(Number.isFinite(autoAnswer) && autoAnswer >= 0 && autoAnswer <= 3600)) {
    throw new UsageError(`--auto-answer : un nombre de secondes entre 0 et 3600 est attendu`);
  }
  const rendererDir = join(appRoot(), 'dist', 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) {
    throw new Error(`interface non construite (${rendererDir}) : lancez d'abord « npm run build »`);
  }
  const dataDir = values.data ?? defaultDataDir();
  const telephony =
    values.lab !== undefined && values.user !== undefined
      ? // The lab's code (Kamailio, SIPp drivers) loads only when asked for: not on a console's start-up path.
        {
          ...labTelephonyConfig((await import('../../lab/index.js')).readLab(values.lab), values.user),
          ...mediaOverride,
        }
      : undefined;
  const core = await createCore(
    { dataDir },
    coreModules({
      telephony: {
        ...(telephony === undefined ? {} : { config: telephony }),
        ...(autoAnswer === undefined ? {} : { autoAnswerSeconds: autoAnswer }),
      },
    }),
  );
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
