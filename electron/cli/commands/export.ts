import { resolve } from 'node:path';
import { logbookFiltersSchema } from '../../contract/logbook.js';
import { loadFileConfig } from '../../core/config.js';
import { moduleSchemas } from '../../core/modules.js';
import { createLogbookService } from '../../core/logbook/service.js';
import { openStore } from '../../core/store/index.js';
import { positionKeyPath } from '../../core/trust/keys.js';
import { createTrustService } from '../../core/trust/service.js';
import { checkpointStatement, formatFingerprint } from '../../core/trust/signatures.js';
import { requestTimestamp } from '../../core/trust/tsa.js';
import { TIMESTAMPED, TRUST_AUTHOR } from '../../core/trust/events.js';
import { existingDataDir, parseFlags, required, UsageError } from '../args.js';

/**
 * `vigie export --data DIR --format pdf|csv|bundle --out FILE [--from ISO] [--to ISO] [--operation ID] [--shift ID]`:
 * the main courante (entries written between --from and --to, or linked to an operation or a shift: the
 * handover sheet) as a PDF for the archives, a CSV for a spreadsheet, or an evidence bundle (PDF, events,
 * inclusion proofs, signed checkpoint; checked offline by `vigie verify-export`). A signed checkpoint is
 * appended first and printed on every page; the data is verified before anything is written. Progress on stderr; on stdout the file, the number of
 * entries and the SHA-256 of the last event covered (the one printed in the PDF footer).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    format: { type: 'string' },
    out: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    operation: { type: 'string' },
    shift: { type: 'string' },
  });
  const dataDir = existingDataDir(values.data);
  const format = required(values.format, 'format');
  if (format !== 'pdf' && format !== 'csv' && format !== 'bundle') throw new UsageError('--format pdf, csv ou bundle');
  const out = resolve(required(values.out, 'out'));
  const parsed = logbookFiltersSchema.safeParse({
    ...(values.from !== undefined ? { from: values.from } : {}),
    ...(values.to !== undefined ? { to: values.to } : {}),
    ...(values.operation !== undefined ? { operationId: values.operation } : {}),
    ...(values.shift !== undefined ? { shiftId: values.shift } : {}),
  });
  if (!parsed.success)
    throw new UsageError(
      `dates ISO 8601 avec fuseau attendues (ex. 2026-11-29T00:00:00+11:00) : ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`,
    );
  const config = loadFileConfig(dataDir);
  const store = openStore({ dataDir, modules: moduleSchemas(), backup: false });
  try {
    const trust = createTrustService(store, positionKeyPath(dataDir));
    if (format === 'bundle') {
      const checkpoint = trust.checkpoint('export', { merkle: true });
      const url = config.trust.tsaUrl;
      let timestamp: { authority: string; response: string } | null = null;
      if (url !== undefined) {
        const response = (await requestTimestamp(url, checkpointStatement(checkpoint.payload))).toString('base64');
        store.append(TIMESTAMPED, { checkpointId: checkpoint.id, authority: url, response }, TRUST_AUTHOR);
        timestamp = { authority: url, response };
      }
      const { writeBundle } = await import('../../core/logbook/export/bundle.js');
      const started = performance.now();
      const result = await writeBundle(
        {
          db: store.db,
          directorate: config.directorate,
          positionName: config.positionName,
          exportDir: dataDir,
          now: Date.now,
        },
        { file: out, filters: parsed.data, checkpoint, key: trust.ensureKey(), timestamp },
      );
      process.stdout.write(
        `${result.file}\n${result.entries} inscriptions, ${result.bytes} octets (${Math.round(performance.now() - started)} ms)\n` +
          `point de contrôle signé seq ${checkpoint.payload.seq}, clé ${checkpoint.payload.keyId}${timestamp === null ? '' : ', horodaté'}\n` +
          `empreinte de la clé ${trust.fingerprint()}\n`,
      );
      return 0;
    }
    const service = createLogbookService(store, {
      positionName: config.positionName,
      directorate: config.directorate,
      exportDir: dataDir,
      beforeExport: () => void trust.checkpoint('export'),
    });
    const tty = process.stderr.isTTY;
    let lastShown = 0;
    const result = await service.exportLogbook({ format, filters: parsed.data, file: out }, (done, total) => {
      const now = Date.now();
      if (done < total && now - lastShown < 500) return;
      lastShown = now;
      const pct = total === 0 ? 100 : Math.floor((100 * done) / total);
      process.stderr.write(
        tty ? `\rexport ${format} : ${pct} % (${done}/${total})` : `export ${format} : ${pct} % (${done}/${total})\n`,
      );
    });
    if (tty) process.stderr.write('\n');
    process.stdout.write(
      `${result.file}\n${result.entries} inscriptions\nSHA-256 du dernier événement couvert : ${result.lastEventHash ?? '(aucun)'}\n` +
        (result.checkpoint === null || result.checkpoint === undefined
          ? ''
          : `point de contrôle signé seq ${result.checkpoint.seq}, empreinte de la clé ${formatFingerprint(trust.ensureKey().publicKey)}\n`),
    );
    return 0;
  } finally {
    store.close();
  }
};
