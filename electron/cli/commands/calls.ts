import type { CallEndCause, CallStateName } from '../../contract/calls.js';
import { formatNoumea } from '../../core/clock.js';
import { iterateCalls, listCallbacks } from '../../core/calls/queries.js';
import { databasePath, openDatabase } from '../../core/store/index.js';
import { parseFlags, required } from '../args.js';

const iso = (ms: number | null): string | null => (ms === null ? null : new Date(ms).toISOString());

/** French wording of states and end causes for the human listing (--json keeps the codes). */
const stateLabel: Record<CallStateName, string> = {
  ringing: 'en sonnerie',
  dialing: 'en numérotation',
  active: 'en communication',
  held: 'en attente',
  ended: 'terminé',
};
const causeLabel: Record<CallEndCause, string> = {
  caller_hangup: "raccroché par l'appelant",
  abandoned: 'abandonné',
  answered_elsewhere: 'répondu ailleurs',
  operator_hangup: "raccroché par l'opérateur",
  transferred: 'transféré',
  failed: 'échec',
  busy: 'occupé',
};
const seconds = (ms: number | null): string => (ms === null ? '—' : `${Math.round(ms / 1000)} s`);

/**
 * `vigie calls --data DIR [--json] [--callbacks]`: the call log (oldest first) or the callbacks still to do,
 * read-only (a running position keeps writing meanwhile: WAL readers do not block it, https://sqlite.org/wal.html).
 * With --json, one JSON object per line; times as ISO 8601 UTC, durations in ms.
 */
export const run = async (argv: string[]): Promise<number> => {
  const { values } = parseFlags(argv, {
    data: { type: 'string' },
    json: { type: 'boolean' },
    callbacks: { type: 'boolean' },
  });
  const dataDir = required(values.data, 'data');
  const db = openDatabase(databasePath(dataDir), { readonly: true, dataDir });
  try {
    const hasCalls =
      db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'calls'").get() !== undefined;
    if (!hasCalls) {
      process.stderr.write(
        `${databasePath(dataDir)} : pas de journal des appels (base à mettre à jour : ouvrir Vigie une fois)\n`,
      );
      return 1;
    }
    const out = (line: string): void => void process.stdout.write(`${line}\n`);
    if (values.callbacks === true) {
      const pending = listCallbacks(db, { status: 'pending' });
      for (const c of pending) {
        if (values.json === true) {
          out(
            JSON.stringify({
              id: c.id,
              call_id: c.callId,
              number: c.number,
              name: c.name,
              line: c.line,
              created_at: iso(c.createdAt),
              status: c.status,
              attempts: c.attempts,
              last_outcome: c.outcome?.code ?? null,
            }),
          );
        } else {
          out(
            `${formatNoumea(c.createdAt)}  ${c.line.padEnd(20)} ${(c.number || 'numéro masqué').padEnd(16)} tentatives ${c.attempts}  ${c.id}`,
          );
        }
      }
      if (values.json !== true) out(`${pending.length} rappel(s) à faire`);
      return 0;
    }
    let n = 0;
    for (const c of iterateCalls(db)) {
      n++;
      if (values.json === true) {
        out(
          JSON.stringify({
            id: c.id,
            line: c.line.label,
            line_number: c.line.number,
            direction: c.direction,
            caller: c.caller.number,
            caller_name: c.caller.name,
            state: c.state,
            cause: c.cause,
            offered_at: iso(c.offeredAt),
            answered_at: iso(c.answeredAt),
            ended_at: iso(c.endedAt),
            wait_ms: c.waitMs,
            talk_ms: c.talkMs,
            operator: c.operator,
            position: c.position,
            qualification: c.qualification?.code ?? null,
          }),
        );
      } else {
        out(
          `${formatNoumea(c.offeredAt)}  ${c.direction === 'in' ? '←' : '→'} ${c.line.label.padEnd(20)} ${(c.caller.number || 'numéro masqué').padEnd(16)} ` +
            `${(c.cause === null ? stateLabel[c.state] : causeLabel[c.cause]).padEnd(25)} attente ${seconds(c.waitMs).padStart(6)}  conversation ${seconds(c.talkMs).padStart(6)}`,
        );
      }
    }
    if (values.json !== true) out(`${n} appel(s)`);
    await Promise.resolve();
    return 0;
  } finally {
    db.close();
  }
};
