/** Turns a GraphQL input value back into the shape of the action's params schema. */
export type InputConverter = (value: unknown) => unknown

/** One GraphQL field or argument and the schema property it stands for. */
export interface InputField {
  /** The GraphQL name (`childNodes`). */
  readonly from: string
  /** The schema's property name (`child_nodes`). */
  readonly to: string
  /** GraphQL null here means "not given": the property is optional but not nullable. */
  readonly dropNull: boolean
  readonly convert: InputConverter | undefined
}

function convertObject(fields: readonly InputField[], value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value
  const source = value as Record<string, unknown>
  const out: Record<string, unknown> = {}
  for (const field of fields) {
    if (!(field.from in source)) continue
    const entry = source[field.from]
    if (entry === undefined || (entry === null && field.dropNull)) continue
    out[field.to] = field.convert === undefined || entry === null ? entry : field.convert(entry)
  }
  return out
}

/** `fields` is read on first use: input types may refer to themselves. */
export function createInputConverter(fields: () => readonly InputField[]): InputConverter {
  let resolved: readonly InputField[] | undefined
  return (value) => convertObject((resolved ??= fields()), value)
}

/**
 * The converter for a field's arguments. When no argument is renamed, optional or an object,
 * GraphQL's argument object already is the params object, and is passed on as it is.
 */
export function createArgsConverter(fields: readonly InputField[]): InputConverter {
  const identity = fields.every(
    (field) => field.from === field.to && !field.dropNull && field.convert === undefined,
  )
  if (identity) return (value) => value
  return (value) => convertObject(fields, value)
}
