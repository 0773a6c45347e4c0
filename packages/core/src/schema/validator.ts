import { Ajv, type CodeOptions, type ErrorObject, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import type { TSchema } from 'typebox'
import type { ValidationIssue } from '../errors/action-error.ts'
import { definitionErrors } from '../errors/definition-errors.ts'
import { looseNumberIssue, looseNumberStrings } from './decimal-strings.ts'
import { nonFiniteIssue } from './finite-numbers.ts'
import { pointerSegment } from './json-pointer.ts'

/** Validates (and, for input, coerces and fills defaults in place); null means valid. */
export type Validator = (value: unknown) => readonly ValidationIssue[] | null

/**
 * Where input came from decides how it is read. `json` values keep their types; `strings`
 * values (a query string, CLI flags) are coerced by the schema: "3" to 3 for a number,
 * "a" to ["a"] for an array. Strings stay exactly as sent, unlike the original's inference.
 */
export type InputSource = 'json' | 'strings'

// ajv-formats is CommonJS; under NodeNext its default import is the module object.
const addFormats = ((formatsModule as unknown as { default?: typeof formatsModule }).default ??
  formatsModule) as unknown as (ajv: Ajv) => Ajv

/**
 * The three ways a schema is compiled: input as JSON (defaults filled in), input as strings
 * (coerced too) and results or channel events (never changed).
 */
export type ValidatorKind = InputSource | 'result'

/**
 * A validate function as Ajv makes it, compiled in this process or generated ahead of time as
 * standalone code: true when valid, else the reasons in `errors`.
 */
export type PrecompiledValidator = ValidateFunction

/**
 * Validators generated ahead of time (`precompileValidators` of `@servey/core/precompile`), by
 * `validatorKey`. A registry given them compiles no schema they cover.
 */
export type PrecompiledValidators = Readonly<Record<string, PrecompiledValidator>>

/**
 * What identifies a validator: its kind and the schema as Ajv receives it (TypeBox's metadata
 * dropped, named types replaced by references). The same schema text always gives the same
 * code, so a validator generated from it at build time is the one this process would compile.
 */
export function validatorKey(
  kind: ValidatorKind,
  schema: Readonly<Record<string, unknown>>,
): string {
  return `${kind} ${JSON.stringify(schema)}`
}

function createAjv(
  coerceTypes: false | 'array',
  useDefaults: boolean,
  validateSchema: boolean,
  code: CodeOptions | undefined,
): Ajv {
  // Draft-07, as TypeBox 1.x emits it; strict off because TypeBox adds annotation keywords.
  // `strict: false` also turns off `strictNumbers`, which alone makes `number` and `integer`
  // refuse Infinity and NaN: turn it back on.
  const ajv = new Ajv({
    coerceTypes,
    useDefaults,
    allErrors: true,
    strict: false,
    strictNumbers: true,
    validateSchema,
    ...(code === undefined ? {} : { code }),
  })
  addFormats(ajv)
  return ajv
}

function toIssue(error: ErrorObject): ValidationIssue {
  let path = error.instancePath
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    path = `${path}/${pointerSegment(params['missingProperty'])}`
  } else if (
    error.keyword === 'additionalProperties' &&
    typeof params['additionalProperty'] === 'string'
  ) {
    path = `${path}/${pointerSegment(params['additionalProperty'])}`
  }
  return {
    path: path === '' ? '/' : path,
    message: error.message ?? 'is invalid',
    keyword: error.keyword,
  }
}

function toValidator(validate: ValidateFunction): Validator {
  return (value) => (validate(value) ? null : (validate.errors ?? []).map(toIssue))
}

/**
 * Whether coercing string input to this schema may make a number: it names the type `number` or
 * `integer` somewhere, or refers to a named type that may. Ajv coerces to the `type` keyword
 * only, so without one the decimal check of string input has nothing to guard and is skipped:
 * most query strings are read into string fields (a name, a search), and the walk over every
 * string was a measurable part of a GET (BENCHMARKS.md, 2026-12-07 18:29 to 19:50). A property
 * that is only *called* `number` makes the check run: a false alarm costs the walk, never a miss.
 */
function mayCoerceToNumber(schema: TSchema): boolean {
  const text = JSON.stringify(schema)
  return text.includes('"number"') || text.includes('"integer"') || text.includes('"$ref"')
}

/**
 * Non-finite numbers are refused on top of the schema (see nonFiniteIssue): JSON input before
 * it, so `1e309` is reported as not finite rather than "must be integer"; string input after
 * it, since coercion is what turns "1e309" into Infinity. String input must also write its
 * numbers in decimal (`0x10` is not 16), checked only where `numeric` says a number may be
 * made. Results get the same walk in the pipeline, where it runs in production too.
 */
function toInputValidator(
  validate: ValidateFunction,
  source: InputSource,
  numeric: boolean,
): Validator {
  const schemaIssues = toValidator(validate)
  const finite = (value: unknown): readonly ValidationIssue[] | null => {
    const issue = nonFiniteIssue(value)
    return issue === null ? null : [issue]
  }
  if (source === 'json') return (value) => finite(value) ?? schemaIssues(value)
  if (!numeric) return (value) => schemaIssues(value) ?? finite(value)
  return (value) => {
    // Only decimal text becomes a number (see decimal-strings.ts): `0x10` and ` 5` do not.
    const loose = looseNumberStrings(value)
    const issues = schemaIssues(value) ?? finite(value)
    if (issues !== null || loose.length === 0) return issues
    const issue = looseNumberIssue(value, loose)
    return issue === null ? null : [issue]
  }
}

type JsonObject = Record<string, unknown>

/**
 * Compiles the validators of one registry. Named types (sub-schemas with an `$id`) are
 * registered once under their id, so two actions can share a type and `Type.Ref('Point')`
 * resolves; a registry owns its compiler, so two unrelated apps never share ids. A schema that
 * `validators` covers is not compiled: its precompiled validate function is used instead.
 */
export interface SchemaCompiler {
  /** Register the named types inside a schema; call for every schema before compiling. */
  addNamed(schema: TSchema | undefined): void
  /** Input validation: fills defaults in place and, for `strings`, coerces in place. */
  input(schema: TSchema, source: InputSource): Validator
  /**
   * Result checking never changes the value: filling defaults here would make a dev server
   * answer differently from production, where results are not checked.
   */
  result(schema: TSchema): Validator
}

export interface SchemaCompilerOptions {
  /**
   * Check each schema against the JSON Schema meta-schema before compiling it (default true).
   * Compiling the meta-schema is most of the first compile's cost (about 35 ms), so a Lambda
   * cold start turns it off: `servey sls` compiled and checked every schema of the bundle when
   * it generated it.
   */
  readonly checkSchemas?: boolean
  /** Validators generated ahead of time, by `validatorKey`: these schemas are not compiled. */
  readonly validators?: PrecompiledValidators
}

/** What a compiler that keeps its code made: see `createSourceSchemaCompiler`. */
export interface CompiledValidator {
  readonly key: string
  readonly kind: ValidatorKind
  readonly validate: ValidateFunction
  /** The Ajv instance that compiled it, whose standalone code it can be written as. */
  readonly ajv: Ajv
}

interface CompilerInternals {
  /** Ajv's code options, for a compiler whose validators are written out as code. */
  readonly code?: CodeOptions
  /** Called once for every validator compiled (not for precompiled ones). */
  readonly compiled?: (entry: CompiledValidator) => void
}

export function createSchemaCompiler(
  options: SchemaCompilerOptions = {},
  internals: CompilerInternals = {},
): SchemaCompiler {
  const checkSchemas = options.checkSchemas ?? true
  const validators = options.validators ?? {}
  const named = new Map<string, { schema: JsonObject; json: string }>()
  const instances: Ajv[] = []
  const ajvs: Partial<Record<ValidatorKind, Ajv>> = {}
  // One validate function per kind and schema text: actions that share a schema share it.
  const functions = new Map<string, ValidateFunction>()

  const instance = (kind: ValidatorKind): Ajv => {
    let ajv = ajvs[kind]
    if (ajv !== undefined) return ajv
    ajv = createAjv(
      kind === 'strings' ? 'array' : false,
      kind !== 'result',
      checkSchemas,
      internals.code,
    )
    for (const [id, entry] of named) ajv.addSchema(entry.schema, id)
    instances.push(ajv)
    ajvs[kind] = ajv
    return ajv
  }

  // Replaces every `$id` sub-schema by a `$ref` to it, registering it on the way.
  const hoist = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(hoist)
    if (typeof node !== 'object' || node === null) return node
    const out: JsonObject = {}
    for (const [key, value] of Object.entries(node)) {
      if (key !== '$id') out[key] = hoist(value)
    }
    const id = (node as JsonObject)['$id']
    if (typeof id !== 'string') return out
    const json = JSON.stringify(out)
    const existing = named.get(id)
    if (existing === undefined) {
      named.set(id, { schema: out, json })
      for (const ajv of instances) ajv.addSchema(out, id)
    } else if (existing.json !== json) {
      throw definitionErrors.SERVEY_ERR_SCHEMA_ID_CONFLICT(id)
    }
    return { $ref: id }
  }
  // A JSON copy drops TypeBox's non-JSON metadata before Ajv sees the schema.
  const prepare = (schema: TSchema): JsonObject =>
    hoist(JSON.parse(JSON.stringify(schema))) as JsonObject

  const validateFunction = (kind: ValidatorKind, schema: TSchema): ValidateFunction => {
    const prepared = prepare(schema)
    const key = validatorKey(kind, prepared)
    const known =
      functions.get(key) ?? (Object.hasOwn(validators, key) ? validators[key] : undefined)
    if (known !== undefined) {
      functions.set(key, known)
      return known
    }
    const ajv = instance(kind)
    const validate = ajv.compile(prepared)
    functions.set(key, validate)
    internals.compiled?.({ key, kind, validate, ajv })
    return validate
  }

  return {
    addNamed(schema) {
      if (schema !== undefined) prepare(schema)
    },
    input(schema, source) {
      return toInputValidator(
        validateFunction(source, schema),
        source,
        source === 'strings' && mayCoerceToNumber(schema),
      )
    },
    result(schema) {
      return toValidator(validateFunction('result', schema))
    },
  }
}

/** One line for logs and messages: `/name must be string; /age must be >= 0`. */
export function summarizeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')
}
