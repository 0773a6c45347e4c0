import { action, channel, createRegistry, Type, WEB_GET } from '@servey/core'
import { describe, expect, it } from 'vitest'
import { planFunctions } from './function-plan.ts'
import { includeDocument } from './include-document.ts'
import { resolveSlsOptions } from './options.ts'

const say_hello = action({ triggers: [WEB_GET], result: Type.String() }, () => 'hi')
const news = channel('news', { payload: Type.String() })
const options = resolveSlsOptions({ service: 'acme' }, { service: 'acme' })

describe('websocket channels in servey sls', () => {
  it('adds no websocket function, table or policy to an app without channels', () => {
    const plan = planFunctions(createRegistry({ say_hello }), options)
    expect(plan.functions.map((fn) => fn.key)).toEqual(['say_hello', 'servey_health'])
    const include = includeDocument(plan, options)
    expect(include).not.toContain('ServeyConnectionsTable')
    expect(include).not.toContain('SERVEY_CONNECTIONS_TABLE')
    expect(include).not.toContain('websocket')
  })

  it('gives an app with channels the websocket function, and every function the channel exports', () => {
    const plan = planFunctions(createRegistry({ say_hello, news }), options)
    expect(plan.functions.map((fn) => [fn.key, fn.imports, fn.websocket ?? false])).toEqual([
      ['say_hello', ['news', 'say_hello'], false],
      ['servey_websocket', ['news'], true],
      // The probes' function imports nothing of the app, channels included.
      ['servey_health', [], false],
    ])
    const include = includeDocument(plan, options)
    expect(include).toContain('route: $connect')
    expect(include).toContain('routeResponseSelectionExpression: $default')
    // The table's name and the variable every function reads are written from one string.
    const names = [...include.matchAll(/(?:TableName|SERVEY_CONNECTIONS_TABLE): (.+)/g)].map(
      (match) => match[1],
    )
    expect(names.length).toBe(3)
    expect(new Set(names)).toEqual(new Set(['${self:service}-${sls:stage}-connections']))
  })
})
