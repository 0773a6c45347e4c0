// A config file as an app writes it (defineConfig from '@servey/cli/config' is optional: it
// only adds types, and this fixture cannot resolve the CLI package by name).
interface ExtraRoutes {
  get(path: string, handler: () => Promise<unknown>): unknown
}

export default {
  entry: './src/actions.ts',
  server: {
    cors: { origin: ['https://app.example.org'], credentials: true, maxAge: 600 },
    helmet: true,
    compress: true,
    bodyLimit: 2048,
    trustProxy: true,
    plugins: [
      async (app: ExtraRoutes) => {
        app.get('/extra', async () => ({ extra: true }))
      },
    ],
  },
  graphql: { limits: { depth: 3 } },
  cache: { prefix: 'configured-fixture:' },
}
