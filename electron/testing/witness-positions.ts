/**
 * Test fixture for the witness tests (electron/core/trust/witness*.test.ts): positions as real stores on
 * temporary data directories, each with its key file and a running witness, and a position forked into
 * two (its data directory and key file copied). Not used by production code.
 */
import { copyFileSync, existsSync, rmSync } from 'node:fs';
import { afterEach } from 'vitest';
import { eventsAfter } from '../core/store/remote.js';
import { databasePath } from '../core/store/paths.js';
import { useTempStores } from '../core/store/testing.js';
import type { RemoteEvent, Store } from '../core/store/types.js';
import { positionKeyPath } from '../core/trust/keys.js';
import { createTrustService, type TrustService } from '../core/trust/service.js';
import { createWitness, type Witness } from '../core/trust/witness.js';

export interface TestPosition {
  dir: string;
  store: Store;
  trust: TrustService;
  witness: Witness;
  /** What the witness logged, as `level message`. */
  logged: string[];
}

export const entries = (store: Store, prefix: string, n: number): void => {
  for (let i = 1; i <= n; i += 1)
    store.append('logbook.entry', { text: `${prefix} ${i}`, category: 'information' }, 'Marie Wamytan');
};

/** Every event of `origin` (default: the store's own) as another position receives them. */
export const allOf = (store: Store, origin = store.origin): RemoteEvent[] =>
  eventsAfter(store.db, origin, 0, 1_000_000);

export const useWitnessPositions = (prefix: string) => {
  const { tempDir, open } = useTempStores(prefix);
  const cleanup: (() => void)[] = [];
  afterEach(() => {
    for (const c of cleanup.splice(0)) c();
  });

  const position = (dir = tempDir()): TestPosition => {
    const keyFile = positionKeyPath(dir);
    cleanup.push(() => rmSync(keyFile, { force: true }));
    const store = open(dir);
    const trust = createTrustService(store, keyFile);
    trust.ensureKey();
    const logged: string[] = [];
    const witness = createWitness({
      store,
      key: () => trust.ensureKey(),
      now: Date.now,
      log: (level, message) => logged.push(`${level} ${message}`),
      changed: () => undefined,
    });
    witness.start();
    cleanup.push(() => witness.stop());
    return { dir, store, trust, witness, logged };
  };

  /**
   * A position with two entries and a checkpoint, then copied (database and key file: same origin, same
   * key); each copy then writes its own two entries and a checkpoint at the same seq, with another hash.
   */
  const forked = (): [TestPosition, TestPosition] => {
    const original = position();
    entries(original.store, 'commun', 2);
    // A name the alarm can give (trust/labels.ts), the same in both copies.
    original.store.append(
      'logbook.entry',
      { text: 'Prise de poste', category: 'information', position: 'Poste 2' },
      'Marie Wamytan',
    );
    original.trust.checkpoint('manual');
    original.witness.stop();
    original.store.close();
    // Closed: the WAL was checkpointed into the file and removed, so the file alone is the whole log.
    if (existsSync(`${databasePath(original.dir)}-wal`)) throw new Error('journal WAL encore présent');
    const copyDir = tempDir();
    copyFileSync(databasePath(original.dir), databasePath(copyDir));
    copyFileSync(positionKeyPath(original.dir), positionKeyPath(copyDir));
    const a = position(original.dir);
    const b = position(copyDir);
    entries(a.store, 'version une', 2);
    a.trust.checkpoint('manual');
    entries(b.store, 'version deux', 2);
    b.trust.checkpoint('manual');
    return [a, b];
  };

  return { tempDir, open, position, forked, cleanup };
};
