// Sums the JSON reports of every test run into the one line CI reads: "N passed, N failed, N skipped".
// A report that is missing (the runner crashed) counts as one failure, so a crash can never look green.
import { existsSync, readFileSync } from 'node:fs';

let passed = 0;
let failed = 0;
let skipped = 0;
const [stepFailures = '0', ...reports] = process.argv.slice(2);
failed += Number(stepFailures);
for (const file of reports) {
  if (!existsSync(file)) {
    console.error(`rapport absent : ${file} (compté comme un échec)`);
    failed += 1;
    continue;
  }
  const report = JSON.parse(readFileSync(file, 'utf8'));
  passed += report.numPassedTests ?? 0;
  failed += report.numFailedTests ?? 0;
  skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  // A file that failed to load has no tests in it: count it.
  let counted = report.numFailedTests ?? 0;
  for (const suite of report.testResults ?? []) {
    if (suite.status === 'failed' && (suite.assertionResults ?? []).length === 0) {
      failed += 1;
      counted += 1;
    }
  }
  // Errors thrown outside any test (an uncaught exception in a timer…) fail the run without failing a test.
  if (report.success === false && counted === 0) {
    console.error(`${file} : erreurs hors des tests (comptées comme un échec)`);
    failed += 1;
  }
}
console.log(`${passed} passed, ${failed} failed, ${skipped} skipped`);
process.exit(failed > 0 ? 1 : 0);
