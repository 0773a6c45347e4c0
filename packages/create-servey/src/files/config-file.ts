/**
 * servey.config.ts of a new app: the entry and the server options people change first. Every
 * key is optional; the file is there so they are found (see docs/reference/config.md).
 */
export const CONFIG_FILE = `import { defineConfig } from '@servey/cli/config'

// Read by every servey command; environment variables override it (SERVEY_CORS_ORIGIN,
// SERVEY_BODY_LIMIT, SERVEY_TRUST_PROXY, SERVEY_CACHE_PREFIX). Every key is listed in
// Servey's docs/reference/config.md. \`servey dev\` reloads when you save it.
export default defineConfig({
  entry: './src/actions.ts',
  server: {
    // A browser app on another origin (a Vite dev server here) may call the API.
    cors: { origin: ['http://localhost:5173'] },
    // Security headers, with a Content-Security-Policy that keeps /docs and /graphql working.
    helmet: true,
    compress: true,
  },
})
`
