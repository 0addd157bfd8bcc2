// Prints `N passed, N failed[, N skipped]` from jest's --json output files (one or more, summed: scripts/test
// runs the suite and then the whole-run log grep); a suite that failed to load counts as failed, and so does
// a run that wrote no results at all.
const { existsSync, statSync } = require('node:fs');
const { resolve } = require('node:path');

const total = { passed: 0, failed: 0, skipped: 0 };
for (const file of process.argv.slice(2)) {
  if (!existsSync(file) || statSync(file).size === 0) {
    total.failed += 1;
    continue;
  }
  const results = require(resolve(file));
  const broken = results.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
  total.passed += results.numPassedTests;
  total.failed += results.numFailedTests + broken;
  total.skipped += results.numPendingTests + results.numTodoTests;
}
console.log(`${total.passed} passed, ${total.failed} failed${total.skipped ? `, ${total.skipped} skipped` : ''}`);
