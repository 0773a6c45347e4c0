import { slsErrors } from './errors.ts'
import type { ResolvedSlsOptions } from './options.ts'

// AWS's own limits, so a name it would refuse fails here rather than halfway through a deploy.
const LAMBDA_NAME_MAX = 64
const IAM_ROLE_NAME_MAX = 64

const refuse = (what: string, name: string, why: string): never => {
  throw slsErrors.SERVEY_ERR_SLS_NAME_INVALID(what, name, why)
}

/** The service and stage, and every name Serverless derives from them, as AWS accepts them. */
export function checkNames(options: ResolvedSlsOptions, functionKeys: readonly string[]): void {
  const { service, stage, region } = options
  // Serverless's schema, and CloudFormation's stack names (`<service>-<stage>`).
  if (!/^[a-zA-Z][0-9a-zA-Z-]+$/.test(service)) {
    refuse('service name', service, 'use letters, digits and hyphens, starting with a letter')
  }
  if (!/^[a-zA-Z0-9-]+$/.test(stage)) refuse('stage', stage, 'use letters, digits and hyphens')
  if (`${service}-${stage}`.length > 128) {
    refuse('stack name', `${service}-${stage}`, 'CloudFormation allows 128 characters')
  }
  // Serverless names the shared role `<service>-<stage>-<region>-lambdaRole`.
  const role = `${service}-${stage}-${region}-lambdaRole`
  if (role.length > IAM_ROLE_NAME_MAX) {
    refuse(
      'IAM role name',
      role,
      `IAM allows ${IAM_ROLE_NAME_MAX} characters: shorten the service name`,
    )
  }
  const seen = new Set<string>()
  for (const key of functionKeys) {
    // An action named like a function servey sls adds (servey_router, servey_health, ...)
    // would silently replace it in the include.
    if (seen.has(key)) {
      refuse(
        'Lambda function name',
        key,
        'an action has the name of a function servey sls generates: rename the action',
      )
    }
    seen.add(key)
    const name = `${service}-${stage}-${key}`
    if (name.length > LAMBDA_NAME_MAX) {
      refuse(
        'Lambda function name',
        name,
        `Lambda allows ${LAMBDA_NAME_MAX} characters: shorten the service name or the action name`,
      )
    }
  }
}
