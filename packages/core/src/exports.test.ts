import { describe, expect, it } from 'vitest'

// The public surface, name by name: adding or removing an export shows up in review as a change
// to this file (h3 `test/unit/package.test.ts`). Type-only exports leave no runtime key.
describe('package exports', () => {
  it('@servey/core', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
      [
        "ACTION_KEY",
        "ASYMMETRIC_ALGORITHMS",
        "ActionError",
        "DIRECT",
        "ERROR_CODES",
        "MAX_TOKEN_LENGTH",
        "QUERY_METHODS",
        "Type",
        "UNAUTHENTICATED_REASONS",
        "WEB_DELETE",
        "WEB_GET",
        "WEB_METHODS",
        "WEB_PATCH",
        "WEB_POST",
        "WEB_PUT",
        "action",
        "allScopes",
        "allowAll",
        "anyScope",
        "authenticated",
        "authorizationFromClaims",
        "createDefinitionError",
        "createInProcessClient",
        "createInvoker",
        "createJwtAuthenticator",
        "createJwtIssuer",
        "createRegistry",
        "custom",
        "definitionErrors",
        "describeAccess",
        "exitCodeOf",
        "generateSecret",
        "httpStatusOf",
        "isAction",
        "isActionError",
        "isDefinitionError",
        "isKnownErrorCode",
        "isRetryable",
        "isTrigger",
        "isValidActionName",
        "isWebTrigger",
        "parseBearerHeader",
        "pathParamsOf",
        "problemType",
        "silentLogger",
        "summarizeIssues",
        "toActionError",
        "toCamelCase",
        "toKebabCase",
        "toMilliseconds",
        "toProblem",
        "toSnakeCase",
        "unauthenticated",
        "web",
        "webPathOf",
      ]
    `)
  })

  it('@servey/core/adapter', async () => {
    expect(Object.keys(await import('./adapter.ts')).sort()).toMatchInlineSnapshot(`
      [
        "ActionError",
        "ERROR_CODES",
        "QUERY_METHODS",
        "createDefinitionError",
        "describeAccess",
        "exitCodeOf",
        "httpStatusOf",
        "isActionError",
        "isRetryable",
        "isWebTrigger",
        "pathParamsOf",
        "problemType",
        "toActionError",
        "toProblem",
        "webPathOf",
      ]
    `)
  })
})
