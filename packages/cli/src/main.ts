import { runCli } from './cli.ts'

const code = await runCli(process.argv.slice(2))
// Exit explicitly: an app's module may start timers or connections that would keep a one-shot
// command alive. The empty writes resolve once earlier output has been flushed.
await Promise.all(
  [process.stdout, process.stderr].map(
    (stream) => new Promise<void>((resolve) => stream.write('', () => resolve())),
  ),
)
process.exit(code)
