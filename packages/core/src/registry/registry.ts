import { ACTION_KEY, isAction, type AnyAction } from '../action/action.ts'
import { toSnakeCase } from '../action/naming.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import type { Trigger } from '../trigger/trigger.ts'
import {
  createSchemaCompiler,
  type PrecompiledValidators,
  type SchemaCompiler,
} from '../schema/validator.ts'
import { registerAction, type RegisteredAction } from './registered-action.ts'
import { CHANNEL_KEY, isChannel, type AnyChannel } from '../channel/channel.ts'
import { registerChannel, type RegisteredChannel } from '../channel/registered-channel.ts'

/** Every action of an app, by name. Built once at start-up; adapters read it, never change it. */
export interface Registry {
  /** Sorted by name, so generated routes and documents are deterministic. */
  readonly actions: readonly RegisteredAction[]
  get(name: string): RegisteredAction | undefined
  /** The registered form of an action object, if it is in this registry. */
  find(action: AnyAction): RegisteredAction | undefined
  /** Every (action, trigger) pair whose trigger is of this kind, in name order. */
  triggersOf<TTrigger extends Trigger = Trigger>(
    kind: string,
  ): Array<{ readonly action: RegisteredAction; readonly trigger: TTrigger }>
  /** Every event channel, sorted by name. */
  readonly channels: readonly RegisteredChannel[]
  /** A channel by its snake_case name. */
  channel(name: string): RegisteredChannel | undefined
  /** The actions whose `publishes` option lists this channel, in name order. */
  publishersOf(channel: string): readonly RegisteredAction[]
}

interface Found {
  readonly hint: string | undefined
  readonly source: string
}

const MAX_DEPTH = 4

function isPlainContainer(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value)
  return proto === null || proto === Object.prototype
}

function collect(
  value: unknown,
  path: string,
  hint: string | undefined,
  depth: number,
  found: Map<AnyAction, Found>,
  seen: Set<object>,
  channels: Map<AnyChannel, string> = new Map(),
): void {
  if (isChannel(value)) {
    if (!channels.has(value))
      channels.set(value, path === '' ? 'the registry source' : `export ${path}`)
    return
  }
  if (isAction(value)) {
    if (!found.has(value))
      found.set(value, { hint, source: path === '' ? 'the registry source' : `export ${path}` })
    return
  }
  if (typeof value !== 'object' || value === null || seen.has(value) || depth > MAX_DEPTH) return
  seen.add(value)
  if (Array.isArray(value)) {
    value.forEach((item, index) =>
      collect(item, `${path}[${index}]`, undefined, depth + 1, found, seen, channels),
    )
  } else if (isPlainContainer(value)) {
    for (const key of Object.keys(value)) {
      const child = (value as Record<string, unknown>)[key]
      collect(
        child,
        path === '' ? key : `${path}.${key}`,
        key === 'default' ? undefined : key,
        depth + 1,
        found,
        seen,
        channels,
      )
    }
  }
}

/**
 * Build a registry from a module's exports (or any object, array or list of actions): every
 * exported action, and every action inside exported arrays and plain objects, actions
 * generated in a loop included. A name comes from `name`, else the handler's function name,
 * else the export key (camelCase becomes snake_case).
 */
export interface RegistryOptions {
  /**
   * `eager` (default) compiles every validator and checks every example at start-up, so a
   * broken schema fails before the first request. `lazy` compiles on first use: for one-shot
   * commands such as `servey run` that call a single action.
   */
  readonly compile?: 'eager' | 'lazy'
  /**
   * Check every schema against the JSON Schema meta-schema (default true). Only for code whose
   * schemas were checked when it was built: the Lambda runtime, bundled by `servey sls`.
   */
  readonly checkSchemas?: boolean
  /**
   * Validate functions generated ahead of time from this source's schemas
   * (`precompileValidators` of `@servey/core/precompile`, which `servey sls` bundles with each
   * Lambda function): a schema they cover is never compiled, any other one is compiled as
   * usual. They validate, coerce and report exactly as the compiled ones.
   */
  readonly validators?: PrecompiledValidators
}

export function createRegistry(source: unknown, options: RegistryOptions = {}): Registry {
  const compiler = createSchemaCompiler({
    checkSchemas: options.checkSchemas ?? true,
    ...(options.validators === undefined ? {} : { validators: options.validators }),
  })
  return createRegistryWith(source, options, compiler)
}

/** createRegistry with a given schema compiler: for code generation (`precompile.ts`). */
export function createRegistryWith(
  source: unknown,
  options: Pick<RegistryOptions, 'compile'>,
  compiler: SchemaCompiler,
): Registry {
  const found = new Map<AnyAction, Found>()
  const foundChannels = new Map<AnyChannel, string>()
  collect(source, '', undefined, 0, found, new Set(), foundChannels)

  // Named types first, so an action can reference a type that another action declares.
  for (const action of found.keys()) {
    compiler.addNamed(action[ACTION_KEY].params)
    compiler.addNamed(action[ACTION_KEY].result)
    // A nested action's parent is a named type too: its $id must agree with the results'.
    compiler.addNamed(action[ACTION_KEY].parent)
  }
  const byName = new Map<string, RegisteredAction>()
  const byCamelName = new Map<string, RegisteredAction>()
  const byAction = new Map<AnyAction, RegisteredAction>()
  for (const [action, { hint, source: where }] of found) {
    const name = action[ACTION_KEY].name ?? (hint === undefined ? undefined : toSnakeCase(hint))
    if (name === undefined) throw definitionErrors.SERVEY_ERR_ACTION_NAME_MISSING(where)
    const existing = byName.get(name)
    if (existing !== undefined) {
      throw definitionErrors.SERVEY_ERR_REGISTRY_DUPLICATE_NAME(name, existing.source, where)
    }
    const registered = registerAction(action, name, where, compiler, options.compile ?? 'eager')
    // `generated_1` and `generated1` are distinct names with one camelCase spelling.
    const clash = byCamelName.get(registered.camelName)
    if (clash !== undefined) {
      throw definitionErrors.SERVEY_ERR_REGISTRY_NAME_CLASH(
        clash.name,
        clash.source,
        name,
        where,
        registered.camelName,
      )
    }
    byName.set(name, registered)
    byCamelName.set(registered.camelName, registered)
    byAction.set(action, registered)
  }

  const channelsByName = new Map<string, RegisteredChannel>()
  for (const [declared, where] of foundChannels) {
    const existing = channelsByName.get(declared[CHANNEL_KEY].name)
    if (existing !== undefined) {
      throw definitionErrors.SERVEY_ERR_REGISTRY_DUPLICATE_CHANNEL(
        existing.name,
        existing.source,
        where,
      )
    }
    channelsByName.set(
      declared[CHANNEL_KEY].name,
      registerChannel(declared, where, compiler, (action) => byAction.get(action)?.name),
    )
  }
  const channels = Object.freeze(
    [...channelsByName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  )

  const actions = Object.freeze(
    [...byName.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0)),
  )
  // A declared channel must be one the app serves, or the declaration documents nothing.
  const publishers = new Map<string, RegisteredAction[]>()
  for (const action of actions) {
    for (const declared of action.definition.publishes ?? []) {
      const { name } = declared[CHANNEL_KEY]
      if (channelsByName.get(name) === undefined) {
        throw definitionErrors.SERVEY_ERR_ACTION_PUBLISHES_UNREGISTERED(action.name, name)
      }
      publishers.set(name, [...(publishers.get(name) ?? []), action])
    }
  }
  return Object.freeze({
    actions,
    get: (name: string) => byName.get(name),
    channels,
    channel: (name: string) => channelsByName.get(name),
    publishersOf: (channel: string) => publishers.get(channel) ?? [],
    find: (action: AnyAction) => byAction.get(action),
    triggersOf<TTrigger extends Trigger = Trigger>(kind: string) {
      const pairs: Array<{ action: RegisteredAction; trigger: TTrigger }> = []
      for (const action of actions) {
        for (const trigger of action.definition.triggers) {
          if (trigger.kind === kind) pairs.push({ action, trigger: trigger as TTrigger })
        }
      }
      return pairs
    },
  })
}
