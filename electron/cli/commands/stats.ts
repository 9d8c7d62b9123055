import { formatNoumea } from '../../core/clock.js';
import { figuresCsv } from '../../core/stats/csv.js';
import { computeFigures } from '../../core/stats/figures.js';
import { callbacksInRange, callsInRange, resolveRange } from '../../core/stats/queries.js';
import { databasePath, openDatabase } from '../../core/store/index.js';
import { parseFlags, required, UsageError } from '../args.js';

const seconds = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1)} s`);
const share = (value: number | null): string => (value === null ? '—' : `${value} %`);

/** A date alone (aaaa-mm-jj) means midnight in Nouméa; anything else must be ISO 8601 with an offset. */
const instant = (value: string | undefined, flag: string): string | undefined => {
  if (value === undefined) return undefined;
  const text = /^\d{4}-\d{2}-\d{2}$/.test(value) ? `${value}T00:00:00+11:00` : value;
  if (Number.isNaN(Date.parse(text)) || !/(Z|[+-]\d{2}:\d{2})$/.test(text)) {
    throw new UsageError(`--${flag} : date attendue (aaaa-mm-jj, ou ISO 8601 avec fuseau)`);
  }
  return new Date(text).toISOString();
};

/**
 * `vigie stats --data DIR [--from D] [--to D] [--csv | --json]`: the call-handling figures of a period
 * (default: the last 12 hours), read-only beside a running console (WAL readers, https://sqlite.org/wal.html).
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    csv: { type: 'boolean' },
    json: { type: 'boolean' },
  });
  const dataDir = required(values.data, 'data');
  const from = instant(values.from, 'from');
  const to = instant(values.to, 'to');
  const range = resolveRange(
    { ...(from === undefined ? {} : { from }), ...(to === undefined ? {} : { to }) },
    Date.now(),
  );
  const db = openDatabase(databasePath(dataDir), { readonly: true, dataDir });
  try {
    const figures = computeFigures(range, callsInRange(db, range), callbacksInRange(db, range));
    const out = (line: string): void => void process.stdout.write(`${line}\n`);
    if (values.csv === true) process.stdout.write(figuresCsv(figures));
    else if (values.json === true) out(JSON.stringify(figures));
    else {
      out(`Période : ${formatNoumea(figures.from)} → ${formatNoumea(figures.to)}`);
      out(
        `Appels présentés : ${figures.presented}, décrochés : ${figures.answered}, abandonnés : ${figures.abandoned} (${share(figures.abandonPercent)})`,
      );
      out(
        `Délai de décroché : médian ${seconds(figures.answerMs.median)}, 90e centile ${seconds(figures.answerMs.p90)}, 95e centile ${seconds(figures.answerMs.p95)}`,
      );
      for (const w of figures.within) out(`Décrochés en ${w.seconds} s au plus : ${share(w.percent)} (${w.count})`);
      out(
        `Rappels : ${figures.callbacks.called}/${figures.callbacks.created} effectués, délai médian ${seconds(figures.callbacks.medianDelayMs)}`,
      );
    }
    return 0;
  } finally {
    db.close();
  }
};
