/**
 * How the room names a position in an alarm: « Poste 2 » means something to the supervisor, a UUID does
 * not. The name is the one the position's own latest events carry (`position` in the payloads of the main
 * courante, of sign-ins and of shifts: logbook/event-types.ts), read from the log itself so that the trust
 * module depends on no other module's tables; the start of its id follows it, since a name is only what
 * the position says of itself. A position whose events carry no name keeps its whole id.
 */
import type Database from 'better-sqlite3';
import { cachedStatement } from '../store/statements.js';

/** Looked for among the position's last events only: the cost stays bounded on a long log. */
const SCAN = 500;

export const positionLabel = (db: Database.Database, origin: string): string => {
  const name = cachedStatement(
    db,
    `SELECT p FROM (SELECT json_extract(payload, '$.position') AS p FROM events WHERE origin = ? ORDER BY seq DESC LIMIT ${SCAN})
     WHERE typeof(p) = 'text' AND trim(p) <> '' LIMIT 1`,
  )
    .pluck()
    .get(origin);
  return typeof name === 'string' ? `« ${name} » (${origin.slice(0, 8)})` : origin;
};
