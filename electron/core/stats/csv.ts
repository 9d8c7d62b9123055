/**
 * The figures as CSV for a spreadsheet: `;` separated and a UTF-8 byte order mark, as French spreadsheet
 * software expects (RFC 4180 otherwise: CRLF line ends, fields quoted when they hold a separator or a quote).
 */
import type { StatsFigures, StatsGroupRow } from '../../contract/stats.js';
import { formatNoumea } from '../clock.js';

const field = (value: string | number | null): string => {
  const text = value === null ? '' : String(value);
  return /[;"\r\n]/.test(text) ? `"${text.replaceAll('"', '""')}"` : text;
};

const seconds = (ms: number | null): string => (ms === null ? '' : (ms / 1000).toFixed(1).replace('.', ','));
const share = (value: number | null): string => (value === null ? '' : String(value).replace('.', ','));

const line = (values: (string | number | null)[]): string => values.map(field).join(';');

const groupLines = (title: string, rows: StatsGroupRow[]): string[] => [
  '',
  line([title, 'présentés', 'décrochés', 'abandonnés', 'décroché médian (s)']),
  ...rows.map((row) => line([row.key, row.presented, row.answered, row.abandoned, seconds(row.medianAnswerMs)])),
];

export const figuresCsv = (figures: StatsFigures): string => {
  const lines = [
    line(['Période', formatNoumea(figures.from), formatNoumea(figures.to)]),
    line(['Appels présentés', figures.presented]),
    line(['Appels décrochés', figures.answered]),
    line(['Appels abandonnés', figures.abandoned]),
    line(['Taux d’abandon (%)', share(figures.abandonPercent)]),
    line(['Appels sortants', figures.outgoing]),
    line(['Délai de décroché médian (s)', seconds(figures.answerMs.median)]),
    line(['Délai de décroché 90e centile (s)', seconds(figures.answerMs.p90)]),
    line(['Délai de décroché 95e centile (s)', seconds(figures.answerMs.p95)]),
    ...figures.within.map((w) => line([`Décrochés en ${w.seconds} s au plus (%)`, share(w.percent)])),
    line(['Rappels à faire', figures.callbacks.created]),
    line(['Rappels effectués', figures.callbacks.called]),
    line(['Délai de rappel médian (s)', seconds(figures.callbacks.medianDelayMs)]),
    '',
    line(['Délai de décroché (s)', 'appels']),
    ...figures.distribution.map((b) =>
      line([b.toSeconds === null ? `plus de ${b.fromSeconds}` : `${b.fromSeconds} à ${b.toSeconds}`, b.count]),
    ),
    ...groupLines('Ligne', figures.byLine),
    ...groupLines('Heure', figures.byHour),
    ...groupLines('Opérateur', figures.byOperator),
  ];
  return `\uFEFF${lines.join('\r\n')}\r\n`;
};
