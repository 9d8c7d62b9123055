/**
 * The printable main courante: A4, a header on every page (directorate, position, period), "page n / N"
 * and the SHA-256 of the last event covered in every footer, one block per entry.
 *
 * "page n / N" needs N before the first page is written. Rather than buffering every page in memory
 * (pdfkit's bufferPages, unbounded for a year of log), the document is laid out twice with the same
 * code: a first pass into a sink that discards bytes counts the pages, the second writes the file.
 * Both passes read the entries in batches and yield to the event loop between batches, so a long
 * export never blocks the core for more than one batch.
 */
import { createWriteStream } from 'node:fs';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { finished } from 'node:stream/promises';
import { setImmediate as yieldToLoop } from 'node:timers/promises';
import PDFDocument from 'pdfkit';
import type { ExportCheckpoint, LogbookEntry } from '../../../contract/logbook.js';
import { roleName } from '../../../contract/session.js';
import { formatNoumea } from '../../clock.js';
import { resourcesDir } from '../../paths.js';

export interface PdfHeader {
  directorate: string;
  position: string;
  /** e.g. "du 29/11/2026 00:00:00 au 29/11/2026 23:59:59 (heure de Nouméa)". */
  period: string;
  lastEventHash: string | null;
  /** This position's latest signed checkpoint (trust module) and its key's fingerprint, or null. */
  checkpoint?: ExportCheckpoint | null;
}

/** A fresh pass over the entries to print, oldest first, in batches. */
export type BatchSource = () => AsyncIterable<readonly LogbookEntry[]>;

const MARGIN = 50;
const HEADER_HEIGHT = 42;
const FOOTER_HEIGHT = 56;
const FONT = 'Vigie';
const FONT_BOLD = 'Vigie-Bold';
const SIZE_TITLE = 9.5;
const SIZE_META = 8;
const SIZE_TEXT = 9.5;
const GAP = 7;
const YIELD_EVERY = 20;

const fontsDir = (): string => join(resourcesDir(), 'fonts');

const newDocument = (): PDFKit.PDFDocument => {
  const doc = new PDFDocument({
    size: 'A4',
    autoFirstPage: false,
    margins: { top: MARGIN + HEADER_HEIGHT, bottom: MARGIN + FOOTER_HEIGHT, left: MARGIN, right: MARGIN },
    info: { Title: 'Main courante', Creator: 'Vigie' },
  });
  // DejaVu Sans covers far more than WinAnsi (Helvetica's encoding): names and texts print as typed.
  doc.registerFont(FONT, join(fontsDir(), 'DejaVuSans.ttf'));
  doc.registerFont(FONT_BOLD, join(fontsDir(), 'DejaVuSans-Bold.ttf'));
  return doc;
};

const drawFrame = (doc: PDFKit.PDFDocument, header: PdfHeader, page: number, totalPages: number | null): void => {
  const { x, y } = doc;
  const savedBottom = doc.page.margins.bottom;
  // Writing below the bottom margin would make pdfkit open another page: lift the margin meanwhile.
  doc.page.margins.bottom = 0;
  const width = doc.page.width - 2 * MARGIN;
  doc.font(FONT_BOLD).fontSize(10).fillColor('black');
  doc.text(header.directorate, MARGIN, MARGIN, { width, lineBreak: false, ellipsis: true });
  doc.font(FONT).fontSize(8.5);
  doc.text(`Main courante — poste ${header.position} — ${header.period}`, MARGIN, MARGIN + 14, {
    width,
    lineBreak: false,
    ellipsis: true,
  });
  doc
    .moveTo(MARGIN, MARGIN + 30)
    .lineTo(doc.page.width - MARGIN, MARGIN + 30)
    .lineWidth(0.5)
    .stroke();
  const footerY = doc.page.height - MARGIN - FOOTER_HEIGHT + 8;
  doc
    .moveTo(MARGIN, footerY - 4)
    .lineTo(doc.page.width - MARGIN, footerY - 4)
    .stroke();
  doc.fontSize(7);
  const hash = header.lastEventHash ?? 'aucun événement';
  // Label and hash on two lines: together they are wider than the space left of "page n / N" at this size.
  doc.text('SHA-256 du dernier événement couvert :', MARGIN, footerY, { width: width - 70, lineBreak: false });
  doc.text(hash, MARGIN, footerY + 9, { width: width - 70, lineBreak: false });
  const cp = header.checkpoint;
  const lines =
    cp === null || cp === undefined
      ? ['Point de contrôle signé : aucun (poste sans clé de signature)']
      : [
          `Point de contrôle signé : seq ${cp.seq} du ${formatNoumea(Date.parse(cp.time))} (Nouméa), clé ${cp.keyId}, tête :`,
          cp.headHash,
          `Empreinte SHA-256 de la clé Ed25519 du poste : ${cp.fingerprint}`,
        ];
  lines.forEach((line, i) => doc.text(line, MARGIN, footerY + 18 + 9 * i, { width, lineBreak: false }));
  doc.fontSize(8.5);
  doc.text(`page ${page} / ${totalPages ?? '…'}`, MARGIN, footerY, { width, align: 'right', lineBreak: false });
  doc.page.margins.bottom = savedBottom;
  doc.x = x;
  doc.y = y;
};

const titleLine = (e: LogbookEntry): string =>
  [
    `n° ${e.number}`,
    e.day,
    e.position,
    e.category.toUpperCase(),
    e.important ? '★ IMPORTANT' : null,
    e.correctedBy.length > 0 ? 'RECTIFIÉE' : null,
  ]
    .filter((s) => s !== null)
    .join('  ·  ');

const metaLine = (e: LogbookEntry): string =>
  `Écrit le ${formatNoumea(Date.parse(e.writtenAt))} — fait le ${formatNoumea(Date.parse(e.factAt))}${e.late ? ' (saisie différée)' : ''} — ${e.author}${
    e.role !== null ? ` (${roleName(e.role)})` : ''
  }`;

const linkLines = (e: LogbookEntry): string[] => [
  ...(e.corrects !== null ? [`Rectificatif de l’inscription ${e.correctsReference ?? e.corrects}`] : []),
  ...(e.correctedBy.length > 0 ? [`Rectifiée par : ${e.correctedBy.map((c) => c.reference).join(', ')}`] : []),
  ...(e.operationId !== null ? [`Opération : ${e.operationId}`] : []),
  ...(e.callId !== null ? [`Appel : ${e.callId}`] : []),
];

const drawEntry = (doc: PDFKit.PDFDocument, e: LogbookEntry): void => {
  const width = doc.page.width - 2 * MARGIN;
  const title = titleLine(e);
  const meta = metaLine(e);
  const links = linkLines(e).join('\n');
  const height =
    doc.font(FONT_BOLD).fontSize(SIZE_TITLE).heightOfString(title, { width }) +
    doc.font(FONT).fontSize(SIZE_META).heightOfString(meta, { width }) +
    (links === '' ? 0 : doc.heightOfString(links, { width })) +
    doc.fontSize(SIZE_TEXT).heightOfString(e.text, { width });
  const bottom = doc.page.height - doc.page.margins.bottom;
  const body = bottom - doc.page.margins.top;
  // Keep an entry on one page when it fits on a page at all; longer ones flow onto the next.
  if (doc.y + height > bottom && height <= body) doc.addPage();
  doc
    .font(FONT_BOLD)
    .fontSize(SIZE_TITLE)
    .fillColor(e.correctedBy.length > 0 ? '#7a4b00' : 'black')
    .text(title, MARGIN, doc.y, { width });
  doc.font(FONT).fontSize(SIZE_META).fillColor('#333333').text(meta, { width });
  if (links !== '') doc.fillColor('#7a4b00').text(links, { width });
  doc.fontSize(SIZE_TEXT).fillColor('black').text(e.text, { width });
  doc.y += GAP;
};

/** One layout pass; returns the number of pages. `out` null: the bytes are discarded (counting pass). */
const renderPass = async (
  out: NodeJS.WritableStream | null,
  header: PdfHeader,
  source: BatchSource,
  totalPages: number | null,
  onEntries: (n: number) => void,
): Promise<number> => {
  const doc = newDocument();
  const sink = out ?? new Writable({ write: (_chunk, _enc, done) => done() });
  doc.pipe(sink);
  let pages = 0;
  doc.on('pageAdded', () => {
    pages += 1;
    drawFrame(doc, header, pages, totalPages);
  });
  doc.addPage();
  let count = 0;
  for await (const batch of source()) {
    // Laying out text is the slow part (about half a millisecond per entry): give the event loop
    // back every YIELD_EVERY entries so that the core keeps answering during a long export.
    for (let i = 0; i < batch.length; i += 1) {
      const entry = batch[i];
      if (entry !== undefined) drawEntry(doc, entry);
      if ((i + 1) % YIELD_EVERY === 0) await yieldToLoop();
    }
    count += batch.length;
    onEntries(batch.length);
    await yieldToLoop();
  }
  if (count === 0) doc.font(FONT).fontSize(SIZE_TEXT).text('Aucune inscription sur la période.');
  doc.end();
  await finished(sink);
  return pages;
};

/** Writes the PDF at `file`; `onProgress(done)` counts entries processed over both passes. */
export const writePdf = async (
  file: string,
  header: PdfHeader,
  source: BatchSource,
  onProgress: (done: number) => void,
): Promise<{ pages: number }> => {
  let done = 0;
  const step = (n: number): void => {
    done += n;
    onProgress(done);
  };
  const pages = await renderPass(null, header, source, null, step);
  const written = await renderPass(createWriteStream(file), header, source, pages, step);
  if (written !== pages) throw new Error(`mise en page instable : ${pages} puis ${written} pages`);
  return { pages };
};
