/**
 * Child process of the `store` benchmark: opens a (large) data directory as the application would, and
 * reports as one JSON line how long the open took, what a first read costs, and the process's peak RSS
 * while holding the database (after typical use, then after a full verify).
 * Usage: node dist/bench/store-child.js DATA_DIR [full|log] [verify|no-verify]  (startupCheck, and whether to verify)
 */
import { moduleSchemas } from '../electron/core/modules.js';
import { openStore } from '../electron/core/store/index.js';

const [dataDir, mode = 'full', verify = 'verify'] = process.argv.slice(2);
if (dataDir === undefined || (mode !== 'full' && mode !== 'log'))
  throw new Error('usage : store-child DATA_DIR [full|log] [verify|no-verify]');
const mb = (): number => Math.round((process.resourceUsage().maxRSS / 1024) * 10) / 10;

const t0 = performance.now();
const store = openStore({ dataDir, modules: moduleSchemas(), backup: false, startupCheck: mode });
const openMs = performance.now() - t0;
const t1 = performance.now();
const events = store.count();
const latest = store.db.prepare('SELECT entry_no, text FROM logbook_entries ORDER BY entry_no DESC LIMIT 100').all();
const firstReadMs = performance.now() - t1;
for (let i = 0; i < 100; i += 1)
  store.append('logbook.entry', { text: `mesure RSS ${i}`, category: 'information' }, 'bench');
const rssMb = mb();
const t2 = performance.now();
const report = verify === 'verify' ? store.verify() : undefined;
const verifyMs = performance.now() - t2;
const rssAfterVerifyMb = mb();
store.close();
process.stdout.write(
  `${JSON.stringify({ openMs, firstReadMs, events, latest: latest.length, rssMb, verifyMs, verifyOk: report?.ok ?? null, rssAfterVerifyMb })}\n`,
);
