import { defineConfig } from 'vitest/config';

// Integration tests share one broker and one PostgreSQL server; each test isolates itself with
// its own topics, consumer groups and database, so files can run in parallel.
export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts', 'services/**/*.test.ts', 'schemas/**/*.test.ts', 'connectors/**/*.test.ts'],
    globalSetup: ['tests/support/global-setup.ts'],
    setupFiles: ['services/runtime/quiet-kafkajs-warning.ts'],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
