import { readFileSync } from 'node:fs'
import { Command, Option } from 'commander'
import type { CliIo } from './io.ts'

function cliVersion(): string {
  const pkg = JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as {
    version: string
  }
  return pkg.version
}

const ENTRY_HELP =
  'the actions module (default: SERVEY_ENTRY, else the entry of servey.config.ts, else src/actions.ts, src/actions/index.ts, actions.ts)'

function entryOption(): Option {
  return new Option('--entry <file>', ENTRY_HELP)
}

function serverOptions(command: Command): Command {
  return command
    .addOption(new Option('-p, --port <port>', 'port to listen on (default: PORT, else 8000)'))
    .addOption(
      new Option('--host <host>', 'interface to listen on (default: HOST, else 127.0.0.1)'),
    )
    .addOption(
      new Option('--no-docs', 'do not serve /openapi.json, /docs, /asyncapi.json and /asyncapi'),
    )
    .addOption(entryOption())
}

/**
 * The `servey` command line. Each command's module is imported when it runs, so `servey run`
 * never loads the server stack (Fastify, chokidar) it does not use.
 */
export function createProgram(io: CliIo, setExitCode: (code: number) => void): Command {
  const program = new Command('servey')
    .description('Serve, run and document Servey actions')
    .version(cliVersion(), '-v, --version')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
    })
    .showHelpAfterError('(add --help for usage)')
    .exitOverride()

  serverOptions(
    program
      .command('dev', { isDefault: true })
      .description(
        'dev server: reloads on change, docs and /token on, stack traces in 500 responses',
      ),
  ).action(async (options: { port?: string; host?: string; docs: boolean; entry?: string }) => {
    const { startDevServer } = await import('./commands/dev.ts')
    setExitCode(await startDevServer(options, io))
  })

  serverOptions(
    program.command('start').description('production server: no reload, no stack traces'),
  )
    .addOption(
      new Option('--no-worker', 'run no jobs or schedules here (leave them to `servey worker`)'),
    )
    .addOption(
      new Option(
        '--workers <n>',
        'server processes (node:cluster): a number, or auto = one per core with REDIS_URL, else 1 (default: SERVEY_WORKERS, else auto)',
      ),
    )
    .action(
      async (options: {
        port?: string
        host?: string
        docs: boolean
        entry?: string
        worker: boolean
        workers?: string
      }) => {
        const { startServer } = await import('./commands/start.ts')
        setExitCode(await startServer(options, io))
      },
    )

  program
    .command('worker')
    .description(
      'run scheduled and background jobs only: from Redis (BullMQ) when REDIS_URL is set',
    )
    .addOption(entryOption())
    .action(async (options: { entry?: string }) => {
      const { runWorker } = await import('./commands/worker.ts')
      setExitCode(await runWorker(options, io))
    })

  program
    .command('run')
    .description('run one action in-process and print its JSON result')
    .requiredOption('-a, --action <name>', 'the action to run, e.g. say_hello')
    .option(
      '-e, --event <json>',
      'its params: JSON, @file.json, or - for stdin (default: stdin when piped, else {})',
    )
    .option(
      '--token <jwt>',
      'call with this bearer token, verified like a request (JWT_* settings)',
    )
    .option(
      '--scopes <scopes>',
      'dev only: call as a trusted caller with these scopes, e.g. root or "read write"',
    )
    .option('--subject <subject>', 'dev only: the subject of the --scopes caller', 'cli')
    .option(
      '--claims <json>',
      'dev only: call as a trusted token with these claims, e.g. \'{"sub":"root","scope":"root"}\'',
    )
    .addOption(entryOption())
    .addHelpText(
      'after',
      `
Examples:
  $ servey run --action=say_hello --event='{"name":"World"}'
  $ servey run --action=say_hello --event=@event.json
  $ echo '{"name":"World"}' | servey run --action=say_hello
  $ servey run --action=only_for_root --scopes=root
  $ servey run --action=only_for_root --token="$TOKEN"

Exit codes: 0 success, 2 bad input (unknown action, malformed JSON, invalid params), 1 otherwise.`,
    )
    .action(
      async (options: {
        action: string
        event?: string
        claims?: string
        token?: string
        scopes?: string
        subject: string
        entry?: string
      }) => {
        const { runAction } = await import('./commands/run.ts')
        setExitCode(await runAction(options, io))
      },
    )

  program
    .command('openapi')
    .description('write the OpenAPI document')
    .option('-o, --output <file>', 'where to write it; - for stdout', 'openapi.json')
    .option('--title <title>', 'info.title (default: package.json name)')
    .option('--api-version <version>', 'info.version (default: package.json version)')
    .option('--description <text>', 'info.description (default: package.json description)')
    .option(
      '--server <url>',
      'a servers entry, repeatable (default: / , where the document is served)',
      (value: string, previous: string[] = []) => [...previous, value],
    )
    .addOption(entryOption())
    .action(
      async (options: {
        output: string
        title?: string
        apiVersion?: string
        description?: string
        server?: string[]
        entry?: string
      }) => {
        const { writeOpenApi } = await import('./commands/openapi.ts')
        setExitCode(await writeOpenApi(options, io))
      },
    )

  program
    .command('asyncapi')
    .description('write the AsyncAPI document of the event channels')
    .option('-o, --output <file>', 'where to write it; - for stdout', 'asyncapi.json')
    .option('--title <title>', 'info.title (default: package.json name)')
    .option('--api-version <version>', 'info.version (default: package.json version)')
    .option('--description <text>', 'info.description (default: package.json description)')
    .option('--server <url>', 'where the channels are served: wss://host[:port] (default: none)')
    .addOption(entryOption())
    .action(
      async (options: {
        output: string
        title?: string
        apiVersion?: string
        description?: string
        server?: string
        entry?: string
      }) => {
        const { writeAsyncApi } = await import('./commands/asyncapi.ts')
        setExitCode(await writeAsyncApi(options, io))
      },
    )

  program
    .command('graphql-schema')
    .description('write the GraphQL schema (SDL)')
    .option('-o, --output <file>', 'where to write it; - for stdout', 'schema.graphql')
    .addOption(entryOption())
    .action(async (options: { output: string; entry?: string }) => {
      const { writeGraphQLSchema } = await import('./commands/graphql-schema.ts')
      setExitCode(await writeGraphQLSchema(options, io))
    })

  program
    .command('init')
    .description('scaffold a standalone app in a new folder (as `npm create servey`)')
    .argument('[args...]', 'the folder and create-servey options: init --help lists them')
    // Every argument goes to create-servey as is, --help included.
    .helpOption(false)
    .allowUnknownOption()
    .action(async (args: string[]) => {
      const { runCreateServey } = await import('create-servey')
      setExitCode(await runCreateServey(args, io, { command: 'servey init' }))
    })

  program
    .command('sls')
    .description(
      'write serverless.yml (only when missing), serverless.servey.yml and a bundle per Lambda function',
    )
    .option('--dir <folder>', 'the service folder, where serverless.yml is', '.')
    .option('--service <name>', 'service name of a new serverless.yml (default: package.json name)')
    .option('--stage <stage>', 'the stage whose names are checked against AWS limits', 'dev')
    .option('--region <region>', 'region of a new serverless.yml', 'us-east-1')
    .option('--runtime <runtime>', 'nodejs20.x, nodejs22.x or nodejs24.x', 'nodejs22.x')
    .option('--api <kind>', 'httpApi (API Gateway HTTP API) or rest (REST API)', 'httpApi')
    .option('--router', 'one function for every action (actions made in a loop always share it)')
    .option('--memory <mb>', 'memory of each function, 128 to 10240 MB', '1024')
    .option('--cors <origins>', 'comma-separated origins allowed by CORS, or *')
    .option('--kms', 'sign and verify tokens with an AWS KMS key the stack creates')
    .option('--graphql', 'one more function serving /graphql on the same schema')
    .option('--no-health', 'no servey_health function (GET/HEAD /health and /ready routes)')
    .addOption(entryOption())
    .allowUnknownOption()
    .allowExcessArguments()
    .action(async (options: Record<string, unknown>, command: Command) => {
      const { writeServerless } = await import('./commands/sls.ts')
      setExitCode(await writeServerless(options, command.args, io))
    })

  program
    .command('actions')
    .description('list the actions with their triggers, access rule, timeout and description')
    .option('--json', 'print JSON instead of a table')
    .addOption(entryOption())
    .action(async (options: { json?: boolean; entry?: string }) => {
      const { listActions } = await import('./commands/actions.ts')
      setExitCode(await listActions(options, io))
    })

  return program
}
