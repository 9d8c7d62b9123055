import { verifyBundle } from '../../core/logbook/export/verify-bundle.js';
import { parseFlags, UsageError } from '../args.js';

/**
 * `vigie verify-export FICHIER [--fingerprint EMPREINTE] [--tsa-ca CERT]`: checks an evidence bundle offline
 * (no database, no key file). Prints each failure, then `OK <n> inscriptions` (exit 0) or `REFUSÉ` (exit 1).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values, positionals } = parseFlags(argv, { fingerprint: { type: 'string' }, 'tsa-ca': { type: 'string' } });
  const file = positionals[0];
  if (file === undefined || positionals.length !== 1) throw new UsageError('un fichier de preuve à vérifier');
  const started = performance.now();
  const report = verifyBundle(file, {
    ...(values.fingerprint !== undefined ? { fingerprint: values.fingerprint } : {}),
    ...(values['tsa-ca'] !== undefined ? { tsaCa: values['tsa-ca'] } : {}),
  });
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  if (report.checkpoint !== null)
    out(
      `point de contrôle : origine ${report.checkpoint.origin}, seq ${report.checkpoint.seq}, ${report.checkpoint.time}`,
    );
  if (report.fingerprint !== null) out(`empreinte de la clé : ${report.fingerprint}`);
  out(
    `horodatage RFC 3161 : ${{ absent: 'aucun', imprint: 'empreinte du jeton conforme (autorité non vérifiée : --tsa-ca)', verified: 'vérifié (openssl ts -verify)', unchecked: 'non vérifié (openssl absent)' }[report.timestamp]}`,
  );
  for (const f of report.failures) out(`ÉCHEC ${f}`);
  out(report.ok ? `OK ${report.entries} inscriptions (${Math.round(performance.now() - started)} ms)` : 'REFUSÉ');
  return report.ok ? 0 : 1;
};
