/** Shifts (vacations) and the handover (relève): both written as logbook entries by the projection. */
import { randomUUID } from 'node:crypto';
import { VigieError } from '../../contract/result.js';
import type { HandoverNote, HandoverPreview, Shift } from '../../contract/shift.js';
import { formatNoumea } from '../clock.js';
import type { Context } from './context.js';
import { cleanName } from './names.js';
import { requirePermission } from './sessions.js';
import { MAX_TEXT_CHARS, textTooLong } from '../../contract/logbook.js';

export interface ShiftRow {
  shift_id: string;
  team: string;
  opened_by: string;
  opened_ms: number;
  closed_by: string | null;
  closed_ms: number | null;
  handover: string | null;
}

const toShift = (row: ShiftRow): Shift => ({
  shiftId: row.shift_id,
  team: JSON.parse(row.team) as string[],
  openedBy: row.opened_by,
  openedAt: new Date(row.opened_ms).toISOString(),
  closedBy: row.closed_by,
  closedAt: row.closed_ms === null ? null : new Date(row.closed_ms).toISOString(),
  handover: row.handover === null ? null : (JSON.parse(row.handover) as HandoverNote),
});

/** The shift in progress in the room (any position), or undefined. */
export const currentShiftRow = (ctx: Context): ShiftRow | undefined =>
  ctx.store.db
    .prepare('SELECT * FROM shifts WHERE closed_ms IS NULL ORDER BY opened_ms DESC, rowid DESC LIMIT 1')
    .get() as ShiftRow | undefined;

export const currentShift = (ctx: Context): Shift | null => {
  const row = currentShiftRow(ctx);
  return row === undefined ? null : toShift(row);
};

export const lastHandover = (ctx: Context): Shift | null => {
  const row = ctx.store.db
    .prepare('SELECT * FROM shifts WHERE closed_ms IS NOT NULL ORDER BY closed_ms DESC, rowid DESC LIMIT 1')
    .get() as ShiftRow | undefined;
  return row === undefined ? null : toShift(row);
};

export const listShifts = (ctx: Context, limit = 50): Shift[] =>
  (
    ctx.store.db.prepare('SELECT * FROM shifts ORDER BY opened_ms DESC, rowid DESC LIMIT ?').all(limit) as ShiftRow[]
  ).map(toShift);

/** Chef de salle only; one shift at a time. The answer carries the last handover for the incoming team. */
export const openShift = (ctx: Context, args: { team: string[] }): { shift: Shift; lastHandover: Shift | null } => {
  const session = requirePermission(ctx, 'openCloseShift');
  const open = currentShiftRow(ctx);
  if (open !== undefined) {
    throw new VigieError(
      'conflict',
      `Une vacation est déjà ouverte (par ${open.opened_by}, le ${formatNoumea(open.opened_ms)}) : clôturez-la d’abord par la relève.`,
    );
  }
  const team = [...new Set(args.team.map(cleanName).filter((n) => n !== ''))];
  if (team.length === 0) throw new VigieError('invalid_argument', 'Indiquez au moins un membre de l’équipe.');
  const previous = lastHandover(ctx);
  const shiftId = randomUUID();
  ctx.store.append('shift.opened', { shiftId, team, position: ctx.positionName, role: session.role }, session.userName);
  const shift = currentShift(ctx);
  if (shift?.shiftId !== shiftId) throw new Error('vacation absente après son ouverture');
  return { shift, lastHandover: previous };
};

/** Open operations and pending callbacks (the calls module's table, when present) at this moment. */
export const handoverLists = (ctx: Context): Omit<HandoverNote, 'consignes'> => {
  const db = ctx.store.db;
  const openOperations = (
    db
      .prepare(
        `SELECT operation_id, title, commune FROM operations WHERE status = 'ouverte' ORDER BY created_ms LIMIT 500`,
      )
      .all() as {
      operation_id: string;
      title: string;
      commune: string;
    }[]
  ).map((o) => ({ id: o.operation_id, title: o.title, commune: o.commune }));
  const hasCallbacks =
    db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'callbacks'`).get() !== undefined;
  const pendingCallbacks = hasCallbacks
    ? (
        db
          .prepare(
            `SELECT id, number, name, line_label, created_at, attempts FROM callbacks WHERE status = 'pending'
             ORDER BY created_at LIMIT 2000`,
          )
          .all() as {
          id: string;
          number: string;
          name: string | null;
          line_label: string;
          created_at: number;
          attempts: number;
        }[]
      ).map((c) => ({
        id: c.id,
        number: c.number.slice(0, 64),
        // The name only when it says more than the number (a caller without a name shows the number once).
        label: `${c.line_label}${c.name !== null && c.name !== '' && c.name !== c.number ? ` — ${c.name}` : ''}`.slice(
          0,
          200,
        ),
        abandonedAt: new Date(c.created_at).toISOString(),
        attempts: c.attempts,
      }))
    : [];
  return { openOperations, pendingCallbacks };
};

export const closeShift = (ctx: Context, args: { consignes: string }): Shift => {
  const session = requirePermission(ctx, 'openCloseShift');
  const open = currentShiftRow(ctx);
  if (open === undefined) throw new VigieError('conflict', 'Aucune vacation ouverte à clôturer.');
  const consignes = args.consignes.normalize('NFC').trim();
  if (textTooLong(consignes))
    throw new VigieError('invalid_argument', `Consignes trop longues (${MAX_TEXT_CHARS} caractères au plus).`);
  const lists = handoverLists(ctx);
  ctx.store.append(
    'shift.closed',
    { shiftId: open.shift_id, consignes, ...lists, position: ctx.positionName, role: session.role },
    session.userName,
  );
  const row = ctx.store.db.prepare('SELECT * FROM shifts WHERE shift_id = ?').get(open.shift_id) as ShiftRow;
  return toShift(row);
};

/** The handover `closeShift` would write now, for the chef de salle to read before confirming. */
export const previewHandover = (ctx: Context): HandoverPreview => {
  requirePermission(ctx, 'openCloseShift');
  const open = currentShiftRow(ctx);
  if (open === undefined) throw new VigieError('conflict', 'Aucune vacation ouverte à clôturer.');
  const entries = (
    ctx.store.db.prepare('SELECT count(*) AS n FROM logbook_entries WHERE shift_id = ?').get(open.shift_id) as {
      n: number;
    }
  ).n;
  return { shift: toShift(open), ...handoverLists(ctx), entries };
};
