import { defineConfig } from 'vitest/config';

/**
 * One project per workspace. Files named `*.services.test.ts` need the real
 * services from `npm run services:up`; `npm run test:unit` leaves them out.
 */
const needsServices = '**/*.services.test.ts';
const unitOnly = process.env['PARLEY_TEST_SCOPE'] === 'unit';

export default defineConfig({
  test: {
    projects: [
      {
        test: {
          name: 'api',
          root: './api',
          include: ['test/**/*.test.ts'],
          exclude: ['test/faults/**', ...(unitOnly ? [needsServices] : [])],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
      {
        // Fault tests stop and kill the shared services: `npm test` runs them after everything
        // else, one file at a time.
        test: {
          name: 'faults',
          root: './api',
          include: ['test/faults/**/*.test.ts'],
          exclude: unitOnly ? ['**'] : [],
          environment: 'node',
          fileParallelism: false,
          testTimeout: 180_000,
          hookTimeout: 300_000,
        },
      },
      {
        test: {
          name: 'web',
          root: './web',
          // e2e/ drives Chromium against a real API server (embedded mode: no services).
          include: ['src/**/*.test.ts', 'e2e/**/*.test.ts'],
          exclude: unitOnly ? [needsServices] : [],
          environment: 'node',
          testTimeout: 60_000,
          hookTimeout: 180_000,
        },
      },
      {
        test: {
          name: 'client',
          root: './client',
          include: ['test/**/*.test.ts'],
          exclude: unitOnly ? [needsServices] : [],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
