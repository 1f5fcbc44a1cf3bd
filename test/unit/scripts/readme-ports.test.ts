/**
 * The README's table of what `npm start` runs names every port the stack takes, with its variable and default:
 * the table is written by hand for people, so this holds it to the lists the stack reads (stack-config's PORTS,
 * the carriers' CARRIER_PORTS, voicemail's VOICEMAIL_PORTS). A port added to the stack and not to the README fails here.
 */
import { readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { PORTS } from '../../../scripts/lib/stack-config'
import { CARRIER_PORTS } from '../../../scripts/lib/stack-carriers'
import { VOICEMAIL_PORTS } from '../../../scripts/lib/stack-voicemail'

const readme = readFileSync(join(import.meta.dirname, '../../../README.md'), 'utf8')
/** The rows of the table under "What `npm start` runs" (to the first line after it that is not the table's). */
const section = readme.slice(readme.indexOf('### What `npm start` runs')).split('\n').slice(1)
const table = section.slice(
  section.findIndex((l) => l.startsWith('|')),
  section.findIndex((l, i) => i > 0 && !l.startsWith('|') && section[i - 1]?.startsWith('|'))
)
const rows = table
  .filter((l) => !l.startsWith('| part') && !l.startsWith('| ---'))
  .map((l) => l.split('|').map((c) => c.trim()))

/** The variables a row's last cell names, in order. */
const variablesIn = (cells: readonly string[]): string[] =>
  [...(cells[3] ?? '').matchAll(/`(DIALTONE_\w+)`/g)].map((m) => m[1] ?? '')

const stackPorts = [
  ...PORTS.map((p) => ({ variable: p.variable, port: p.fallback })),
  ...Object.values(CARRIER_PORTS).map((p) => ({ variable: p.variable, port: p.fallback })),
  ...Object.values(VOICEMAIL_PORTS).map((p) => ({ variable: p.variable, port: p.fallback }))
]

describe("the README's table of the stack's ports", () => {
  it.each(stackPorts)('names $variable with its default port $port', ({ variable, port }) => {
    const row = rows.find((cells) => cells[3]?.includes(`\`${variable}\``))
    expect(row, `no row names ${variable}`).toBeDefined()
    // A row with two variables gives their ports in the same order (SIP then WebSocket, and so on).
    const variables = variablesIn(row ?? [])
    const ports = [...(row?.[2] ?? '').matchAll(/:(\d+)/g)].map((m) => Number(m[1]))
    expect(ports[variables.indexOf(variable)]).toBe(port)
  })

  it('is the whole table, read to its end', () => {
    expect(rows.length).toBe(10)
  })

  it('names no variable the stack does not read', () => {
    const named = rows.flatMap(variablesIn)
    expect(named.filter((v) => !stackPorts.some((p) => p.variable === v))).toEqual([])
  })
})
