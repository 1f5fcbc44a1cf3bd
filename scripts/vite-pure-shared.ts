/**
 * A Vite plugin for the renderer build: marks each top-level definition in src/shared as free of side effects,
 * so the bundler drops the ones the renderer never reads. Why: a screen imports one constant (the page names,
 * the themes, a length) from a shared module that also defines the service's zod schemas; a schema is built by
 * a call (`z.object(...)`), which a bundler must keep in case it does something, and with it all of zod. src/shared
 * is pure by the layering rule (no I/O; a module's top level only defines), so every `const x = <expression>`
 * there becomes `const x = /* @__PURE__ *\/ (() => <expression>)()`: the same value, computed at the same moment
 * when it is used, and removed when it is not. Statements that are not definitions are left as they are.
 */
import type { Plugin } from 'vite'

interface Node {
  type: string
  start: number
  end: number
  [key: string]: unknown
}

/** Initialisers that are already free of side effects: wrapping them gains nothing. */
const INERT = new Set([
  'Literal',
  'Identifier',
  'ArrowFunctionExpression',
  'FunctionExpression',
  'TemplateLiteral'
])

/** The top-level `const`/`let` initialisers of a module (also inside `export const`). */
function topLevelInitialisers(program: Node): Node[] {
  const out: Node[] = []
  for (const statement of program.body as Node[]) {
    const declaration =
      statement.type === 'ExportNamedDeclaration' ? (statement.declaration as Node | null) : statement
    if (declaration?.type !== 'VariableDeclaration') continue
    for (const d of declaration.declarations as Node[]) {
      const init = d.init as Node | null
      if (init && !INERT.has(init.type)) out.push(init)
    }
  }
  return out
}

/** `code` with each top-level initialiser wrapped in a pure-annotated arrow call; null when nothing changes. */
export function markSharedDefinitionsPure(code: string, program: Node): string | null {
  const inits = topLevelInitialisers(program)
  if (inits.length === 0) return null
  let out = ''
  let at = 0
  for (const init of inits) {
    const text = code.slice(init.start, init.end)
    // A top-level await cannot move into a function; such a definition stays as it is.
    if (/\bawait\b/.test(text)) continue
    out += `${code.slice(at, init.start)}/* @__PURE__ */ (() => (${text}))()`
    at = init.end
  }
  return out + code.slice(at)
}

export function pureShared(): Plugin {
  return {
    name: 'dialtone-pure-shared',
    apply: 'build',
    // After TypeScript is stripped: the code is plain JavaScript for the parser.
    enforce: 'post',
    transform(code, id) {
      if (!/\/src\/shared\/.*\.ts$/.test(id)) return null
      const changed = markSharedDefinitionsPure(code, this.parse(code) as unknown as Node)
      return changed === null ? null : { code: changed, map: null }
    }
  }
}
