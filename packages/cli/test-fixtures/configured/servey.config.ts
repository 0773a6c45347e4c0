// A config file as an app writes it (defineConfig from '@servey/cli/config' is optional: it
// only adds types, and this fixture cannot resolve the CLI package by name).
import { ActionError, type InvokePlugin } from '@servey/core'

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
  invoke: {
    plugins: [
      {
        name: 'answer-for-plugin',
        // Answers say_hello for one name instead of the handler, on every trigger.
        onInvoke(event) {
          const { name } = event.params as { name?: unknown }
          return event.action.name === 'say_hello' && name === 'Plugin'
            ? { result: 'Answered by a plugin' }
            : undefined
        },
      } satisfies InvokePlugin,
    ],
    hooks: {
      onRequest(event) {
        if ((event.input as { name?: unknown }).name === 'Blocked') {
          throw new ActionError('FORBIDDEN', 'Blocked by a hook of servey.config.ts')
        }
      },
      onResult(event) {
        event.context.log.info(
          {
            configHook: 'onResult',
            action: event.action.name,
            trigger: event.context.trigger.kind,
          },
          'config hook saw a result',
        )
      },
    },
  },
}
