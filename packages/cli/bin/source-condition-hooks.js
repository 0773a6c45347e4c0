// Module hooks for the workspace only (see servey.js): resolve with the "@servey/source" export
// condition, so @servey/* packages load from their TypeScript sources instead of dist/, as if
// Node had been started with --conditions=@servey/source.
const SOURCE_CONDITION = '@servey/source'

export async function resolve(specifier, context, nextResolve) {
  if (context.conditions.includes(SOURCE_CONDITION)) return nextResolve(specifier, context)
  return nextResolve(specifier, {
    ...context,
    conditions: [...context.conditions, SOURCE_CONDITION],
  })
}
