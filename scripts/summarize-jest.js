// Prints `N passed, N failed[, N skipped]` from jest's --json output; a suite that failed to load counts as failed.
const results = require(require('node:path').resolve(process.argv[2]));
const broken = results.testResults.filter((r) => r.status === 'failed' && r.assertionResults.length === 0).length;
const failed = results.numFailedTests + broken;
const skipped = results.numPendingTests + results.numTodoTests;
console.log(`${results.numPassedTests} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
