import {
  action,
  allScopes,
  anyScope,
  authenticated,
  createRegistry,
  custom,
  Type,
  WEB_GET,
  WEB_POST,
} from '@servey/core'
import { describe, expect, it } from 'vitest'
import { createOpenApiDocument } from './document.ts'

type Json = Record<string, any>

// The security requirements and schemes of the document a user gets (securityOf,
// securitySchemes). More cases, and the Redocly/Spectral lint, are in document.test.ts.
const registry = createRegistry({
  open: action({ triggers: [WEB_GET] }, () => 'hi'),
  // An example without a caller says nothing about reading one: still public, no token.
  greeted: action(
    { triggers: [WEB_GET], examples: [{ name: 'anonymous', params: {}, result: 'hi' }] },
    () => 'hi',
  ),
  signed_in: action({ triggers: [WEB_POST], access: authenticated }, () => 'hi'),
  admin: action({ triggers: [WEB_POST], access: anyScope('admin', 'root') }, () => 'ok'),
  audit: action({ triggers: [WEB_GET], access: allScopes('audit', 'read') }, () => 'ok'),
  mine: action(
    {
      triggers: [WEB_GET],
      params: Type.Object({ owner: Type.String() }),
      access: custom<{ owner: string }>((auth, { owner }) => auth?.subject === owner, 'owner'),
    },
    ({ owner }) => owner,
  ),
})

const documentOf = (tokenUrl?: string): Json =>
  createOpenApiDocument(registry, tokenUrl === undefined ? {} : { tokenUrl }) as Json
const securityOf = (document: Json, name: string): unknown =>
  (Object.values(document.paths[`/actions/${name}`])[0] as Json).security

describe('OpenAPI security', () => {
  it('declares the bearer scheme the protected operations name', () => {
    const document = documentOf()
    expect(document.components.securitySchemes).toEqual({
      bearerAuth: {
        type: 'http',
        scheme: 'bearer',
        bearerFormat: 'JWT',
        description: 'Authorization: Bearer <JWT>',
      },
    })
  })

  it('adds the OAuth 2 password flow at the token URL, with every scope an action needs', () => {
    const document = documentOf('https://id.example.org/token')
    expect(document.components.securitySchemes.oauth2Password).toEqual({
      type: 'oauth2',
      description: expect.stringContaining('password flow'),
      flows: {
        password: {
          tokenUrl: 'https://id.example.org/token',
          scopes: {
            admin: 'Scope admin',
            audit: 'Scope audit',
            read: 'Scope read',
            root: 'Scope root',
          },
        },
      },
    })
  })

  it('asks nothing of a public action, with or without the OAuth 2 flow', () => {
    for (const document of [documentOf(), documentOf('/token')]) {
      expect(securityOf(document, 'open')).toEqual([])
      expect(securityOf(document, 'greeted')).toEqual([])
    }
  })

  it('lists anonymous last for a custom rule, which may let anonymous callers in', () => {
    expect(securityOf(documentOf(), 'mine')).toEqual([{ bearerAuth: [] }, {}])
    expect(securityOf(documentOf(), 'signed-in')).toEqual([{ bearerAuth: [] }])
    expect(securityOf(documentOf('/token'), 'signed-in')).toEqual([
      { bearerAuth: [] },
      { oauth2Password: [] },
    ])
  })

  it('documents 401 where a token is read, and 403 where a scope or a rule can refuse', () => {
    const document = documentOf('/token')
    const codes = (name: string) =>
      Object.keys((Object.values(document.paths[`/actions/${name}`])[0] as Json).responses)
    for (const name of ['open', 'greeted']) {
      expect(codes(name)).not.toContain('401')
      expect(codes(name)).not.toContain('403')
    }
    expect(codes('signed-in')).toContain('401')
    expect(codes('signed-in')).not.toContain('403')
    for (const name of ['admin', 'audit', 'mine']) expect(codes(name)).toContain('403')
    expect(document.paths['/actions/mine'].get.responses['403']).toEqual({
      $ref: '#/components/responses/Forbidden',
    })
  })

  it('names only declared schemes, and only scopes the OAuth 2 flow declares', () => {
    for (const document of [documentOf(), documentOf('/token')]) {
      const schemes = document.components.securitySchemes as Json
      const flowScopes = Object.keys(schemes.oauth2Password?.flows.password.scopes ?? {})
      for (const item of Object.values(document.paths as Json))
        for (const operation of Object.values(item as Json))
          for (const requirement of (operation as Json).security as Json[])
            for (const [scheme, scopes] of Object.entries(requirement)) {
              expect(schemes[scheme]).toBeDefined()
              for (const scope of scopes as string[]) expect(flowScopes).toContain(scope)
            }
    }
  })
})
