import { defineConfig } from 'drizzle-kit';

// Migrations are generated from schemas/db and committed; CI regenerates and fails on drift.
export default defineConfig({
  dialect: 'postgresql',
  schema: './schemas/db/index.ts',
  out: './migrations',
});
