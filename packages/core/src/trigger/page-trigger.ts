import { definitionErrors } from '../errors/definition-errors.ts'
import type { Trigger } from './trigger.ts'
import { isValidWebPath } from './web-trigger.ts'

/**
 * An HTML page: `GET <path>` renders `template` with the action's result as `model`. Input
 * comes from the query string, like a GET action. Pages are not part of the JSON API: they
 * are left out of OpenAPI and GraphQL.
 */
export interface PageTrigger extends Trigger {
  readonly kind: 'page'
  /** Default `/<kebab-name>`. */
  readonly path?: string
  /** Relative to the app's templates folder. Default `<action_name>.njk`. */
  readonly template?: string
}

export interface PageTriggerOptions {
  readonly path?: string
  readonly template?: string
}

export function page(options: PageTriggerOptions = {}): PageTrigger {
  const trigger: { kind: 'page'; path?: string; template?: string } = { kind: 'page' }
  if (options.path !== undefined) {
    if (typeof options.path !== 'string' || !isValidWebPath(options.path)) {
      throw definitionErrors.SERVEY_ERR_TRIGGER_PATH_INVALID(String(options.path), 'page()')
    }
    trigger.path = options.path
  }
  if (options.template !== undefined) trigger.template = options.template
  return Object.freeze(trigger)
}

/** A page at `/<kebab-name>` rendering `<action_name>.njk`. */
export const PAGE = page()

export function isPageTrigger(trigger: Trigger): trigger is PageTrigger {
  return trigger.kind === 'page'
}

export function pagePathOf(kebabName: string, trigger: PageTrigger): string {
  return trigger.path ?? `/${kebabName}`
}

export function pageTemplateOf(name: string, trigger: PageTrigger): string {
  return trigger.template ?? `${name}.njk`
}
