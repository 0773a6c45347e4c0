/** tsconfig.json: strict, ESM for Node, TypeScript imports by their .ts name; tsc only checks. */
export const TSCONFIG_FILE = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'ES2022',
      lib: ['ES2023'],
      module: 'NodeNext',
      moduleResolution: 'NodeNext',
      strict: true,
      noUncheckedIndexedAccess: true,
      verbatimModuleSyntax: true,
      allowImportingTsExtensions: true,
      noEmit: true,
      skipLibCheck: true,
      types: ['node'],
    },
    include: ['src', '*.ts'],
  },
  null,
  2,
)}\n`

export const GITIGNORE_FILE = `node_modules
dist
*.log
.env
`
