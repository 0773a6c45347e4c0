import type { ResolvedSlsOptions } from './options.ts'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

/** What the app needs from the stack beyond its functions. */
export interface StackResources {
  /** CloudFormation resources, by logical id. */
  readonly resources: { [logicalId: string]: Json }
  /** IAM statements every function's role gets, in one managed policy. */
  readonly statements: Json[]
  /** Environment of every function. */
  readonly environment: { [name: string]: Json }
}

export const TOKEN_KEY = 'ServeyTokenKey'
export const POLICY = 'ServeyPolicy'

/**
 * The token key of `--kms`: an asymmetric KMS key (RSA_2048, SIGN_VERIFY; RS256 tokens) that
 * the account administers, an alias named after the service and stage, and the two actions a
 * function needs: GetPublicKey to verify (locally), Sign to issue. Not kms:Verify: nothing
 * asks KMS to verify.
 */
function tokenKey(): StackResources {
  return {
    resources: {
      [TOKEN_KEY]: {
        Type: 'AWS::KMS::Key',
        Properties: {
          Description: 'Signs and verifies the bearer tokens of ${self:service} (${sls:stage})',
          KeySpec: 'RSA_2048',
          KeyUsage: 'SIGN_VERIFY',
          KeyPolicy: {
            Version: '2012-10-17',
            Statement: [
              {
                Sid: 'TheAccountAdministersTheKey',
                Effect: 'Allow',
                Principal: {
                  AWS: { 'Fn::Sub': 'arn:${AWS::Partition}:iam::${AWS::AccountId}:root' },
                },
                Action: 'kms:*',
                Resource: '*',
              },
            ],
          },
        },
      },
      [`${TOKEN_KEY}Alias`]: {
        Type: 'AWS::KMS::Alias',
        Properties: {
          AliasName: 'alias/${self:service}-${sls:stage}-tokens',
          TargetKeyId: { Ref: TOKEN_KEY },
        },
      },
    },
    statements: [
      {
        Effect: 'Allow',
        Action: ['kms:GetPublicKey', 'kms:Sign'],
        Resource: { 'Fn::GetAtt': [TOKEN_KEY, 'Arn'] },
      },
    ],
    environment: { JWT_KMS_KEY_ID: { Ref: TOKEN_KEY } },
  }
}

function merge(parts: readonly StackResources[]): StackResources {
  return {
    resources: Object.assign(
      {},
      ...parts.map((part) => part.resources),
    ) as StackResources['resources'],
    statements: parts.flatMap((part) => part.statements),
    environment: Object.assign(
      {},
      ...parts.map((part) => part.environment),
    ) as StackResources['environment'],
  }
}

/**
 * Every resource the options and the app (`needed`: what its functions use) ask for, and one managed policy holding every statement the
 * functions need: serverless.yml attaches it with `managedPolicies`, so the user's own
 * `iam.role.statements` stay the user's.
 */
export function stackResources(
  options: ResolvedSlsOptions,
  needed: readonly StackResources[] = [],
): StackResources {
  const parts: StackResources[] = [...needed]
  if (options.kms) parts.push(tokenKey())
  const all = merge(parts)
  if (all.statements.length === 0) return all
  return {
    ...all,
    resources: {
      ...all.resources,
      [POLICY]: {
        Type: 'AWS::IAM::ManagedPolicy',
        Properties: {
          Description: 'What the Servey functions of ${self:service} (${sls:stage}) may do',
          PolicyDocument: { Version: '2012-10-17', Statement: all.statements },
        },
      },
    },
  }
}
