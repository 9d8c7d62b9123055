/**
 * This position as a witness of the others (docs/architecture.md, "Replication", witnesses). After each
 * batch of remote events has committed (their checkpoints were verified before apply, checks.ts), it
 * countersigns the checkpoints of the batch in one `trust.countersigned` event signed with its key, which
 * replicates like any event; then it compares the countersignatures with its log (equivocation.ts) and
 * raises the alarm for a position that showed different histories. A countersignature that disagrees is
 * evidence: it was applied, never refused.
 */
import type { LogLevel } from '../kernel/module.js';
import { remoteChecker } from '../store/remote-checks.js';
import type { RemoteEvent, Store, StoredEvent } from '../store/types.js';
import { checkCheckpoint } from './checks.js';
import {
  describeEquivocation,
  findEquivocations,
  forger,
  type Equivocation,
  type WitnessRange,
} from './equivocation.js';
import {
  CHECKPOINT,
  COUNTERSIGNED,
  MAX_COUNTERSIGNED,
  TRUST_AUTHOR,
  checkpointPayload,
  countersignedPayload,
  type CountersignedItem,
  type CountersignedPayload,
} from './events.js';
import type { PositionKey } from './keys.js';
import { countersignatureStatement, signBytes } from './signatures.js';

export interface WitnessOptions {
  store: Store;
  /** The key in force, or undefined when this position has none it may sign with (trust service). */
  key: () => PositionKey | undefined;
  now: () => number;
  log: (level: LogLevel, message: string) => void;
  /** The equivocations found changed: the status bar is refreshed. */
  changed: () => void;
}

export interface Witness {
  start(): void;
  stop(): void;
  /** Every equivocation found so far (at most 100 from the start-up scan, plus those found since). */
  equivocations(): readonly Equivocation[];
  /** Resolves once every remote event committed so far has been countersigned and checked (tests). */
  idle(): Promise<void>;
}

/**
 * The status bar's line for the alarm (the technician runs vigie verify for every detail). `label`: how
 * the room names a position (labels.ts); its id by default.
 */
export const equivocationAlarm = (
  found: readonly Equivocation[],
  label: (origin: string) => string = (origin) => origin,
): string | undefined => {
  const liars = [...new Set(found.flatMap((e) => forger(e) ?? []))].map(label);
  const subjects = [...new Set(found.filter((e) => forger(e) === undefined).map((e) => e.subject))].map(label);
  const parts: string[] = [];
  if (subjects.length > 0) {
    const who = subjects.length === 1 ? `le poste ${subjects[0] ?? ''}` : `les postes ${subjects.join(', ')}`;
    parts.push(
      `ÉQUIVOQUE : ${who} montre${subjects.length === 1 ? '' : 'nt'} des historiques différents aux autres postes`,
    );
  }
  if (liars.length > 0)
    parts.push(`CONTRE-SIGNATURE FAUSSE : ${liars.length === 1 ? 'le témoin' : 'les témoins'} ${liars.join(', ')}`);
  return parts.length === 0 ? undefined : `${parts.join(' ; ')} (${found.length} constat(s)) — lancer vigie verify`;
};

/** The countersignature items of a batch: the checkpoints of other positions it applied. */
const checkpointItems = (events: readonly StoredEvent[], self: string): CountersignedItem[] =>
  events.flatMap((e) => {
    if (e.type !== CHECKPOINT || e.origin === self) return [];
    const c = checkpointPayload.safeParse(e.payload);
    return c.success ? [{ ...c.data, checkpointId: e.id }] : [];
  });

/** The seqs to compare: those just received of each origin, and each (subject, seq) just countersigned. */
const rangesOf = (events: readonly StoredEvent[]): WitnessRange[] => {
  const byOrigin = new Map<string, WitnessRange>();
  const ranges: WitnessRange[] = [];
  for (const e of events) {
    const r = byOrigin.get(e.origin);
    if (r === undefined) byOrigin.set(e.origin, { subject: e.origin, from: e.seq, to: e.seq });
    else {
      r.from = Math.min(r.from, e.seq);
      r.to = Math.max(r.to, e.seq);
    }
    if (e.type !== COUNTERSIGNED) continue;
    const w = countersignedPayload.safeParse(e.payload);
    if (w.success) for (const i of w.data.items) ranges.push({ subject: i.origin, from: i.seq, to: i.seq });
  }
  return [...byOrigin.values(), ...ranges];
};

/**
 * At start: the newest checkpoint of each other origin when this position has not countersigned that far
 * (applied just before a stop, or by a version without witnesses), checked again as on receipt.
 */
const uncountersigned = (store: Store): CountersignedItem[] => {
  const rows = store.db
    .prepare(
      `SELECT e.origin, e.seq, e.id, e.hlc, e.type, e.author, e.payload AS payloadJson, e.prev_hash AS prevHash, e.hash
       FROM trust_checkpoints c JOIN events e ON e.origin = c.origin AND e.seq = c.event_seq
       WHERE c.origin <> @self
         AND c.event_seq = (SELECT max(m.event_seq) FROM trust_checkpoints m WHERE m.origin = c.origin)
         AND NOT EXISTS (SELECT 1 FROM trust_witness w WHERE w.witness = @self AND w.subject = c.origin AND w.seq >= c.seq)`,
    )
    .all({ self: store.origin }) as RemoteEvent[]; // the columns are aliased to RemoteEvent's fields
  const check = remoteChecker(store.db, new Map([[CHECKPOINT, checkCheckpoint]]), []);
  const verified = rows.filter((e) => check(e) === undefined);
  return checkpointItems(
    verified.map((e) => ({ ...e, payload: JSON.parse(e.payloadJson) as unknown })),
    store.origin,
  );
};

export const createWitness = (options: WitnessOptions): Witness => {
  const { store, log } = options;
  const self = store.origin;
  const pending: StoredEvent[] = [];
  const found = new Map<string, Equivocation>();
  let scheduled: NodeJS.Immediate | undefined;
  let off: (() => void) | undefined;
  let idle: Promise<void> = Promise.resolve();
  let markIdle: (() => void) | undefined;
  let keyMissingLogged = false;

  const record = (list: readonly Equivocation[]): void => {
    let added = false;
    for (const e of list) {
      const key = `${e.subject}/${e.seq}/${e.witness}/${e.other ?? ''}`;
      if (found.has(key)) continue;
      found.set(key, e);
      added = true;
      log('error', describeEquivocation(e));
    }
    if (added) options.changed();
  };

  const countersign = (items: readonly CountersignedItem[]): void => {
    if (items.length === 0) return;
    const key = options.key();
    if (key === undefined) {
      if (!keyMissingLogged) log('warn', 'contre-signature impossible : ce poste n’a pas de clé en vigueur');
      keyMissingLogged = true;
      return;
    }
    for (let i = 0; i < items.length; i += MAX_COUNTERSIGNED) {
      const body = {
        items: items.slice(i, i + MAX_COUNTERSIGNED),
        time: new Date(options.now()).toISOString(),
        keyId: key.keyId,
      };
      const payload: CountersignedPayload = {
        ...body,
        signature: signBytes(key.privateKey, countersignatureStatement(self, body)),
      };
      store.append(COUNTERSIGNED, payload, TRUST_AUTHOR);
    }
  };

  const flush = (): void => {
    scheduled = undefined;
    const batch = pending.splice(0);
    try {
      countersign(checkpointItems(batch, self));
    } catch (error) {
      log('error', `contre-signature des points de contrôle reçus en échec : ${String(error)}`);
    }
    try {
      record(findEquivocations(store.db, rangesOf(batch)));
    } catch (error) {
      log('error', `recherche d'équivoques en échec : ${String(error)}`);
    }
    markIdle?.();
    markIdle = undefined;
  };

  const received = (event: StoredEvent): void => {
    // Only other positions' events are witnessed; this position's own appends cost this one comparison.
    if (event.origin === self) return;
    pending.push(event);
    if (scheduled !== undefined) return;
    // applyRemote tells its listeners the whole batch synchronously: the flush sees the batch at once.
    idle = new Promise((resolve) => {
      markIdle = resolve;
    });
    scheduled = setImmediate(flush);
  };

  return {
    start() {
      off = store.onAppend(received);
      try {
        countersign(uncountersigned(store));
      } catch (error) {
        log('error', `contre-signature des points de contrôle reçus en échec : ${String(error)}`);
      }
      try {
        record(findEquivocations(store.db));
      } catch (error) {
        log('error', `recherche d'équivoques en échec : ${String(error)}`);
      }
    },
    stop() {
      off?.();
      off = undefined;
      if (scheduled !== undefined) clearImmediate(scheduled);
      scheduled = undefined;
      pending.length = 0;
      markIdle?.();
      markIdle = undefined;
    },
    equivocations: () => [...found.values()],
    idle: () => idle,
  };
};
