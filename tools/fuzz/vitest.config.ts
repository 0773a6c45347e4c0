import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  // One graphql realm for the Lambda trigger's in-process GraphQL route: Vite would give
  // @servey/graphql's sources graphql's ESM build while graphql-yoga, loaded by Node, gets the
  // CommonJS one (see packages/graphql/vitest.config.ts).
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { name: 'fuzz' },
})
