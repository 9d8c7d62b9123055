import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { moduleSchemas } from '../electron/core/modules.js';
import { openStore } from '../electron/core/store/index.js';
import { databasePath } from '../electron/core/store/paths.js';
import { eventsAfter } from '../electron/core/store/remote.js';
import type { Store } from '../electron/core/store/types.js';
import { positionKeyPath } from '../electron/core/trust/keys.js';
import { createTrustService } from '../electron/core/trust/service.js';
import { createWitness } from '../electron/core/trust/witness.js';
import { launchChromium } from './support/chromium.js';
import { screenshots } from './support/screenshots.js';
import { serve, type Served } from './support/serve.js';

// The equivocation alarm in the browser host's status bar: position A was copied (database and key file)
// and showed one history to B, another to C; C's countersignature of the other history reached B. B's
// console, started on that log, finds it at start (the witness's scan) and says so in its status bar.

const all = (store: Store) => eventsAfter(store.db, store.origin, 0, 1_000_000);
const write = (store: Store, text: string): void => {
  for (const n of [1, 2])
    store.append('logbook.entry', { text: `${text} ${n}`, category: 'information', position: 'Poste 2' }, 'Marie');
};

describe('equivocation alarm in Chromium', () => {
  const dirs: string[] = [];
  const dir = (): string => {
    const d = mkdtempSync(join(tmpdir(), 'vigie-e2e-witness-'));
    dirs.push(d);
    return d;
  };
  let served: Served;
  let chromium: Awaited<ReturnType<typeof launchChromium>>;
  let subject = '';

  beforeAll(async () => {
    const open = (d: string) => {
      const store = openStore({ dataDir: d, modules: moduleSchemas(), backup: false });
      return { store, trust: createTrustService(store, positionKeyPath(d)) };
    };
    const [aDir, forkDir, bDir, cDir] = [dir(), dir(), dir(), dir()];
    const original = open(aDir);
    write(original.store, 'commun');
    original.trust.checkpoint('manual');
    original.store.close();
    copyFileSync(databasePath(aDir), databasePath(forkDir));
    copyFileSync(positionKeyPath(aDir), positionKeyPath(forkDir));
    const [a, fork, b, c] = [open(aDir), open(forkDir), open(bDir), open(cDir)];
    subject = a.store.origin;
    for (const [p, text] of [
      [a, 'version montrée à B'],
      [fork, 'version montrée à C'],
    ] as const) {
      write(p.store, text);
      p.trust.checkpoint('manual');
    }
    b.trust.ensureKey();
    const witnessC = createWitness({
      store: c.store,
      key: () => c.trust.ensureKey(),
      now: Date.now,
      log: () => undefined,
      changed: () => undefined,
    });
    witnessC.start();
    c.store.applyRemote(all(fork.store));
    await witnessC.idle();
    witnessC.stop();
    expect(b.store.applyRemote(all(a.store)).refused).toEqual([]);
    expect(b.store.applyRemote(all(c.store)).refused).toEqual([]);
    for (const p of [a, fork, b, c]) p.store.close();
    served = await serve(['--data', bDir]);
    chromium = await launchChromium();
  });

  afterAll(async () => {
    await chromium?.close();
    await served?.stop();
    for (const d of dirs) {
      rmSync(d, { recursive: true, force: true });
      rmSync(positionKeyPath(d), { force: true });
    }
  });

  it('says « ÉQUIVOQUE : le poste « Poste 2 » (…) montre des historiques différents » in the status bar', async () => {
    const page = await chromium.context.newPage();
    await page.setViewportSize({ width: 1366, height: 768 });
    const errors: string[] = [];
    page.on('pageerror', (e) => errors.push(e.message));
    await page.goto(served.url);
    const alarm = page.getByTestId('status-trust');
    await expect
      .poll(() => alarm.textContent(), { timeout: 15_000 })
      .toContain(`ÉQUIVOQUE : le poste « Poste 2 » (${subject.slice(0, 8)}) montre des historiques différents`);
    expect(await alarm.getAttribute('role')).toBe('alert');
    await screenshots(page, 'witness-equivocation');
    expect(errors).toEqual([]);
  });
});
