import type { FuzzReport } from './run-fuzz.ts'

/** The goals of issue 14, checked on a report: the list of what failed, empty when all hold. */
export function brokenGoals(report: FuzzReport): string[] {
  const broken: string[] = []
  for (const [trigger, tally] of Object.entries(report.triggers)) {
    if (tally.status5xx > 0) broken.push(`${trigger}: ${tally.status5xx} answers were 5xx`)
    if (tally.faults > 0) broken.push(`${trigger}: ${tally.faults} cases broke a goal`)
  }
  if (!report.aliveAtEnd) broken.push('the server was not alive and answering at the end')
  return broken
}

/** A report a person reads: totals, the first findings with how to replay them. */
export function formatReport(report: FuzzReport): string {
  const lines = [`fuzz: seed ${report.seed}, ${report.seconds} s`]
  for (const [trigger, tally] of Object.entries(report.triggers)) {
    lines.push(
      `  ${trigger.padEnd(8)} ${String(tally.cases).padStart(7)} cases  ${String(tally.status5xx).padStart(4)} 5xx  ${String(tally.faults).padStart(4)} faults  ${String(tally.network).padStart(3)} resets  ${String(tally.known).padStart(3)} known  ${JSON.stringify(tally.statuses)}`,
    )
  }
  lines.push(`  server alive at the end: ${report.aliveAtEnd ? 'yes' : 'NO'}`)
  if (report.serverErrors.length > 0) {
    lines.push(
      `  server logged ${report.serverErrors.length} error line(s), first: ${report.serverErrors[0]?.slice(0, 300)}`,
    )
  }
  for (const warning of report.warnings.slice(0, 8)) {
    lines.push(
      `  ~ [${warning.trigger}] ${warning.fault} (not a goal): ${warning.label.slice(0, 300)}`,
    )
  }
  for (const finding of report.findings) {
    lines.push(
      `  - [${finding.trigger}] ${finding.fault}: ${finding.label.slice(0, 300)}\n      -> ${finding.detail.slice(0, 300)}`,
    )
  }
  const broken = brokenGoals(report)
  lines.push(broken.length === 0 ? 'fuzz: every goal held' : `fuzz: FAILED: ${broken.join('; ')}`)
  lines.push(`replay: pnpm fuzz --seed ${report.seed}`)
  return lines.join('\n')
}
