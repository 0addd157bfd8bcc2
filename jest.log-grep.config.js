/**
 * Jest for the whole-run log grep alone (test/log-grep/): scripts/test runs it after the suite, in a second
 * jest run, so it reads every log line the suite wrote. No global setup: it must read the directory the
 * suite wrote into, which scripts/test names in CALLER_MEMORY_TEST_LOG_DIR.
 */
const base = require('./jest.config.js');

module.exports = {
  ...base,
  globalSetup: undefined,
  globalTeardown: undefined,
  testMatch: ['<rootDir>/test/log-grep/**/*.test.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
