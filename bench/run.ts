/**
 * `npm run bench [-- SUITE...]`: runs the benchmark suites (all by default) and merges their figures
 * into bench/results.json. Each suite is a module under bench/ exporting `run(): Promise<void>`.
 */
const suites: Record<string, () => Promise<{ run: () => Promise<void> }>> = {
  store: () => import('./store.js'),
  logbook: () => import('./logbook.js'),
  'logbook-ui': () => import('./logbook-ui.js'),
  sip: () => import('./sip.js'),
  calls: () => import('./calls.js'),
  replication: () => import('./replication.js'),
  rebuild: () => import('./rebuild.js'),
};

const main = async (): Promise<void> => {
  const wanted = process.argv.slice(2);
  const names = wanted.length > 0 ? wanted : Object.keys(suites);
  for (const name of names) {
    const load = suites[name];
    if (load === undefined)
      throw new Error(`suite de mesure inconnue : ${name} (connues : ${Object.keys(suites).join(', ')})`);
    process.stdout.write(`\n== ${name} ==\n`);
    await (await load()).run();
  }
};

await main();
