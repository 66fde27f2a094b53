/**
 * GraphQL Code Generator config: typed documents for the web app and for `@parley/client`,
 * both generated from the committed `schema.graphql`. Run with `npm run codegen`; a test
 * (`web/src/codegen.test.ts`) fails when the committed output is stale.
 */
import { fileURLToPath } from 'node:url';
import type { CodegenConfig } from '@graphql-codegen/cli';

/** The repo root: every path below is relative to it, wherever codegen runs from. */
const root = fileURLToPath(new URL('.', import.meta.url));

/** Options shared by both outputs: plain string unions for enums, ISO strings for dates. */
const shared = {
  useTypeImports: true,
  enumType: 'string-literal',
  scalars: { DateTime: 'string' },
  // Node's type stripping (the client runs without a bundler) needs explicit extensions.
  importExtension: '.ts',
} as const;

const config: CodegenConfig = {
  cwd: root,
  schema: 'schema.graphql',
  ignoreNoDocuments: false,
  generates: {
    'web/src/gql/': {
      documents: ['web/src/**/*.{ts,tsx}', '!web/src/gql/**'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
    'web/src/gql/schema.json': {
      plugins: [`${root}web/codegen/graphcache-schema.ts`],
    },
    'client/src/gql/': {
      documents: ['client/src/**/*.graphql'],
      preset: 'client',
      presetConfig: { fragmentMasking: false },
      config: shared,
    },
  },
};

export default config;
