import { createConfig, lintFromString } from '@redocly/openapi-core'
import { Spectral, type RulesetDefinition } from '@stoplight/spectral-core'
import { oas } from '@stoplight/spectral-rulesets'

export interface LintFinding {
  readonly linter: 'redocly' | 'spectral'
  readonly severity: 'error' | 'warning' | 'info' | 'hint'
  readonly rule: string
  readonly where: string
  readonly message: string
}

const SPECTRAL_SEVERITY = ['error', 'warning', 'info', 'hint'] as const

/**
 * Redocly's `recommended` and Spectral's `spectral:oas` rulesets, run in-process on a
 * document. Both rulesets ship inside the packages; the document has no external `$ref`, so
 * nothing is fetched.
 */
export async function lintOpenApi(document: object): Promise<LintFinding[]> {
  const source = JSON.stringify(document, null, 2)
  const config = await createConfig({ extends: ['recommended'] })
  const redocly = await lintFromString({ source, absoluteRef: 'openapi.json', config })
  const spectral = new Spectral()
  spectral.setRuleset({ extends: [[oas as RulesetDefinition, 'recommended']] })
  const findings: LintFinding[] = redocly.map((problem) => ({
    linter: 'redocly',
    severity: problem.severity === 'error' ? 'error' : 'warning',
    rule: problem.ruleId,
    where: problem.location[0]?.pointer ?? '',
    message: problem.message,
  }))
  for (const result of await spectral.run(source)) {
    findings.push({
      linter: 'spectral',
      severity: SPECTRAL_SEVERITY[result.severity] ?? 'error',
      rule: String(result.code),
      where: `#/${result.path.join('/')}`,
      message: result.message,
    })
  }
  return findings
}
