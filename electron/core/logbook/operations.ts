/** Operations (événements: "Cyclone Niko", "Feu de brousse Boulouparis") and their chronology. */
import { randomUUID } from 'node:crypto';
import type { LinkedCall, Operation, OperationStatus, OperationSummary } from '../../contract/operation.js';
import { VigieError } from '../../contract/result.js';
import { findCommune } from './communes.js';
import type { Context } from './context.js';
import type { LogbookEntry } from '../../contract/logbook.js';
import type { EntryRow } from './queries.js';
import { toEntries } from './queries.js';
import { requirePermission, requireSession } from './sessions.js';

interface OperationRow {
  operation_id: string;
  title: string;
  type: string;
  commune_id: string;
  commune: string;
  province: string;
  status: OperationStatus;
  created_by: string;
  created_ms: number;
  closed_by: string | null;
  closed_ms: number | null;
}

const toOperation = (r: OperationRow): Operation => ({
  operationId: r.operation_id,
  title: r.title,
  type: r.type,
  communeId: r.commune_id,
  commune: r.commune,
  province: r.province,
  status: r.status,
  createdBy: r.created_by,
  createdAt: new Date(r.created_ms).toISOString(),
  closedBy: r.closed_by,
  closedAt: r.closed_ms === null ? null : new Date(r.closed_ms).toISOString(),
});

export const getOperation = (ctx: Context, operationId: string): Operation => {
  const row = ctx.store.db.prepare('SELECT * FROM operations WHERE operation_id = ?').get(operationId) as
    OperationRow | undefined;
  if (row === undefined) throw new VigieError('not_found', 'Opération introuvable.');
  return toOperation(row);
};

export const createOperation = (ctx: Context, args: { title: string; type: string; communeId: string }): Operation => {
  const session = requireSession(ctx);
  const commune = findCommune(args.communeId);
  if (commune === undefined)
    throw new VigieError(
      'invalid_argument',
      `Commune inconnue : ${args.communeId.slice(0, 40)} (une des 33 communes de Nouvelle-Calédonie).`,
    );
  const operationId = randomUUID();
  ctx.store.append(
    'operation.created',
    {
      operationId,
      title: args.title.normalize('NFC').trim(),
      type: args.type.normalize('NFC').trim(),
      communeId: commune.id,
      commune: commune.name,
      province: commune.province,
      position: ctx.positionName,
      role: session.role,
    },
    session.userName,
  );
  return getOperation(ctx, operationId);
};

export const listOperations = (ctx: Context, status: OperationStatus | 'toutes' = 'toutes'): Operation[] => {
  const rows =
    status === 'toutes'
      ? ctx.store.db.prepare('SELECT * FROM operations ORDER BY created_ms DESC LIMIT 1000').all()
      : ctx.store.db
          .prepare('SELECT * FROM operations WHERE status = ? ORDER BY created_ms DESC LIMIT 1000')
          .all(status);
  return (rows as OperationRow[]).map(toOperation);
};

export const closeOperation = (
  ctx: Context,
  args: { operationId: string; summary?: string | undefined },
): Operation => {
  const session = requirePermission(ctx, 'closeOperation');
  const operation = getOperation(ctx, args.operationId);
  if (operation.status !== 'ouverte')
    throw new VigieError('conflict', `L’opération « ${operation.title} » est déjà close.`);
  ctx.store.append(
    'operation.closed',
    {
      operationId: operation.operationId,
      ...(args.summary !== undefined ? { summary: args.summary.normalize('NFC').trim() } : {}),
      position: ctx.positionName,
      role: session.role,
    },
    session.userName,
  );
  return getOperation(ctx, operation.operationId);
};

const tableExists = (ctx: Context, name: string): boolean =>
  ctx.store.db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(name) !== undefined;

/** Its entries (oldest first) and the calls linked to it (calls module's call_links, when present). */
export const operationChronology = (
  ctx: Context,
  operationId: string,
): { operation: Operation; entries: LogbookEntry[]; calls: LinkedCall[] } => {
  const operation = getOperation(ctx, operationId);
  const rows = ctx.store.db
    .prepare(
      `SELECT e.entry_no, e.event_id, e.origin, e.at_ms, e.author, e.category, e.text, e.corrects_id, e.day, e.day_no, e.position, e.role,
         e.fact_ms, e.important, e.kind, e.operation_id, e.call_id, e.shift_id, e.event_hash
       FROM logbook_entries e WHERE e.operation_id = ? ORDER BY e.entry_no LIMIT 5000`,
    )
    .all(operationId) as EntryRow[];
  const calls =
    tableExists(ctx, 'call_links') && tableExists(ctx, 'calls')
      ? (
          ctx.store.db
            .prepare(
              `SELECT c.id, c.offered_at, c.line_label, c.caller_number, c.caller_name, c.qualification_label
               FROM call_links l JOIN calls c ON c.id = l.call_id
               WHERE l.kind = 'operation' AND l.target_id = ? ORDER BY c.offered_at LIMIT 5000`,
            )
            .all(operationId) as {
            id: string;
            offered_at: number;
            line_label: string;
            caller_number: string;
            caller_name: string | null;
            qualification_label: string | null;
          }[]
        ).map((c) => ({
          callId: c.id,
          at: new Date(c.offered_at).toISOString(),
          summary: [c.line_label, c.caller_name ?? c.caller_number, c.qualification_label]
            .filter((s): s is string => s !== null && s !== '')
            .join(' — '),
        }))
      : [];
  return { operation, entries: toEntries(ctx.store.db, rows), calls };
};

const countLinkedCalls = (ctx: Context, operationId: string): number =>
  tableExists(ctx, 'call_links')
    ? (
        ctx.store.db
          .prepare(`SELECT count(*) AS n FROM call_links WHERE kind = 'operation' AND target_id = ?`)
          .get(operationId) as { n: number }
      ).n
    : 0;

/** What the chef de salle reads before closing: entries and calls linked, and how long it has lasted. */
export const operationSummary = (ctx: Context, operationId: string): OperationSummary => {
  const operation = getOperation(ctx, operationId);
  const entries = (
    ctx.store.db.prepare('SELECT count(*) AS n FROM logbook_entries WHERE operation_id = ?').get(operationId) as {
      n: number;
    }
  ).n;
  const end = operation.closedAt === null ? ctx.now() : Date.parse(operation.closedAt);
  return {
    operation,
    entries,
    calls: countLinkedCalls(ctx, operationId),
    durationMs: Math.max(0, end - Date.parse(operation.createdAt)),
  };
};
