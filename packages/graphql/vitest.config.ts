import { defineProject } from 'vitest/config'

export default defineProject({
  ssr: { resolve: { conditions: ['@servey/source'] } },
  // Vite would give our sources graphql's ESM build while graphql-yoga, loaded by Node, gets
  // the CommonJS one: two graphql realms, and "Cannot use GraphQLSchema from another module".
  // Node itself resolves both to the CommonJS build, as here.
  resolve: { alias: [{ find: /^graphql$/, replacement: 'graphql/index.js' }] },
  test: { name: 'graphql' },
})
