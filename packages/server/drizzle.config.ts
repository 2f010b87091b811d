import { defineConfig } from 'drizzle-kit';

// Migrations are generated from the schema with `npx drizzle-kit generate` and committed.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/store/schema.ts',
  out: './drizzle',
});
