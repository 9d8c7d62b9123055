/**
 * The positions' side of the central schema (schema.ts): push a batch of this position's events, read the
 * central head of an origin, pull the events after a cursor. One pg connection per call site; every query
 * is parameterised.
 */
import type pg from 'pg';
import type { RemoteEvent } from '../../store/types.js';

/** Position in the central log: (txid, sid) of the last event read, as text (xid8 and bigint exceed 2^53). */
export interface Cursor {
  txid: string;
  sid: string;
}

export const START: Cursor = { txid: '0', sid: '0' };

export const formatCursor = (c: Cursor): string => `${c.txid}:${c.sid}`;
export const parseCursor = (text: string | undefined): Cursor => {
  const match = /^(\d+):(\d+)$/.exec(text ?? '');
  return match === null ? START : { txid: match[1] ?? '0', sid: match[2] ?? '0' };
};

export interface PulledEvent extends RemoteEvent {
  /** The server's receive time (ISO 8601). */
  receivedAt: string;
  /** Its place in the central log. */
  at: Cursor;
}

/** The same (origin, seq) is on the server with another hash: this position's history was forked there. */
export class CentralForkError extends Error {
  override name = 'CentralForkError';
}

/**
 * INSERT … ON CONFLICT DO NOTHING of one origin's consecutive events (the chain trigger checks the whole
 * statement's rows at once, schema.ts step 2). A row already there is a success only if it is the same
 * event: when fewer rows went in than were sent, the hashes on the server are compared with ours. Only the
 * count comes back (no RETURNING): a push that inserts everything, the usual case, reads no rows.
 */
export const pushBatch = async (client: pg.ClientBase, events: readonly RemoteEvent[]): Promise<number> => {
  if (events.length === 0) return 0;
  const col = <K extends keyof RemoteEvent>(k: K): RemoteEvent[K][] => events.map((e) => e[k]);
  const inserted = await client.query(
    `INSERT INTO vigie.events (origin, seq, id, hlc, type, author, payload, prev_hash, hash)
     SELECT * FROM unnest($1::text[], $2::bigint[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[])
     ON CONFLICT (origin, seq) DO NOTHING`,
    [
      col('origin'),
      col('seq'),
      col('id'),
      col('hlc'),
      col('type'),
      col('author'),
      col('payloadJson'),
      col('prevHash'),
      col('hash'),
    ],
  );
  const count = inserted.rowCount ?? 0;
  if (count !== events.length) {
    // Every event of the batch is now on the server, ours or another: any other hash is a fork.
    const there = await client.query<{ seq: string; hash: string }>(
      'SELECT seq, hash FROM vigie.events WHERE origin = $1 AND seq = ANY($2::bigint[])',
      [events[0]?.origin, col('seq')],
    );
    const hashes = new Map(there.rows.map((r) => [Number(r.seq), r.hash]));
    for (const e of events) {
      if (hashes.get(e.seq) !== e.hash)
        throw new CentralForkError(
          `Le serveur central a un autre événement à la place de seq ${e.seq} de ce poste (origine ${e.origin}) : historique divergent.`,
        );
    }
  }
  return count;
};

/** Last event of an origin on the server: what it has acknowledged. */
export const centralHead = async (
  client: pg.ClientBase,
  origin: string,
): Promise<{ seq: number; hash: string } | undefined> => {
  const r = await client.query<{ seq: string; hash: string }>(
    'SELECT seq, hash FROM vigie.events WHERE origin = $1 ORDER BY seq DESC LIMIT 1',
    [origin],
  );
  const row = r.rows[0];
  return row === undefined ? undefined : { seq: Number(row.seq), hash: row.hash };
};

interface Row {
  origin: string;
  seq: string;
  id: string;
  hlc: string;
  type: string;
  author: string;
  payload: string;
  prev_hash: string;
  hash: string;
  received_at: string;
  cursor_txid: string;
  cursor_sid: string;
}

/**
 * Events of other origins after `cursor`, below the horizon of the oldest running transaction (schema.ts):
 * what this returns is final, nothing can later appear before its last row. One statement, so the horizon
 * and the rows come from the same snapshot. The text forms of txid and sid get their own names (an ORDER BY
 * naming an output column would sort the text, "10" before "9"); the server writes the receive time in
 * Date.toISOString's form (UTC, milliseconds), so no date is parsed per row on the position's event loop.
 */
export const pull = async (
  client: pg.ClientBase,
  cursor: Cursor,
  limit: number,
  exceptOrigin: string,
): Promise<{ events: PulledEvent[]; cursor: Cursor }> => {
  const r = await client.query<Row>(
    `SELECT origin, seq, id, hlc, type, author, payload, prev_hash, hash, txid::text AS cursor_txid, sid::text AS cursor_sid,
       to_char(received_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS received_at
     FROM vigie.events
     WHERE (txid, sid) > ($1::xid8, $2::bigint) AND txid < pg_snapshot_xmin(pg_current_snapshot()) AND origin <> $4
     ORDER BY vigie.events.txid, vigie.events.sid LIMIT $3`,
    [cursor.txid, cursor.sid, limit, exceptOrigin],
  );
  const last = r.rows[r.rows.length - 1];
  return {
    events: r.rows.map((row) => ({
      origin: row.origin,
      seq: Number(row.seq),
      id: row.id,
      hlc: row.hlc,
      type: row.type,
      author: row.author,
      payloadJson: row.payload,
      prevHash: row.prev_hash,
      hash: row.hash,
      receivedAt: row.received_at,
      at: { txid: row.cursor_txid, sid: row.cursor_sid },
    })),
    cursor: last === undefined ? cursor : { txid: last.cursor_txid, sid: last.cursor_sid },
  };
};

/**
 * How far behind a reader at `cursor` is (docs/architecture.md, "Replication"): the server's clock now
 * minus the receive time of the first other origin's event after the cursor, 0 when there is none. The
 * horizon is not applied here: a committed row that an older running transaction still holds back is not
 * read yet, and counts. Both times are the server's, so no position's clock enters the figure.
 */
export const lagAfter = async (client: pg.ClientBase, cursor: Cursor, exceptOrigin: string): Promise<number> => {
  const r = await client.query<{ ms: number }>(
    `SELECT (extract(epoch FROM clock_timestamp() - received_at) * 1000)::float8 AS ms
     FROM vigie.events WHERE (txid, sid) > ($1::xid8, $2::bigint) AND origin <> $3
     ORDER BY vigie.events.txid, vigie.events.sid LIMIT 1`,
    [cursor.txid, cursor.sid, exceptOrigin],
  );
  return Math.max(0, Math.round(r.rows[0]?.ms ?? 0));
};
