import { describe, expect, it } from 'vitest'

// The public surface, name by name: adding or removing an export shows up in review as a change
// to this file (h3 `test/unit/package.test.ts`). Type-only exports leave no runtime key.
describe('package exports', () => {
  it('@servey/core', async () => {
    expect(Object.keys(await import('./index.ts')).sort()).toMatchInlineSnapshot(`
      [
        "ACTION_KEY",
        "ActionError",
        "DIRECT",
        "ERROR_CODES",
        "QUERY_METHODS",
        "Type",
        "WEB_DELETE",
        "WEB_GET",
        "WEB_METHODS",
        "WEB_PATCH",
        "WEB_POST",
        "WEB_PUT",
        "action",
        "createDefinitionError",
        "createInProcessClient",
        "createInvoker",
        "createRegistry",
        "definitionErrors",
        "exitCodeOf",
        "httpStatusOf",
        "isAction",
        "isActionError",
        "isDefinitionError",
        "isKnownErrorCode",
        "isRetryable",
        "isTrigger",
        "isValidActionName",
        "isWebTrigger",
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
