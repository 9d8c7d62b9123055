/** Writing in the main courante: append and correct. Nothing here (or anywhere) updates or deletes an entry. */
import type { LogbookEntry } from '../../contract/logbook.js';
import { VigieError } from '../../contract/result.js';
import type { Context } from './context.js';
import type { EntryPayload } from './event-types.js';
import { LOGBOOK_ENTRY } from './events.js';
import { getEntryRow, toEntries } from './queries.js';
import { requirePermission } from './sessions.js';
import { currentShiftRow } from './shifts.js';
import { checkEntryText } from './text.js';

/** A fact time this far after now is refused (clock drift between a wristwatch and the console is tolerated). */
const FUTURE_TOLERANCE_MS = 60_000;
/** A fact time older than this is almost always a mistyped date. */
const MAX_LATE_MS = 7 * 24 * 3600_000;

/** The entry an event wrote, or undefined (an event that wrote none, e.g. a link replayed twice). One read of its row. */
export const findEntry = (ctx: Context, id: string): LogbookEntry | undefined => {
  const row = getEntryRow(ctx.store.db, id);
  return row === undefined ? undefined : toEntries(ctx.store.db, [row])[0];
};

export const getEntry = (ctx: Context, id: string): LogbookEntry => {
  const entry = findEntry(ctx, id);
  if (entry === undefined) throw new VigieError('not_found', 'Inscription introuvable.');
  return entry;
};

const checkFactAt = (ctx: Context, factAt: string | undefined): string | undefined => {
  if (factAt === undefined) return undefined;
  const ms = Date.parse(factAt);
  const now = ctx.now();
  if (ms > now + FUTURE_TOLERANCE_MS)
    throw new VigieError('invalid_argument', 'L’heure des faits ne peut pas être postérieure à l’heure actuelle.');
  if (now - ms > MAX_LATE_MS)
    throw new VigieError('invalid_argument', 'L’heure des faits remonte à plus de 7 jours : vérifiez la date saisie.');
  return new Date(ms).toISOString();
};

const checkCategory = (ctx: Context, category: string): string => {
  if (!ctx.categories.includes(category)) {
    throw new VigieError(
      'invalid_argument',
      `Catégorie inconnue « ${category.slice(0, 40)} » (catégories : ${ctx.categories.join(', ')}).`,
    );
  }
  return category;
};

const checkOperation = (ctx: Context, operationId: string | undefined): void => {
  if (operationId === undefined) return;
  const row = ctx.store.db.prepare('SELECT status FROM operations WHERE operation_id = ?').get(operationId) as
    { status: string } | undefined;
  if (row === undefined) throw new VigieError('not_found', 'Opération introuvable.');
};

export interface AppendArgs {
  text: string;
  category: string;
  factAt?: string | undefined;
  important?: boolean | undefined;
  operationId?: string | undefined;
  callId?: string | undefined;
}

const write = (ctx: Context, payload: EntryPayload, author: string): LogbookEntry => {
  const event = ctx.store.append(LOGBOOK_ENTRY, payload, author);
  return getEntry(ctx, event.id);
};

/** Who writes: the signed-in user (with the role), or a named author of `vigie append` (no role). */
interface Signer {
  name: string;
  role?: EntryPayload['role'];
}

/** Every check of an entry and its payload, the same for the console and for `vigie append`. */
const entryPayload = (ctx: Context, args: AppendArgs, signer: Signer): EntryPayload => {
  const text = checkEntryText(args.text);
  const category = checkCategory(ctx, args.category);
  const factAt = checkFactAt(ctx, args.factAt);
  checkOperation(ctx, args.operationId);
  const shift = currentShiftRow(ctx);
  return {
    text,
    category,
    ...(factAt !== undefined ? { factAt } : {}),
    ...(args.important === true ? { important: true } : {}),
    ...(args.operationId !== undefined ? { operationId: args.operationId } : {}),
    ...(args.callId !== undefined ? { callId: args.callId } : {}),
    ...(shift !== undefined ? { shiftId: shift.shift_id } : {}),
    position: ctx.positionName,
    ...(signer.role !== undefined ? { role: signer.role } : {}),
  };
};

/** Number and time written are assigned by the projection inside the append transaction. */
export const appendEntry = (ctx: Context, args: AppendArgs): LogbookEntry => {
  const session = requirePermission(ctx, 'writeLogbook');
  return write(ctx, entryPayload(ctx, args, { name: session.userName, role: session.role }), session.userName);
};

/**
 * `vigie append`: lines of text from the command line, signed by `author`, in one transaction. Each line
 * goes through the same checks as an entry typed at the console; a refused line is reported by its index
 * and the others are written.
 */
export const appendLines = (
  ctx: Context,
  lines: readonly string[],
  fields: { author: string; category: string },
): { ids: (string | null)[]; refused: { index: number; message: string }[] } => {
  const refused: { index: number; message: string }[] = [];
  const items: { index: number; payload: EntryPayload }[] = [];
  lines.forEach((text, index) => {
    try {
      items.push({ index, payload: entryPayload(ctx, { text, category: fields.category }, { name: fields.author }) });
    } catch (error) {
      if (!(error instanceof VigieError)) throw error;
      refused.push({ index, message: error.message });
    }
  });
  const events = ctx.store.appendAll(
    items.map(({ payload }) => ({ type: LOGBOOK_ENTRY, payload, author: fields.author })),
  );
  const ids: (string | null)[] = lines.map(() => null);
  events.forEach((event, i) => {
    const item = items[i];
    if (item !== undefined) ids[item.index] = event.id;
  });
  return { ids, refused };
};

/**
 * "Rectifier": a new entry pointing at the original, which stays as it was and is shown as corrected.
 * The correction keeps the original's links (operation, call) and, unless given, its category.
 */
export const correctEntry = (
  ctx: Context,
  args: {
    entryId: string;
    text: string;
    category?: string | undefined;
    factAt?: string | undefined;
    important?: boolean | undefined;
  },
): LogbookEntry => {
  const session = requirePermission(ctx, 'writeLogbook');
  const original = getEntry(ctx, args.entryId);
  const text = checkEntryText(args.text);
  const category = args.category === undefined ? original.category : checkCategory(ctx, args.category);
  const factAt = checkFactAt(ctx, args.factAt);
  const shift = currentShiftRow(ctx);
  const payload: EntryPayload = {
    text,
    category,
    correctsId: original.id,
    ...(factAt !== undefined ? { factAt } : {}),
    ...((args.important ?? original.important) ? { important: true } : {}),
    ...(original.operationId !== null ? { operationId: original.operationId } : {}),
    ...(original.callId !== null ? { callId: original.callId } : {}),
    ...(shift !== undefined ? { shiftId: shift.shift_id } : {}),
    position: ctx.positionName,
    role: session.role,
  };
  return write(ctx, payload, session.userName);
};
