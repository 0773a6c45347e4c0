// Run by failure-reports.test.ts through a nested vitest: a mistake that must stop collection
// with a clear message instead of producing two tests under one name.
import { action, createInProcessClient, createInvoker, createRegistry, Type } from '@servey/core'
import { defineExampleTests } from './define-example-tests.ts'

export const ping = action(
  { result: Type.String(), examples: [{ name: 'pongs', params: {}, result: 'pong' }] },
  () => 'pong',
)

// The in-process client always runs; passing another one under its name is the mistake.
defineExampleTests(
  { ping },
  { clients: [createInProcessClient(createInvoker(createRegistry({ ping })))] },
)
