import { runCreateServey } from './cli.ts'

process.exitCode = await runCreateServey(process.argv.slice(2))
