import { existsSync } from 'node:fs';
import { moduleSchemas } from '../../core/modules.js';
import { databasePath, formatFailure, LAYOUT_VERSION, openDatabase } from '../../core/store/index.js';
import { headsTotal } from '../../core/store/chain.js';
import { verifySteps } from '../../core/store/verify.js';
import { verifyProjections } from '../../core/store/projections-check.js';
import { positionKeyPath, readKeyFile } from '../../core/trust/keys.js';
import { describeEquivocation } from '../../core/trust/equivocation.js';
import { formatTrustFailure, verifyTrust } from '../../core/trust/verify.js';
import { parseFlags, UsageError } from '../args.js';
import { progressLine } from '../progress.js';

/**
 * `vigie verify --data DIR | --db FILE [--chain-only]`, read-only (a backup can be checked in place, and a
 * running console is not disturbed): the file's pages (quick_check), every hash chain, every key
 * registration, checkpoint and countersignature signature (a chain recomputed without the position's key is
 * tampering), every projection table against a replay of the events (skipped with --chain-only), and the
 * countersignatures against the log: a position that showed different histories ends in FAIL too. Last line
 * `OK <n> events` and exit 0, or one `FAIL …` line naming the first bad event or row and exit 1. Progress of
 * the two long parts (chains, projection replay) on stderr (progress.ts).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    db: { type: 'string' },
    'chain-only': { type: 'boolean' },
  });
  if ((values.data === undefined) === (values.db === undefined))
    throw new UsageError('indiquer --data DIR ou --db FICHIER (un seul)');
  const file = values.db ?? databasePath(values.data ?? '');
  // 'none': every part is checked and reported below (damage outside the log is repaired by vigie repair).
  const db = openDatabase(
    file,
    values.data === undefined
      ? { readonly: true, startupCheck: 'none' }
      : { readonly: true, dataDir: values.data, startupCheck: 'none' },
  );
  const out = (line: string): void => void process.stdout.write(`${line}\n`);
  const started = performance.now();
  const elapsed = (): string => `${Math.round(performance.now() - started)} ms`;
  try {
    const version = db.pragma('user_version', { simple: true }) as number;
    const hasEvents =
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name IN ('events', 'heads')").all().length === 2;
    if (version < 1 || !hasEvents) {
      out(`FAIL ${file} n'est pas une base Vigie (aucun journal d'événements)`);
      return 1;
    }
    if (version > LAYOUT_VERSION) {
      process.stderr.write(
        `attention : base de schéma ${version}, plus récent que celui de cette version (${LAYOUT_VERSION})\n`,
      );
    }
    const pages = (db.pragma('quick_check') as { quick_check: string }[]).map((r) => r.quick_check);
    if (pages.length !== 1 || pages[0] !== 'ok') {
      const log = (db.pragma('quick_check(events)') as { quick_check: string }[]).map((r) => r.quick_check);
      const where =
        log.length === 1 && log[0] === 'ok'
          ? 'hors du journal (tables dérivées ou index) : lancer vigie repair'
          : 'dans le journal lui-même : restaurer une sauvegarde';
      out(`FAIL pages endommagées ${where} (${pages.slice(0, 2).join(' ; ').replaceAll('\n', ' ')})`);
      return 1;
    }
    const keyFile = values.data === undefined ? undefined : positionKeyPath(values.data);
    const localKey = keyFile !== undefined && existsSync(keyFile) ? readKeyFile(keyFile) : undefined;
    // One read transaction: the chains, the signatures and the projections are checked on one snapshot.
    return db.transaction((): number => {
      const total = headsTotal(db);
      const chainProgress = progressLine('chaînes', 'événements');
      const steps = verifySteps(db);
      let step = steps.next();
      for (; step.done !== true; step = steps.next()) chainProgress(step.value, total);
      const report = step.value;
      if (report.ok) chainProgress(report.events, total);
      for (const o of report.origins)
        out(`origine ${o.origin} : ${o.events} événements, tête seq ${o.headSeq} ${o.headHash}`);
      if (report.firstBad !== undefined) {
        out(formatFailure(report.firstBad));
        return 1;
      }
      out(`chaînes : ${report.events} événements vérifiés (${elapsed()})`);
      const trust = verifyTrust(db, localKey?.keyId);
      for (const o of trust.origins) {
        const head = report.origins.find((r) => r.origin === o.origin)?.headSeq ?? 0;
        out(
          `origine ${o.origin} : clé ${o.keyId ?? 'aucune'}${o.fingerprint === null ? '' : ` (empreinte ${o.fingerprint})`}, ` +
            `${o.checkpoints} points de contrôle signés, ${o.countersignatures} contre-signatures, couvert jusqu'au seq ${o.coveredSeq}${head > o.coveredSeq ? ` (${head - o.coveredSeq} événements après le dernier)` : ''}`,
        );
      }
      for (const o of report.origins)
        if (!trust.origins.some((t) => t.origin === o.origin))
          out(`attention : origine ${o.origin} sans clé enregistrée, chaîne non signée`);
      if (trust.failure !== undefined) {
        out(formatTrustFailure(trust.failure));
        return 1;
      }
      out(`signatures vérifiées (${elapsed()})`);
      // Another position's double history, shown by the witnesses' countersignatures (trust/equivocation.ts).
      for (const e of trust.equivocations) out(describeEquivocation(e));
      if (values['chain-only'] !== true) {
        const projections = verifyProjections(
          db,
          moduleSchemas(),
          progressLine('rejeu des projections', 'événements', 'comparaison des tables…'),
        );
        if (projections.firstDifference !== undefined) {
          out(
            `FAIL projection ${projections.firstDifference.table} ${projections.firstDifference.row}: ${projections.firstDifference.message}`,
          );
          return 1;
        }
        out(
          `projections : ${projections.tables} tables, ${projections.rows} lignes conformes aux événements (${elapsed()})`,
        );
      }
      if (trust.equivocations.length > 0) {
        out(`FAIL équivoque : ${trust.equivocations.length} constat(s) de postes aux historiques différents`);
        return 1;
      }
      out(`OK ${report.events} events`);
      return 0;
    })();
  } finally {
    db.close();
  }
};
