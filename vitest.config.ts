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
          exclude: unitOnly ? [needsServices] : [],
          environment: 'node',
          testTimeout: 30_000,
          hookTimeout: 120_000,
        },
      },
    ],
  },
});
