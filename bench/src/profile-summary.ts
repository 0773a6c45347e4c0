// `pnpm --filter @servey/bench exec tsx src/profile-summary.ts <file.cpuprofile> [top]
//  [--from=<function>] [--busy]`
// Prints where a profiled server spent its CPU: self time per package and per function, and
// inclusive time per function. `--from=parserOnIncoming` skips the start-up (everything before
// the first HTTP request), `--busy` leaves idle time out.
import { parseArgs } from 'node:util'
import { summarizeProfile } from './lib/cpu-profile.ts'
import { formatTable } from './lib/table.ts'

const { positionals, values } = parseArgs({
  allowPositionals: true,
  options: { from: { type: 'string' }, busy: { type: 'boolean' } },
})
const [file, topArg] = positionals
if (file === undefined) {
  console.error(
    'usage: tsx src/profile-summary.ts <file.cpuprofile> [top] [--from=<function>] [--busy]',
  )
  process.exit(2)
}
const summary = summarizeProfile(file, {
  top: topArg === undefined ? 25 : Number(topArg),
  ...(values.from === undefined ? {} : { from: values.from }),
  busyOnly: values.busy === true,
})
const rows = (entries: typeof summary.byPackage) =>
  entries.map((entry) => [
    entry.name,
    `${entry.selfMs.toFixed(0)} ms`,
    `${(entry.share * 100).toFixed(1)}%`,
  ])
console.log(`${file}: ${summary.totalMs.toFixed(0)} ms sampled\n`)
console.log(formatTable(['package', 'self', 'share'], rows(summary.byPackage)))
console.log()
console.log(formatTable(['function', 'self', 'share'], rows(summary.byFunction)))
console.log()
console.log(formatTable(['function (inclusive)', 'total', 'share'], rows(summary.inclusive)))
