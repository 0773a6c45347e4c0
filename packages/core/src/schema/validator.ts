import { Ajv, type ErrorObject, type ValidateFunction } from 'ajv'
import formatsModule from 'ajv-formats'
import type { TSchema } from 'typebox'
import type { ValidationIssue } from '../errors/action-error.ts'

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

function createAjv(coerceTypes: false | 'array'): Ajv {
  // Draft-07, as TypeBox 1.x emits it; strict off because TypeBox adds annotation keywords.
  const ajv = new Ajv({ coerceTypes, useDefaults: true, allErrors: true, strict: false })
  addFormats(ajv)
  return ajv
}

let jsonAjv: Ajv | undefined
let stringsAjv: Ajv | undefined

function ajvFor(source: InputSource): Ajv {
  if (source === 'json') return (jsonAjv ??= createAjv(false))
  return (stringsAjv ??= createAjv('array'))
}

function toIssue(error: ErrorObject): ValidationIssue {
  let path = error.instancePath
  const params = error.params as Record<string, unknown>
  if (error.keyword === 'required' && typeof params['missingProperty'] === 'string') {
    path = `${path}/${params['missingProperty']}`
  } else if (
    error.keyword === 'additionalProperties' &&
    typeof params['additionalProperty'] === 'string'
  ) {
    path = `${path}/${params['additionalProperty']}`
  }
  return { path: path === '' ? '/' : path, message: error.message ?? 'is invalid', keyword: error.keyword }
}

export function compileValidator(schema: TSchema, source: InputSource): Validator {
  const validate: ValidateFunction = ajvFor(source).compile(schema)
  return (value) => (validate(value) ? null : (validate.errors ?? []).map(toIssue))
}

/** One line for logs and messages: `/name must be string; /age must be >= 0`. */
export function summarizeIssues(issues: readonly ValidationIssue[]): string {
  return issues.map((issue) => `${issue.path} ${issue.message}`).join('; ')
}
