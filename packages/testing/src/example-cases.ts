import type { ActionClient, Example, RegisteredAction, Registry } from '@servey/core'

/** One example of one action, as a test runs it. */
export interface ExampleCase {
  readonly action: RegisteredAction
  readonly example: Example
}

/** Every example that opted into tests, in the registry's (name) order, so runs are stable. */
export function exampleCasesOf(registry: Registry): ExampleCase[] {
  return registry.actions.flatMap((action) =>
    action.definition.examples
      .filter((example) => example.includeInTests !== false)
      .map((example) => ({ action, example })),
  )
}

/** `say_hello › greet_developer [rest]`: what a failing run prints, so it names all three. */
export function exampleTestName(
  exampleCase: ExampleCase,
  client: Pick<ActionClient, 'name'>,
): string {
  return `${exampleCase.action.name} › ${exampleCase.example.name} [${client.name}]`
}
