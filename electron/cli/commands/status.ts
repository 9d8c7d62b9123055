import { createCore } from '../../core/index.js';
import { existingDataDir, parseFlags } from '../args.js';

export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, { data: { type: 'string' }, json: { type: 'boolean' } });
  const core = await createCore({ dataDir: existingDataDir(values.data), startupCheck: 'full', services: false });
  try {
    const s = core.status();
    if (values.json === true) {
      process.stdout.write(`${JSON.stringify(s)}\n`);
      return 0;
    }
    const lines: [string, string][] = [
      ['Vigie', s.version],
      ['Poste', `${s.positionName} (${s.nodeId})`],
      ['Données', s.dataDir],
      ['Heure (Nouméa)', s.clock.local],
      ['Base', `${s.database.state} — ${s.database.detail} — ${s.database.events} événements`],
      ['Téléphonie', `${s.telephony.state} — ${s.telephony.detail}`],
      ['Réseau', `${s.network.state} — ${s.network.detail}`],
    ];
    for (const [k, v] of lines) process.stdout.write(`${k.padEnd(16)} ${v}\n`);
    return s.database.state === 'ok' ? 0 : 1;
  } finally {
    await core.close();
  }
};
