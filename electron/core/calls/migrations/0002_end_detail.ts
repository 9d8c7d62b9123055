import type { Migration } from '../../store/types.js';

/**
 * calls 2: `calls.end_detail`, the detail of the call's `call.ended` (why it failed or was abandoned), so the
 * call log and the callbacks can tell a call lost to an outage (« perdu pendant la coupure », issue 12 item
 * 2) from a caller who hung up. Filled from the log for calls already ended, so that a database upgraded here
 * holds what a rebuild would give: the first `call.ended` of each call wins, as in projection.ts replayed in
 * HLC order (store/replay.ts). `UPDATE … FROM`: https://sqlite.org/lang_update.html#update_from
 */
export const migration: Migration = {
  version: 2,
  name: 'end_detail',
  up(db) {
    db.exec(`
      ALTER TABLE calls ADD COLUMN end_detail TEXT;
      UPDATE calls SET end_detail = ended.detail
      FROM (
        SELECT json_extract(payload, '$.callId') AS call_id, json_extract(payload, '$.detail') AS detail, min(hlc)
        FROM events WHERE type = 'call.ended' GROUP BY 1
      ) AS ended
      WHERE calls.id = ended.call_id AND calls.state = 'ended';
    `);
  },
};
