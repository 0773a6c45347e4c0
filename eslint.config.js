// ESLint 9 flat config for the whole monorepo: `pnpm lint` runs `eslint . && prettier --check .`.
//
// Syntax-only rules (typescript-eslint `recommended`) everywhere, plus three type-aware rules
// on the TypeScript sources that the root tsconfig.json covers (unhandled promises are the bug
// class that matters most in a server framework). The package boundaries of design.md §2 are
// enforced with `no-restricted-imports`; formatting is Prettier's job, not ESLint's.
import js from '@eslint/js'
import { defineConfig } from 'eslint/config'
import tseslint from 'typescript-eslint'

const ADAPTERS = ['rest', 'graphql', 'scheduler', 'channels', 'aws']

/** Node's globals, for the few plain .js files (TypeScript files get them from @types/node). */
const NODE_GLOBALS = Object.fromEntries(
  [
    'AbortController',
    'AbortSignal',
    'Buffer',
    'URL',
    'URLSearchParams',
    'TextDecoder',
    'TextEncoder',
    'clearImmediate',
    'clearInterval',
    'clearTimeout',
    'console',
    'fetch',
    'globalThis',
    'performance',
    'process',
    'queueMicrotask',
    'setImmediate',
    'setInterval',
    'setTimeout',
    'structuredClone',
  ].map((name) => [name, 'readonly']),
)

const TEST_FILES = [
  '**/*.test.ts',
  '**/*.fixture.ts',
  '**/test/**/*.ts',
  '**/tests/**/*.ts',
  '**/test-support/**/*.ts',
  '**/*.config.ts',
]

/** Source files whose types the root tsconfig.json knows (see its `include`). */
const TYPED_FILES = [
  'packages/*/src/**/*.ts',
  'packages/*/bin/**/*.ts',
  'examples/*/src/**/*.ts',
  'examples/*/test/**/*.ts',
  'bench/src/**/*.ts',
  'tools/*/src/**/*.ts',
  'release/src/**/*.ts',
]

// Every block below restates the full option list: in a flat config the last block that sets a
// rule replaces its options, it does not merge them.
const USE_TS_EXTENSION = {
  regex: String.raw`^\.{1,2}/.*\.(?:js|mjs|cjs)$`,
  message: 'Import relative TypeScript files by their .ts name (rewriteRelativeImportExtensions).',
}

const CROSS_PACKAGE_RELATIVE = {
  regex: String.raw`^(?:\.\./)+(?:packages/)?(?:core|http|webhooks|rest|graphql|scheduler|channels|aws|testing|cli)/(?:src|bin)(?:/|$)`,
  message: "Import another workspace package by its name ('@servey/...'), not by a relative path.",
}

const CORE_FORBIDDEN = {
  regex: String.raw`^(?:(?:fastify|graphql|bullmq|ioredis|ws|nunjucks|aws-lambda)(?:$|/|-)|@fastify/|@graphql-|@envelop/|@aws-sdk/|@types/aws-lambda(?:$|/))`,
  message:
    '@servey/core imports no transport (design.md §2): move this code to the adapter that owns the transport.',
}

const CORE_NO_SERVEY = {
  regex: String.raw`^@servey/(?:${[...ADAPTERS, 'http', 'webhooks', 'cli'].join('|')})(?:/|$)`,
  message:
    '@servey/core may not import an adapter or the CLI: adapters depend on core, never the other way.',
}

// @servey/http sits between core and the HTTP adapters: transport-neutral libraries only.
const HTTP_FORBIDDEN = {
  regex: String.raw`^(?:(?:fastify|graphql|bullmq|ioredis|ws|aws-lambda|light-my-request)(?:$|/|-)|@fastify/|@graphql-|@envelop/|@aws-sdk/|@types/aws-lambda(?:$|/))`,
  message:
    '@servey/http is transport-neutral (design.md §2): no server framework, no AWS types. Fastify code belongs in @servey/rest, Lambda code in @servey/aws.',
}

const HTTP_NO_ADAPTERS = {
  regex: String.raw`^@servey/(?:${[...ADAPTERS, 'cli'].join('|')})(?:/|$)`,
  message:
    '@servey/http may not import an adapter or the CLI: adapters build on it, never the other way.',
}

// @servey/webhooks (outbound HTTP) is a library below the adapters, like @servey/http.
const WEBHOOKS_NO_ADAPTERS = {
  regex: String.raw`^@servey/(?:${[...ADAPTERS, 'http', 'cli'].join('|')})(?:/|$)`,
  message:
    '@servey/webhooks may not import an adapter, @servey/http or the CLI: the scheduler and @servey/aws build on it, never the other way.',
}

const CORE_NO_TESTING = {
  regex: String.raw`^@servey/testing(?:/|$)`,
  message: '@servey/testing is for test files only.',
}

const DEEP_CORE = {
  regex: String.raw`^@servey/core/src(?:/|$)`,
  message:
    "Adapters use @servey/core's public entries ('@servey/core', '@servey/core/adapter'), never its src/.",
}

function otherAdapters(self) {
  const others = [...ADAPTERS.filter((name) => name !== self), 'cli']
  return {
    regex: String.raw`^@servey/(?:${others.join('|')})(?:/|$)`,
    message: `An adapter never imports another adapter or the CLI (design.md §2); compose them in @servey/cli or in an app.`,
  }
}

function restrictImports(...patterns) {
  return ['error', { patterns: [USE_TS_EXTENSION, CROSS_PACKAGE_RELATIVE, ...patterns] }]
}

export default defineConfig(
  {
    name: 'servey/ignores',
    ignores: [
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      '**/.turbo/**',
      '**/.tmp-*/**',
      '**/.servey/**',
      '**/.serverless/**',
      'bench/results/**',
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    name: 'servey/base',
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    languageOptions: {
      ecmaVersion: 2023,
      sourceType: 'module',
      globals: NODE_GLOBALS,
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'inline-type-imports' },
      ],
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          destructuredArrayIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      'no-restricted-imports': restrictImports(),
    },
  },
  {
    name: 'servey/plain-js',
    files: ['**/*.js', '**/*.mjs', '**/*.cjs'],
    rules: {
      // Plain .js files (bin shims, this file) import .js neighbours legitimately.
      'no-restricted-imports': ['error', { patterns: [CROSS_PACKAGE_RELATIVE] }],
    },
  },
  {
    name: 'servey/commonjs',
    files: ['**/*.cjs'],
    languageOptions: {
      sourceType: 'commonjs',
      globals: { module: 'writable', require: 'readonly', __dirname: 'readonly' },
    },
  },
  {
    name: 'servey/boundaries/core',
    files: ['packages/core/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': restrictImports(CORE_FORBIDDEN, CORE_NO_SERVEY, CORE_NO_TESTING),
    },
  },
  {
    name: 'servey/boundaries/core-tests',
    files: TEST_FILES.map((glob) => `packages/core/${glob}`),
    rules: {
      'no-restricted-imports': restrictImports(CORE_FORBIDDEN, CORE_NO_SERVEY),
    },
  },
  {
    name: 'servey/boundaries/http',
    files: ['packages/http/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': restrictImports(
        HTTP_FORBIDDEN,
        HTTP_NO_ADAPTERS,
        CORE_NO_TESTING,
        DEEP_CORE,
      ),
    },
  },
  {
    name: 'servey/boundaries/http-tests',
    files: TEST_FILES.map((glob) => `packages/http/${glob}`),
    rules: {
      'no-restricted-imports': restrictImports(HTTP_FORBIDDEN, HTTP_NO_ADAPTERS, DEEP_CORE),
    },
  },
  {
    name: 'servey/boundaries/webhooks',
    files: ['packages/webhooks/**/*.ts'],
    ignores: TEST_FILES,
    rules: {
      'no-restricted-imports': restrictImports(
        HTTP_FORBIDDEN,
        WEBHOOKS_NO_ADAPTERS,
        CORE_NO_TESTING,
        DEEP_CORE,
      ),
    },
  },
  ...ADAPTERS.map((adapter) => ({
    name: `servey/boundaries/${adapter}`,
    files: [`packages/${adapter}/**/*.ts`],
    rules: {
      'no-restricted-imports': restrictImports(otherAdapters(adapter), DEEP_CORE),
    },
  })),
  {
    name: 'servey/tests',
    files: TEST_FILES,
    rules: {
      // Tests poke into JSON documents (OpenAPI, GraphQL results) whose shape they assert.
      '@typescript-eslint/no-explicit-any': 'off',
    },
  },
  {
    name: 'servey/type-aware',
    files: TYPED_FILES,
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/await-thenable': 'error',
    },
  },
)
