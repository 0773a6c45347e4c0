// pnpm hooks for this workspace.
//
// beforePacking: `pnpm pack` and `pnpm publish` drop the workspace-only "@servey/source" export
// condition from the manifest that goes into the tarball. In the repository that condition points
// at a package's TypeScript sources (the no-build loop of tsx, vitest and tsc); the tarball ships
// only the built dist/, so an installed package must name only built files. See docs/packaging.md.
'use strict'

const SOURCE_CONDITION = '@servey/source'

function withoutSourceCondition(value) {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return value
  const result = {}
  for (const [key, inner] of Object.entries(value)) {
    if (key !== SOURCE_CONDITION) result[key] = withoutSourceCondition(inner)
  }
  return result
}

module.exports = {
  hooks: {
    beforePacking(manifest) {
      if (manifest.exports !== undefined)
        manifest.exports = withoutSourceCondition(manifest.exports)
      return manifest
    },
  },
}
