// A module shaped like an app's actions file, for the registry's discovery test.
import { Type } from 'typebox'
import { action } from '../action/define-action.ts'
import { WEB_GET } from '../trigger/web-trigger.ts'

export const say_hello = action(
  { triggers: [WEB_GET], params: Type.Object({ name: Type.String() }), result: Type.String() },
  ({ name }) => `Hello ${name}!`,
)

export const ping = action({}, () => 'pong')

export const generated = [1, 2, 3].map((n) => action({ name: `generated_${n}` }, () => n))

export const math = { subAdd: action({}, () => 0) }

export const notAnAction = (): string => 'helper'

export const LIMIT = 10
