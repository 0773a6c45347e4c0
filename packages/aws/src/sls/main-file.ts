import { parseDocument } from 'yaml'
import { slsErrors } from './errors.ts'
import { INCLUDE_FILE, MAIN_FILE } from './layout.ts'
import type { ResolvedSlsOptions } from './options.ts'

const ref = (key: string): string => `\${file(./${INCLUDE_FILE}):${key}}`

/**
 * The main file, written only when there is none: afterwards it is the user's. Everything
 * that follows the app's actions lives in the include, which this file references key by key;
 * the provider, your own environment, statements and resources stay here.
 */
export function mainFileTemplate(options: ResolvedSlsOptions): string {
  return `# Written once by \`servey sls\`: this file is yours, and later runs never change it.
# What follows from the app's actions (functions, their events, IAM policy and resources)
# is generated into ${INCLUDE_FILE} on every run and referenced below.
# Deploy: npx servey sls && npx serverless deploy --stage dev   (docs/guides/aws.md)
service: ${options.service}
frameworkVersion: '>=3'

provider:
  name: aws
  runtime: ${options.runtime}
  region: ${options.region}
  stage: \${opt:stage, 'dev'}
  # Settings of your own, for every function. Token keys, for example:
  # environment:
  #   JWT_SECRET_KEY: \${ssm:/${options.service}/jwt-secret-key}
  httpApi:
    cors: ${ref('cors')}
  iam:
    role:
      managedPolicies: ${ref('managedPolicies')}

package:
  individually: true
  patterns:
    - '!**'

functions:
  - ${ref('functions')}

resources:
  - ${ref('resources')}
`
}

/** CloudFormation's short-form tags, which serverless.yml files often use. */
const CLOUDFORMATION_TAGS = [
  'Base64',
  'Cidr',
  'Condition',
  'FindInMap',
  'GetAtt',
  'GetAZs',
  'ImportValue',
  'Join',
  'Select',
  'Split',
  'Sub',
  'Transform',
  'And',
  'Equals',
  'If',
  'Not',
  'Or',
  'Ref',
].flatMap((name) =>
  (['scalar', 'seq', 'map'] as const).map((nodeClass) => ({
    tag: `!${name}`,
    collection: nodeClass === 'scalar' ? undefined : nodeClass,
    resolve: (value: unknown) => value,
  })),
)

export interface MainFileCheck {
  /** The service name it declares, when it is a plain string. */
  readonly service: string | undefined
  /** Whether it references the include at all: without it nothing generated deploys. */
  readonly referencesInclude: boolean
}

/** Read an existing main file: a YAML error is coded, and stops the run before any write. */
export function checkMainFile(text: string): MainFileCheck {
  const document = parseDocument(text, {
    customTags: CLOUDFORMATION_TAGS as never,
    prettyErrors: true,
  })
  const problem = document.errors[0]
  if (problem !== undefined) throw slsErrors.SERVEY_ERR_SLS_MAIN_INVALID(MAIN_FILE, problem.message)
  const content: unknown = document.toJS()
  if (typeof content !== 'object' || content === null || Array.isArray(content)) {
    throw slsErrors.SERVEY_ERR_SLS_MAIN_INVALID(MAIN_FILE, 'it is not a mapping of settings')
  }
  const service = (content as { service?: unknown }).service
  return {
    service: typeof service === 'string' ? service : undefined,
    referencesInclude: text.includes(INCLUDE_FILE),
  }
}
