import fc from 'fast-check'
import {
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
  type GraphQLArgument,
  type GraphQLField,
  type GraphQLInputType,
  type GraphQLOutputType,
  type GraphQLSchema,
} from 'graphql'
import { edgeNumberText, hostileValueText, notJsonText, type JsonText } from './hostile-values.ts'
import type { HttpCase } from './http-send.ts'

type Field = GraphQLField<unknown, unknown>
type Root = 'query' | 'mutation'

/** A JSON value (as text) for an input type: mostly valid, sometimes wrong or hostile. */
function inputText(type: GraphQLInputType, depth = 0): fc.Arbitrary<JsonText> {
  if (isNonNullType(type)) return inputText(type.ofType, depth)
  if (depth > 4) return hostileValueText
  if (isListType(type)) {
    return fc
      .array(inputText(type.ofType as GraphQLInputType, depth + 1), { maxLength: 120 })
      .map((items) => `[${items.join(',')}]`)
  }
  if (isEnumType(type)) {
    return fc.oneof(
      fc.constantFrom(...type.getValues().map((value) => JSON.stringify(value.name))),
      hostileValueText,
    )
  }
  if (isInputObjectType(type)) {
    const fields = Object.values(type.getFields())
    return fc
      .tuple(
        ...fields.map((field) =>
          fc.record({
            present: fc.boolean(),
            name: fc.constant(field.name),
            value: inputText(field.type, depth + 1),
          }),
        ),
      )
      .map(
        (entries) =>
          `{${entries
            .filter((e) => e.present)
            .map((e) => `"${e.name}":${e.value}`)
            .join(',')}}`,
      )
  }
  let valid: fc.Arbitrary<JsonText>
  switch (isScalarType(type) ? type.name : '') {
    case 'Int':
      valid = fc.oneof(
        fc.integer({ min: -200, max: 200 }).map(String),
        fc.integer().map(String),
        edgeNumberText,
      )
      break
    case 'Float':
      valid = fc.oneof(
        fc.double({ noNaN: true, noDefaultInfinity: true }).map(String),
        edgeNumberText,
      )
      break
    case 'Boolean':
      valid = fc.constantFrom('true', 'false')
      break
    default:
      valid = fc.string({ maxLength: 40 }).map((s) => JSON.stringify(s))
  }
  return fc.oneof({ arbitrary: valid, weight: 4 }, { arbitrary: hostileValueText, weight: 1 })
}

/** A GraphQL literal for an argument: inline values, including ones of the wrong type. */
function literalText(type: GraphQLInputType): fc.Arbitrary<string> {
  return inputText(type).map((json) => {
    // JSON is nearly GraphQL literal syntax; object keys must lose their quotes.
    return json.replace(/"([A-Za-z_][A-Za-z0-9_]*)":/g, '$1:')
  })
}

/** A selection set for an output type, `depth` levels of objects deep. */
function selectionFor(type: GraphQLOutputType, depth: number): fc.Arbitrary<string> {
  const named = getNamedType(type)
  if (!isObjectType(named)) return fc.constant('')
  const fields = Object.values(named.getFields()).filter((field) =>
    field.args.every((arg) => !isNonNullType(arg.type)),
  )
  if (fields.length === 0 || depth > 3) return fc.constant('{ __typename }')
  return fc
    .subarray(fields, { minLength: 1 })
    .chain((chosen) =>
      fc.tuple(
        ...chosen.map((field) =>
          selectionFor(field.type, depth + 1).map((sub) => `${field.name} ${sub}`),
        ),
      ),
    )
    .map((parts) => `{ ${parts.join(' ')} }`)
}

interface Operation {
  readonly document: string
  readonly variables?: JsonText
}

/** One field called with variables (declared right or wrong) or with inline literals. */
function fieldOperation(root: Root, field: Field): fc.Arbitrary<Operation> {
  const args: readonly GraphQLArgument[] = field.args
  const withVariables = fc
    .record({
      values: fc.tuple(...args.map((arg) => inputText(arg.type))),
      // A declared type that does not match the argument's, now and then.
      declared: fc.tuple(
        ...args.map((arg) =>
          fc.oneof(
            { arbitrary: fc.constant(String(arg.type)), weight: 6 },
            {
              arbitrary: fc.constantFrom('Int', 'Float!', 'String', '[Int!]!', 'Boolean!', 'ID'),
              weight: 1,
            },
          ),
        ),
      ),
      selection: selectionFor(field.type, 0),
      extraVariables: fc.option(
        fc.constantFrom('"__proto__":{"polluted":1}', '"unused":1e309', '"constructor":{}'),
      ),
    })
    .map(({ values, declared, selection, extraVariables }) => {
      const header =
        args.length === 0
          ? ''
          : `(${args.map((arg, i) => `$${arg.name}: ${declared[i]}`).join(', ')})`
      const call =
        args.length === 0 ? '' : `(${args.map((arg) => `${arg.name}: $${arg.name}`).join(', ')})`
      const variables = args.map((arg, i) => `"${arg.name}":${values[i]}`)
      if (extraVariables !== null) variables.push(extraVariables)
      return {
        document: `${root} Fuzz${header} { ${field.name}${call} ${selection} }`,
        variables: `{${variables.join(',')}}`,
      }
    })
  const withLiterals = fc
    .record({
      values: fc.tuple(...args.map((arg) => literalText(arg.type))),
      selection: selectionFor(field.type, 0),
    })
    .map(({ values, selection }) => {
      const call =
        args.length === 0 ? '' : `(${args.map((arg, i) => `${arg.name}: ${values[i]}`).join(', ')})`
      return { document: `${root} { ${field.name}${call} ${selection} }` }
    })
  return fc.oneof(withVariables, withLiterals)
}

/** Documents built to hit the limits: aliases, depth, fragment cycles, directives, size. */
function abusiveDocument(fields: readonly { root: Root; field: Field }[]): fc.Arbitrary<Operation> {
  const plain = fields.find(({ root, field }) => root === 'query' && field.args.length === 0)
  const name = plain?.field.name ?? '__typename'
  return fc.oneof(
    fc.integer({ min: 10, max: 5_000 }).map((n) => ({
      document: `{ ${Array.from({ length: n }, (_, i) => `a${i}: ${name}`).join(' ')} }`,
    })),
    fc.integer({ min: 10, max: 3_000 }).map((n) => ({
      document: `{ ${'... on Query { '.repeat(n)}__typename${' }'.repeat(n)} }`,
    })),
    fc.constant({ document: '{ ...A } fragment A on Query { ...B } fragment B on Query { ...A }' }),
    fc.constant({ document: '{ ...A } fragment A on Query { ...A }' }),
    fc.integer({ min: 10, max: 2_000 }).map((n) => ({
      document: `{ __typename ${'@include(if: true) '.repeat(n)}}`,
    })),
    fc.integer({ min: 2, max: 200 }).map((n) => ({
      document: `{ __schema { types { ${'fields { type { '.repeat(n)}name${' } }'.repeat(n)} } } }`,
    })),
    fc
      .integer({ min: 100, max: 100_000 })
      .map((n) => ({ document: `{ ${'__typename '.repeat(n)}}` })),
    fc
      .integer({ min: 10, max: 10_000 })
      .map((n) => ({ document: `${'{'.repeat(n)}${'}'.repeat(n)}` })),
    fc.string({ maxLength: 200 }).map((document) => ({ document })),
    fc.constantFrom(
      { document: 'subscription { x }' },
      { document: 'query A { __typename } query A { __typename }' },
      { document: '{ __typename } { __typename }' },
      { document: '{ __type(name: "Query") { name } }' },
      { document: '"""' },
      { document: '{ a(b: "\\u0000") }' },
      { document: '#' },
    ),
  )
}

/** A document mutated by hand-typing mistakes: a character dropped, doubled or swapped. */
function mutated(operation: fc.Arbitrary<Operation>): fc.Arbitrary<Operation> {
  return fc
    .tuple(
      operation,
      fc.nat(),
      fc.constantFrom('drop', 'double', 'insert'),
      fc.constantFrom('{', '}', '(', ')', '$', '"', ':', '!', '@', '...', '\\'),
    )
    .map(([op, at, how, char]) => {
      const i = op.document.length === 0 ? 0 : at % op.document.length
      const d = op.document
      const document =
        how === 'drop'
          ? d.slice(0, i) + d.slice(i + 1)
          : how === 'double'
            ? d.slice(0, i) + d[i] + d.slice(i)
            : d.slice(0, i) + char + d.slice(i)
      return { ...op, document }
    })
}

function jsonBody(operation: Operation, extra = ''): string {
  const parts = [`"query":${JSON.stringify(operation.document)}`]
  if (operation.variables !== undefined) parts.push(`"variables":${operation.variables}`)
  if (extra !== '') parts.push(extra)
  return `{${parts.join(',')}}`
}

/** How the operation travels: POST JSON, GET, batches, wrong content types, broken bodies. */
function envelope(operation: fc.Arbitrary<Operation>): fc.Arbitrary<HttpCase> {
  const post = (
    label: string,
    body: Buffer | string,
    contentType: string | undefined,
  ): HttpCase => ({
    trigger: 'graphql',
    label: `${label} ${typeof body === 'string' ? body.slice(0, 300) : `<${body.length} bytes>`}`,
    method: 'POST',
    target: '/graphql',
    headers: contentType === undefined ? {} : { 'content-type': contentType },
    body,
  })
  return fc.oneof(
    {
      arbitrary: operation.map((op) => post('POST', jsonBody(op), 'application/json')),
      weight: 10,
    },
    {
      arbitrary: fc
        .tuple(
          operation,
          fc.constantFrom(
            'application/graphql-response+json',
            'application/json',
            'text/html',
            '*/*',
          ),
        )
        .map(([op, accept]) => {
          const query = new URLSearchParams({ query: op.document })
          if (op.variables !== undefined) query.set('variables', op.variables)
          return {
            trigger: 'graphql' as const,
            label: `GET (${accept}) ${query.toString().slice(0, 300)}`,
            method: 'GET',
            target: `/graphql?${query.toString()}`,
            headers: { accept },
          }
        }),
      weight: 3,
    },
    {
      // Raw GET parameters: bad JSON in variables/extensions, missing query, repeats.
      arbitrary: fc
        .tuple(
          operation,
          fc.constantFrom('variables', 'extensions', 'operationName', 'query'),
          fc.oneof(notJsonText, hostileValueText),
        )
        .map(([op, param, text]) => ({
          trigger: 'graphql' as const,
          label: `GET raw ${param}=${text.slice(0, 100)}`,
          method: 'GET',
          target: `/graphql?query=${encodeURIComponent(op.document)}&${param}=${text.length > 30_000 ? encodeURIComponent(text.slice(0, 30_000)) : text}`,
          headers: {},
        })),
      weight: 2,
    },
    {
      arbitrary: fc
        .array(operation, { minLength: 0, maxLength: 40 })
        .map((ops) =>
          post(
            `batch of ${ops.length}`,
            `[${ops.map((op) => jsonBody(op)).join(',')}]`,
            'application/json',
          ),
        ),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(
          operation,
          fc.constantFrom(
            'text/plain',
            'application/graphql',
            'application/x-www-form-urlencoded',
            'multipart/form-data; boundary=x',
            'application/xml',
            'application/json; charset=utf-16',
            '',
          ),
        )
        .map(([op, type]) =>
          post(
            `POST as ${type}`,
            type === 'application/graphql' ? op.document : jsonBody(op),
            type === '' ? undefined : type,
          ),
        ),
      weight: 2,
    },
    {
      arbitrary: fc
        .tuple(operation, fc.oneof(notJsonText, hostileValueText))
        .map(([op, text]) =>
          post(
            'POST hostile body',
            `{"query":${JSON.stringify(op.document)},"variables":${text}}`,
            'application/json',
          ),
        ),
      weight: 2,
    },
    {
      arbitrary: fc
        .oneof(notJsonText, hostileValueText)
        .map((text) => post('POST hostile document', text, 'application/json')),
      weight: 2,
    },
    {
      arbitrary: operation.map((op) =>
        post(
          'POST __proto__',
          jsonBody(op, '"__proto__":{"query":"{ __typename }"},"extensions":{"__proto__":{"x":1}}'),
          'application/json',
        ),
      ),
      weight: 1,
    },
    {
      arbitrary: fc
        .uint8Array({ minLength: 1, maxLength: 40 })
        .map((bytes) =>
          post(
            'POST bad UTF-8',
            Buffer.concat([Buffer.from('{"query":"{ '), Buffer.from(bytes), Buffer.from(' }"}')]),
            'application/json',
          ),
        ),
      weight: 1,
    },
  )
}

/** Hostile GraphQL requests derived from the schema: every Query and Mutation field. */
export function graphqlCases(schema: GraphQLSchema): fc.Arbitrary<HttpCase> {
  const fields: { root: Root; field: Field }[] = []
  for (const [root, type] of [
    ['query', schema.getQueryType()],
    ['mutation', schema.getMutationType()],
  ] as const) {
    for (const field of Object.values(type?.getFields() ?? {})) fields.push({ root, field })
  }
  const normal = fc.oneof(...fields.map(({ root, field }) => fieldOperation(root, field)))
  const mutations = fields.filter(({ root }) => root === 'mutation')
  const operation = fc.oneof(
    { arbitrary: normal, weight: 8 },
    { arbitrary: abusiveDocument(fields), weight: 2 },
    { arbitrary: mutated(normal), weight: 2 },
  )
  const getMutation =
    mutations.length === 0
      ? []
      : [
          {
            // A mutation over GET must be refused (405), never run.
            arbitrary: fc
              .oneof(...mutations.map(({ root, field }) => fieldOperation(root, field)))
              .map((op): HttpCase => ({
                trigger: 'graphql',
                label: `GET mutation ${op.document.slice(0, 200)}`,
                method: 'GET',
                target: `/graphql?query=${encodeURIComponent(op.document)}${op.variables === undefined ? '' : `&variables=${encodeURIComponent(op.variables)}`}`,
                headers: {},
              })),
            weight: 1,
          },
        ]
  return fc.oneof({ arbitrary: envelope(operation), weight: 12 }, ...getMutation)
}
