/**
 * The central PostgreSQL schema (docs/architecture.md, "Replication"), applied by `vigie central migrate`.
 * Numbered steps recorded in `vigie.schema_version`, all pending ones in one transaction (PostgreSQL DDL
 * is transactional), under an advisory lock so two technicians migrating at once do not interleave.
 *
 * The reader's cursor. A plain sequence (bigserial) does not stop a reader from skipping an event: values
 * are taken at INSERT time but become visible at COMMIT, so a reader can see 11 committed before 10 and
 * move its cursor past 10 forever. We keep no insert-side lock (it would serialise every position's
 * push, and one slow transaction would stall all writers). Instead each row records the id of the
 * transaction that wrote it (`txid xid8`, pg_current_xact_id(), a column default since step 2) and readers only
 * read rows whose txid is below the oldest transaction still running, `pg_snapshot_xmin(
 * pg_current_snapshot())` (https://www.postgresql.org/docs/15/functions-info.html#FUNCTIONS-PG-SNAPSHOT):
 * every transaction below it has ended, so no row with such a txid can appear later, and the order
 * (txid, sid) is fixed for good. The price: a long-running transaction anywhere in the cluster holds every
 * reader back (lag, never loss). On another server of the list (a promoted standby) a position reads from
 * the beginning once: what the old primary had not shipped is missing there and its txids will be reused.
 */
import type pg from 'pg';

export interface CentralMigration {
  version: number;
  name: string;
  sql: string;
}

export const GENESIS = '0'.repeat(64);
/** The group role every position's login role belongs to; grants go to it, never to a position. */
export const POSITION_GROUP = 'vigie_position';

const step1 = `
CREATE SCHEMA IF NOT EXISTS vigie;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = '${POSITION_GROUP}') THEN
    CREATE ROLE ${POSITION_GROUP} NOLOGIN;
  END IF;
END $$;

-- Which login role writes which origin (the position's nodeId).
CREATE TABLE vigie.positions (
  origin text PRIMARY KEY CHECK (origin ~ '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$'),
  role name NOT NULL UNIQUE,
  name text NOT NULL DEFAULT '',
  created_at timestamptz NOT NULL DEFAULT now()
);

-- The local log's columns (payload as the exact canonical text its hash covers, hence text, not jsonb),
-- the server's receive time and the cursor (txid, sid).
CREATE TABLE vigie.events (
  origin text NOT NULL,
  seq bigint NOT NULL CHECK (seq >= 1),
  id text NOT NULL UNIQUE,
  hlc text NOT NULL CHECK (hlc ~ '^[0-9]{15}-[0-9]{5}$'),
  type text NOT NULL,
  author text NOT NULL,
  payload text NOT NULL,
  prev_hash text NOT NULL CHECK (prev_hash ~ '^[0-9a-f]{64}$'),
  hash text NOT NULL CHECK (hash ~ '^[0-9a-f]{64}$'),
  received_at timestamptz NOT NULL,
  txid xid8 NOT NULL,
  sid bigint GENERATED ALWAYS AS IDENTITY,
  PRIMARY KEY (origin, seq)
);
CREATE INDEX events_cursor ON vigie.events (txid, sid);

-- The chain, enforced where it is stored: an event is accepted only as the next link of its origin's
-- chain (seq 1 after the genesis hash), so the central store never takes a rewritten or forked history.
-- Two concurrent pushes of the same origin both see the same previous event; the primary key then lets
-- only one of them insert each seq.
-- The trigger also stamps the receive time and the writing transaction, whatever the client sent.
CREATE FUNCTION vigie.events_before_insert() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  previous text;
BEGIN
  IF NEW.seq = 1 THEN
    IF NEW.prev_hash <> '${GENESIS}' THEN
      RAISE EXCEPTION 'chaîne refusée : origine %, seq 1 doit suivre l''empreinte initiale', NEW.origin
        USING ERRCODE = 'check_violation';
    END IF;
  ELSE
    SELECT hash INTO previous FROM vigie.events WHERE origin = NEW.origin AND seq = NEW.seq - 1;
    IF previous IS NULL THEN
      RAISE EXCEPTION 'chaîne refusée : origine %, seq % manque avant seq %', NEW.origin, NEW.seq - 1, NEW.seq
        USING ERRCODE = 'check_violation';
    END IF;
    IF previous <> NEW.prev_hash THEN
      RAISE EXCEPTION 'chaîne refusée : origine %, seq % ne suit pas l''empreinte de seq %', NEW.origin, NEW.seq, NEW.seq - 1
        USING ERRCODE = 'check_violation';
    END IF;
  END IF;
  NEW.received_at := clock_timestamp();
  NEW.txid := pg_current_xact_id();
  RETURN NEW;
END $$;
CREATE TRIGGER events_chain BEFORE INSERT ON vigie.events FOR EACH ROW EXECUTE FUNCTION vigie.events_before_insert();

-- Append-only, as the local log (corrections are new events).
CREATE FUNCTION vigie.events_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'vigie.events est en ajout seul : % refusé', TG_OP USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER events_no_update BEFORE UPDATE OR DELETE ON vigie.events FOR EACH ROW EXECUTE FUNCTION vigie.events_append_only();
CREATE TRIGGER events_no_truncate BEFORE TRUNCATE ON vigie.events FOR EACH STATEMENT EXECUTE FUNCTION vigie.events_append_only();

-- Wakes the positions' readers at once (they poll as well: a notified row may still be above the horizon).
CREATE FUNCTION vigie.events_notify() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  PERFORM pg_notify('vigie_events', '');
  RETURN NULL;
END $$;
CREATE TRIGGER events_notify AFTER INSERT ON vigie.events FOR EACH STATEMENT EXECUTE FUNCTION vigie.events_notify();

-- Each position INSERTs only its own origin and SELECTs everything
-- (https://www.postgresql.org/docs/15/ddl-rowsecurity.html). Column grants keep a position from
-- supplying received_at, txid or sid itself.
ALTER TABLE vigie.events ENABLE ROW LEVEL SECURITY;
CREATE POLICY events_read ON vigie.events FOR SELECT TO ${POSITION_GROUP} USING (true);
CREATE POLICY events_insert_own ON vigie.events FOR INSERT TO ${POSITION_GROUP}
  WITH CHECK (origin = (SELECT p.origin FROM vigie.positions p WHERE p.role = current_user));
GRANT USAGE ON SCHEMA vigie TO ${POSITION_GROUP};
GRANT SELECT ON vigie.events, vigie.positions TO ${POSITION_GROUP};
GRANT INSERT (origin, seq, id, hlc, type, author, payload, prev_hash, hash) ON vigie.events TO ${POSITION_GROUP};
`;

/**
 * Step 2: the chain checked once per statement instead of once per row. Step 1's BEFORE INSERT row trigger
 * ran a SELECT for every row, which made a pushed batch ten times slower than the bare INSERT. Here an
 * AFTER INSERT statement trigger joins the rows the statement inserted (its transition table,
 * https://www.postgresql.org/docs/15/sql-createtrigger.html) with their predecessors in one query. After
 * the statement every inserted row is visible to it, so a batch may chain onto itself in any row order;
 * a failing row aborts the whole statement, as before. The receive time and the writing transaction
 * become column DEFAULTs: a position cannot supply them (step 1's column grants), so the default is what
 * every pushed row gets. Step 1 stays as servers ran it; this step replaces its chain trigger.
 */
const step2 = `
ALTER TABLE vigie.events ALTER COLUMN received_at SET DEFAULT clock_timestamp();
ALTER TABLE vigie.events ALTER COLUMN txid SET DEFAULT pg_current_xact_id();
DROP TRIGGER events_chain ON vigie.events;
DROP FUNCTION vigie.events_before_insert();

CREATE FUNCTION vigie.events_check_chain() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  bad record;
BEGIN
  -- The first inserted row, in (origin, seq) order, that is not the next link of its origin's chain.
  SELECT n.origin, n.seq, p.hash AS previous INTO bad
  FROM inserted n
  LEFT JOIN vigie.events p ON p.origin = n.origin AND p.seq = n.seq - 1
  WHERE CASE WHEN n.seq = 1 THEN n.prev_hash <> '${GENESIS}' ELSE p.hash IS DISTINCT FROM n.prev_hash END
  ORDER BY n.origin, n.seq
  LIMIT 1;
  IF NOT FOUND THEN
    RETURN NULL;
  END IF;
  IF bad.seq = 1 THEN
    RAISE EXCEPTION 'chaîne refusée : origine %, seq 1 doit suivre l''empreinte initiale', bad.origin
      USING ERRCODE = 'check_violation';
  ELSIF bad.previous IS NULL THEN
    RAISE EXCEPTION 'chaîne refusée : origine %, seq % manque avant seq %', bad.origin, bad.seq - 1, bad.seq
      USING ERRCODE = 'check_violation';
  ELSE
    RAISE EXCEPTION 'chaîne refusée : origine %, seq % ne suit pas l''empreinte de seq %', bad.origin, bad.seq, bad.seq - 1
      USING ERRCODE = 'check_violation';
  END IF;
END $$;
CREATE TRIGGER events_chain AFTER INSERT ON vigie.events REFERENCING NEW TABLE AS inserted
  FOR EACH STATEMENT EXECUTE FUNCTION vigie.events_check_chain();
`;

/**
 * Step 3: the same shape checks as step 1, written without bounded repetition. Measured on PostgreSQL 15
 * (bench/replication.ts), step 1's three column CHECKs, `[0-9a-f]{64}` and `[0-9]{15}-[0-9]{5}`, took
 * about 40 % of a pushed batch of 1000 events; without the `{n}` bounds the CHECKs cost next to nothing.
 * A length, a fixed character and an unbounded class accept exactly the same strings: `[^0-9a-f]` finds
 * any character outside the class (a newline too); `^[0-9]+-[0-9]+$` over 21 characters with `-` as the
 * 16th is 15 digits, `-`, 5 digits. The new constraints are validated against the rows already there.
 */
export const HASH_SHAPE = (column: string): string => `length(${column}) = 64 AND ${column} !~ '[^0-9a-f]'`;
export const HLC_SHAPE = (column: string): string =>
  `length(${column}) = 21 AND substr(${column}, 16, 1) = '-' AND ${column} ~ '^[0-9]+-[0-9]+$'`;
const step3 = `
ALTER TABLE vigie.events
  DROP CONSTRAINT events_hlc_check,
  DROP CONSTRAINT events_prev_hash_check,
  DROP CONSTRAINT events_hash_check,
  ADD CONSTRAINT events_hlc_shape CHECK (${HLC_SHAPE('hlc')}),
  ADD CONSTRAINT events_prev_hash_shape CHECK (${HASH_SHAPE('prev_hash')}),
  ADD CONSTRAINT events_hash_shape CHECK (${HASH_SHAPE('hash')});
`;

export const centralMigrations: readonly CentralMigration[] = [
  { version: 1, name: 'events', sql: step1 },
  { version: 2, name: 'chain-per-statement', sql: step2 },
  { version: 3, name: 'shape-checks-without-bounds', sql: step3 },
];

/** Key of the advisory lock held while migrating (any constant shared by every Vigie). */
const MIGRATION_LOCK = 7_419_001;

export const centralVersion = async (client: pg.ClientBase): Promise<number> => {
  const exists = await client.query<{ t: string | null }>("SELECT to_regclass('vigie.schema_version')::text AS t");
  if (exists.rows[0]?.t === null || exists.rows[0]?.t === undefined) return 0;
  const row = await client.query<{ version: number }>('SELECT max(version)::int AS version FROM vigie.schema_version');
  return row.rows[0]?.version ?? 0;
};

/**
 * Applies every pending step up to `upTo` (default: the last one) in one transaction; returns the steps
 * applied. Refuses a newer schema. `upTo` lets a test build a server as an older Vigie left it.
 */
export const migrateCentral = async (
  client: pg.ClientBase,
  upTo: number = centralMigrations[centralMigrations.length - 1]?.version ?? 0,
): Promise<CentralMigration[]> => {
  await client.query('BEGIN');
  try {
    await client.query('SELECT pg_advisory_xact_lock($1)', [MIGRATION_LOCK]);
    const current = await centralVersion(client);
    const known = centralMigrations[centralMigrations.length - 1]?.version ?? 0;
    if (current > known) {
      throw new Error(
        `Schéma central en version ${current}, plus récent que celui de cette version de Vigie (${known}) : mettez Vigie à jour.`,
      );
    }
    const pending = centralMigrations.filter((m) => m.version > current && m.version <= upTo);
    if (current === 0) {
      await client.query('CREATE SCHEMA IF NOT EXISTS vigie');
      await client.query(
        'CREATE TABLE vigie.schema_version (version int PRIMARY KEY, name text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())',
      );
    }
    for (const m of pending) {
      await client.query(m.sql);
      await client.query('INSERT INTO vigie.schema_version (version, name) VALUES ($1, $2)', [m.version, m.name]);
    }
    await client.query('COMMIT');
    return pending;
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
};

const ROLE_NAME = /^[a-z][a-z0-9_]{0,62}$/;

/**
 * Creates (or updates the password of) a position's login role, member of the position group, and binds
 * it to its origin. The password is sent in a literal escaped by the client library (DDL takes no
 * parameters); PostgreSQL stores it hashed with SCRAM-SHA-256 (password_encryption's default).
 */
export const addPosition = async (
  client: pg.ClientBase,
  position: { origin: string; role: string; password: string; name?: string },
): Promise<void> => {
  if (!ROLE_NAME.test(position.role))
    throw new Error(`Nom de rôle invalide : ${position.role} (minuscules, chiffres, _ ; 63 caractères au plus)`);
  if (position.password.length < 12) throw new Error('Mot de passe trop court : 12 caractères au moins');
  const role = client.escapeIdentifier(position.role);
  const password = client.escapeLiteral(position.password);
  await client.query('BEGIN');
  try {
    const exists = await client.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [position.role]);
    await client.query(
      exists.rowCount === 0
        ? `CREATE ROLE ${role} LOGIN PASSWORD ${password} IN ROLE ${POSITION_GROUP}`
        : `ALTER ROLE ${role} LOGIN PASSWORD ${password}`,
    );
    await client.query(
      `INSERT INTO vigie.positions (origin, role, name) VALUES ($1, $2, $3)
       ON CONFLICT (origin) DO UPDATE SET role = excluded.role, name = excluded.name`,
      [position.origin, position.role, position.name ?? ''],
    );
    await client.query('COMMIT');
  } catch (error) {
    await client.query('ROLLBACK');
    throw error;
  }
};
