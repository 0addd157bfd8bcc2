/** Jest: ts-jest without type-checking (CI runs `tsc --noEmit`); MikroORM is ESM-only, loaded via vm modules. */
const { availableParallelism } = require('node:os');

module.exports = {
  testEnvironment: 'node',
  // At least two workers even on a 2-core machine: most test files wait on PostgreSQL, child processes,
  // Chromium or sockets rather than compute, and one worker left the second core idle (on 2 cores: 14.5 min with one worker, 10 with two).
  maxWorkers: Math.max(2, availableParallelism() - 1),
  roots: ['<rootDir>/test'],
  testMatch: ['**/*.test.ts'],
  // The whole-run log grep runs after the suite, in a second jest run (jest.log-grep.config.js, scripts/test).
  testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/log-grep/'],
  transform: { '^.+\\.ts$': ['ts-jest', { diagnostics: false }] },
  setupFiles: ['reflect-metadata'],
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
  testTimeout: 30000,
};
