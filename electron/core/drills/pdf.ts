/**
 * The drill report as a PDF (A4, DejaVu Sans as the main courante's export): timeline with durations,
 * what was done during the outage, the call-handling figures against the shift's normal ones, and the
 * integrity check. Built in memory: a report is one or two pages.
 */
import { join } from 'node:path';
import PDFDocument from 'pdfkit';
import {
  DRILL_MARK_LABELS,
  DRILL_MARKS,
  DRILL_MODE_LABELS,
  DRILL_SCENARIO_LABELS,
  type DrillReport,
} from '../../contract/drills.js';
import { formatSinceT0 } from '../../contract/durations.js';
import type { StatsFigures } from '../../contract/stats.js';
import { formatNoumea } from '../clock.js';
import { resourcesDir } from '../paths.js';

const FONT = 'DejaVu';
const FONT_BOLD = 'DejaVu-Bold';

const pct = (value: number | null): string => (value === null ? '—' : `${String(value).replace('.', ',')} %`);
const secs = (ms: number | null): string => (ms === null ? '—' : `${(ms / 1000).toFixed(1).replace('.', ',')} s`);

const figureRows = (f: StatsFigures): [string, string][] => [
  ['Appels présentés', String(f.presented)],
  ['Décrochés', String(f.answered)],
  ['Abandonnés', `${f.abandoned} (${pct(f.abandonPercent)})`],
  ['Délai de décroché médian', secs(f.answerMs.median)],
  ...f.within.map((w): [string, string] => [`Décrochés en ${w.seconds} s au plus`, pct(w.percent)]),
  ['Rappels effectués', `${f.callbacks.called}/${f.callbacks.created}`],
];

export const drillPdf = (report: DrillReport, position: string): Promise<Buffer> =>
  new Promise((resolve, reject) => {
    const doc = new PDFDocument({ size: 'A4', margin: 48, info: { Title: 'Rapport d’exercice', Creator: 'Vigie' } });
    doc.registerFont(FONT, join(resourcesDir(), 'fonts', 'DejaVuSans.ttf'));
    doc.registerFont(FONT_BOLD, join(resourcesDir(), 'fonts', 'DejaVuSans-Bold.ttf'));
    const chunks: Buffer[] = [];
    doc.on('data', (chunk: Buffer) => chunks.push(chunk));
    doc.on('end', () => resolve(Buffer.concat(chunks)));
    doc.on('error', reject);
    const { drill } = report;
    const heading = (text: string) => doc.moveDown(0.8).font(FONT_BOLD).fontSize(12).text(text).font(FONT).fontSize(10);
    const row = (label: string, value: string, x = 48) => {
      const y = doc.y;
      doc.text(label, x, y, { width: 250 });
      const after = doc.y;
      doc.text(value, x + 260, y, { width: 230 });
      doc.x = 48;
      doc.y = Math.max(after, doc.y);
    };

    doc.font(FONT_BOLD).fontSize(16).text('EXERCICE — Rapport d’exercice de mode dégradé');
    doc.font(FONT).fontSize(10).moveDown(0.3);
    doc.text(`Poste : ${position} · Scénario : ${DRILL_SCENARIO_LABELS[drill.scenario]}`);
    doc.text(`Mode : ${DRILL_MODE_LABELS[drill.mode]}`);
    doc.text(`Ordonné par : ${drill.startedBy} · clôturé par : ${drill.endedBy ?? '—'}`);
    doc.text(
      `Du ${formatNoumea(drill.startedAt)} au ${drill.endedAt === null ? '—' : formatNoumea(drill.endedAt)} (heure de Nouméa)`,
    );

    heading('Chronologie');
    for (const mark of DRILL_MARKS) {
      const at = drill.marks[mark];
      const duration = report.durations[mark];
      row(
        DRILL_MARK_LABELS[mark],
        at === undefined ? 'non atteint' : `${formatNoumea(at).slice(-8)} (${formatSinceT0(duration ?? 0)})`,
      );
    }

    heading('Pendant l’exercice');
    row('Inscriptions en main courante', String(report.counts.entries));
    row('Appels manuels (moyens de secours)', String(report.counts.manualCalls));
    row('Appels reçus par la téléphonie IP', String(report.counts.calls));

    heading('Traitement des appels : exercice / vacation avant l’exercice');
    doc.font(FONT_BOLD);
    row('', 'exercice   /   avant');
    doc.font(FONT);
    const during = figureRows(report.figures.drill);
    const before = figureRows(report.figures.before);
    during.forEach(([label, value], index) => row(label, `${value}   /   ${before[index]?.[1] ?? '—'}`));

    heading('Contrôle d’intégrité');
    doc.font(FONT_BOLD).text(report.integrity.ok ? 'CONFORME — rien n’a été perdu' : 'NON CONFORME');
    doc.font(FONT).text(report.integrity.detail);
    doc.end();
  });
