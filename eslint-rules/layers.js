/**
 * local/layers: the layer rules of ARCHITECTURE.md as an allow-list per layer, checked on the path each import
 * RESOLVES to, not on how its string is spelled. A relative import is resolved against the importing file (so
 * `../../src/renderer/x` or `./../renderer/x` cannot slip past a pattern); a bare one is a Node built-in or a
 * package found the way Node finds it (node_modules folders up the tree), and anything else (an alias nobody
 * declared, a path that leaves the project) is refused, because it cannot be checked.
 *
 * Why a local rule: the maintained plugins that resolve imports (eslint-plugin-boundaries,
 * eslint-plugin-import-x's no-restricted-paths) are not in this project's dependencies, and ESLint's core
 * no-restricted-imports only matches strings. This file is small, has no dependencies of its own, and
 * test/unit/lint/boundaries.test.ts proves each of its refusals.
 *
 * Options: { root, layers: [{ layer, allow, packages, builtins, messages }] }. The most specific `layer` folder
 * holding the file applies; `allow` lists the project folders or files its imports may resolve into (a folder
 * allows everything under it except folders that are layers of their own, which must be listed themselves);
 * `packages` is '*' or the npm packages it may use; `deny` names packages refused even under '*'; `builtins`
 * says whether Node's built-in modules are allowed.
 */
import { existsSync } from 'node:fs'
import { builtinModules } from 'node:module'
import { dirname, isAbsolute, join, relative, resolve, sep } from 'node:path'

const BUILTINS = new Set(builtinModules.filter((m) => !m.startsWith('_')))

const toPosix = (p) => p.split(sep).join('/')
const within = (path, folder) => path === folder || path.startsWith(`${folder}/`)

/** The package a bare specifier names: 'react-dom/client' -> 'react-dom', '@scope/pkg/x' -> '@scope/pkg'. */
function packageOf(specifier) {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier)
}

/** Whether Node would find the package from this folder: a node_modules/<name> in it or any folder above. */
function packageExists(name, fromDir) {
  for (let dir = fromDir; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'node_modules', name, 'package.json'))) return true
    if (dirname(dir) === dir) return false
  }
}

/**
 * What an import resolves to: a project path (relative to root), a built-in, a package, or why it cannot be
 * resolved. Vite's query suffixes ('?raw', '?url') name the same file.
 */
export function resolveImport(specifier, file, root) {
  const spec = specifier.replace(/\?.*$/, '')
  if (spec.startsWith('.') || isAbsolute(spec)) {
    const target = toPosix(relative(root, resolve(dirname(file), spec)))
    if (target.startsWith('../') || target === '..' || isAbsolute(target))
      return { kind: 'outside', target: spec }
    return { kind: 'path', target }
  }
  if (spec.startsWith('node:') || BUILTINS.has(packageOf(spec))) return { kind: 'builtin', target: spec }
  const name = packageOf(spec)
  if (packageExists(name, dirname(file))) return { kind: 'package', target: name }
  return { kind: 'unresolved', target: spec }
}

/** The layer whose folder holds the file: the longest matching one. */
function layerOf(path, layers) {
  return layers.filter((l) => within(path, l.layer)).sort((a, b) => b.layer.length - a.layer.length)[0]
}

/** Whether a project path is one the layer may import: under an allowed entry, and not inside another layer it does not list. */
function pathAllowed(target, layer, layers) {
  const owner = layerOf(target, layers)
  if (owner && !layer.allow.includes(owner.layer)) return false
  return layer.allow.some((a) => within(target, a))
}

export default {
  meta: {
    type: 'problem',
    docs: { description: 'Allow-list of what each layer may import, on resolved import paths' },
    schema: [
      {
        type: 'object',
        properties: { root: { type: 'string' }, layers: { type: 'array' } },
        required: ['root', 'layers'],
        additionalProperties: false
      }
    ]
  },
  create(context) {
    const { root, layers } = context.options[0]
    const file = context.filename
    const path = toPosix(relative(root, file))
    const layer = layerOf(path, layers)
    if (!layer) return {}
    const say = (node, message) => context.report({ node, message })

    function check(node, source) {
      if (!source || typeof source.value !== 'string') return
      const r = resolveImport(source.value, file, root)
      const m = layer.messages ?? {}
      if (r.kind === 'builtin') {
        if (!layer.builtins)
          say(source, m.builtins ?? `${layer.layer} may not use Node built-ins ('${r.target}').`)
      } else if (r.kind === 'package') {
        const denied = (layer.deny ?? []).includes(r.target)
        const listed = layer.packages === '*' || layer.packages.includes(r.target)
        if (denied || !listed)
          say(
            source,
            (m.packages ?? {})[r.target] ??
              `${layer.layer} may not import the package '${r.target}' (allowed: ${
                layer.packages === '*'
                  ? 'any but ' + layer.deny.join(', ')
                  : layer.packages.join(', ') || 'none'
              }).`
          )
      } else if (r.kind === 'path') {
        if (!pathAllowed(r.target, layer, layers))
          say(
            source,
            `${layer.layer} may not import from ${layerOf(r.target, layers)?.layer ?? r.target} ` +
              `('${source.value}' is ${r.target}; ${layer.layer} may import ${layer.allow.join(', ')}; ` +
              'see ARCHITECTURE.md, Layout).'
          )
      } else {
        say(
          source,
          r.kind === 'outside'
            ? `'${source.value}' leaves the project.`
            : `'${source.value}' resolves to no file or package (an alias? this rule cannot check it).`
        )
      }
    }

    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source.type === 'Literal' ? node.source : null),
      TSImportType: (node) => check(node, node.argument?.literal ?? node.argument),
      TSExternalModuleReference: (node) => check(node, node.expression)
    }
  }
}
