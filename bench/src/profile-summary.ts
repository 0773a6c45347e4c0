// `pnpm --filter @servey/bench exec tsx src/profile-summary.ts <file.cpuprofile> [top]`
// Prints where a profiled server spent its CPU: self time per package and per function.
import { summarizeProfile } from './lib/cpu-profile.ts'
import { formatTable } from './lib/table.ts'

const [file, topArg] = process.argv.slice(2)
if (file === undefined) {
  console.error('usage: tsx src/profile-summary.ts <file.cpuprofile> [top]')
  process.exit(2)
}
const summary = summarizeProfile(file, topArg === undefined ? 25 : Number(topArg))
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
