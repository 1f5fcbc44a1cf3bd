/**
 * No dead ends on the setup wizard and the Diagnostics page: a failed setup step's sentence that sends the person
 * somewhere ("in Settings", "contact support", "Update the app") comes with the link to that place
 * (components/setup/failure-place.ts), a failure main gives has its own sentence rather than "something went
 * wrong in Dialtone", and a verdict whose fix is done in the app ("Setup offers to", "attach the report to the
 * ticket") links to it (components/verdict-place.ts). And the USB tree is worded in the person's language from the
 * nodes' fields, while the printable report keeps its English.
 */
import { readFileSync, readdirSync } from 'node:fs'
import { join } from 'node:path'
import type { TFunction } from 'i18next'
import { translators } from '../../support/translators'
import { beforeAll, describe, expect, it } from 'vitest'
import { buildReport, renderReportHtml, type TopologyNode } from '../../../src/shared/diagnostics/report'
import { VERDICT_CODES } from '../../../src/shared/diagnostics/verdicts'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'
import { failurePlace } from '../../../src/renderer/src/components/setup/failure-place'
import { treeNodeWords } from '../../../src/renderer/src/components/usb-tree-words'
import { VERDICT_PLACES } from '../../../src/renderer/src/components/verdict-place'
import { SETTINGS, SUPPORT, UPDATES } from '../../../src/renderer/src/remedies'
import { emptyObservations, tigerjetTarget } from '../../support/diagnostics'
import { readDongle } from '../../../src/main/diagnostics/linux/sysfs'

type Tree = { [k: string]: string | Tree }
const en = RESOURCES.en as Tree
const branch = (tree: Tree, key: string): Tree =>
  key.split('.').reduce<Tree>((node, part) => node[part] as Tree, tree)

const failures = branch(en, 'setup.failure') as Record<string, string>

describe('a failed setup step', () => {
  it('links to where its sentence sends the person', () => {
    for (const [code, sentence] of Object.entries(failures)) {
      const place = failurePlace(code)
      if (/\bin Settings\b/.test(sentence)) expect(place, code).toBe(SETTINGS)
      else if (/\bUpdate the app\b/.test(sentence)) expect(place, code).toBe(UPDATES)
      else expect(place, code).toBe(SUPPORT)
    }
    // An account service out of reach: its address is in Settings (and Try again is beside the link).
    expect(failurePlace('service-unreachable')).toBe(SETTINGS)
    expect(failurePlace(undefined)).toBe(SUPPORT)
    expect(failurePlace('constructor')).toBe(SUPPORT)
  })

  it('has a sentence of its own in every language for each code main’s setup steps fail with', () => {
    const dir = join(import.meta.dirname, '../../../src/main/setup')
    const codes = new Set<string>(['service-unreachable'])
    for (const file of readdirSync(dir).filter((f) => f.endsWith('.ts')))
      for (const m of readFileSync(join(dir, file), 'utf8').matchAll(/new SetupStepError\('([a-z-]+)'/g))
        codes.add(m[1] ?? '')
    expect(codes.size).toBeGreaterThan(2)
    for (const { code: lng } of LANGUAGES) {
      const worded = branch(RESOURCES[lng] as Tree, 'setup.failure')
      expect(
        [...codes].filter((c) => typeof worded[c] !== 'string'),
        lng
      ).toEqual([])
    }
  })

  it('after "run this in a terminal, then press Continue" offers that very button', () => {
    for (const { code: lng } of LANGUAGES) {
      const setup = branch(RESOURCES[lng] as Tree, 'setup') as Record<string, string>
      expect(setup.allowManual, lng).toContain(setup.continue)
      expect(setup.stillNoAccess, lng).toContain(setup.continue)
    }
  })
})

describe('a Diagnostics verdict', () => {
  const fixes = branch(en, 'verdict') as Record<string, { fix: string }>

  it('whose fix is done in the app links there', () => {
    for (const code of VERDICT_CODES) {
      const fix = fixes[code]?.fix ?? ''
      const place = VERDICT_PLACES[code]
      if (/\b(ticket|support)\b/i.test(fix)) expect(place?.href, code).toBe(SUPPORT.href)
      else if (/\bSetup\b/.test(fix)) expect(place?.href, code).toBe('#/device')
      else expect(place, code).toBeUndefined()
    }
    expect(VERDICT_PLACES.NOT_INSPECTED).toMatchObject({ href: '#/help', label: SUPPORT.label })
  })
})

describe('the USB tree', () => {
  const root = join(import.meta.dirname, '../../..')
  const dongle = readDongle(join(root, 'test/fixtures/sysfs/tigerjet-bus-powered-500ma'), tigerjetTarget)
  if (!dongle) throw new Error('fixture missing')
  const behindHub = {
    ...dongle,
    id: '1-1.2',
    chain: [...dongle.chain, { id: '1-1', root: false, selfPowered: false, version: '2.00', ports: 4 }]
  }
  const report = buildReport({ ...emptyObservations(), dongles: [behindHub] }, [], {
    appVersion: '0',
    maskSerials: true
  })
  const nodes: TopologyNode[] = []
  const walk = (list: TopologyNode[]): void =>
    list.forEach((n) => {
      nodes.push(n)
      walk(n.children)
    })
  walk(report.topology)

  let tIn: Record<string, TFunction> = {}
  beforeAll(async () => {
    tIn = await translators({ asTheApp: false })
  })
  const words = (lng: string) => nodes.map((n) => treeNodeWords(tIn[lng] as TFunction, n))

  it('keeps the printable report’s English, and gives each node the fields the app words it from', () => {
    expect(nodes.map((n) => [n.label, n.power])).toEqual([
      ['Root hub usb1 (USB 2.00)', 'self-powered'],
      ['Hub 1-1', 'bus-powered'],
      [`${dongle.name} (1-1.2)`, '500 mA']
    ])
    expect(nodes.map((n) => [n.kind, n.usbVersion, n.powerSource])).toEqual([
      ['root-hub', '2.00', 'self'],
      ['hub', '2.00', 'bus'],
      ['dongle', undefined, 'bus']
    ])
    expect(nodes[2]).toMatchObject({ name: dongle.name, declaredMa: 500 })
    const html = renderReportHtml(report)
    expect(html).toContain(
      '<span class="node">Root hub usb1 (USB 2.00)</span> <span class="power">self-powered</span>'
    )
    expect(html).toContain('<span class="node">Hub 1-1</span> <span class="power">bus-powered</span>')
  })

  it('is worded on screen in the person’s language, never the report’s English', () => {
    expect(words('en')).toEqual([
      { label: 'Root hub usb1 (USB 2.00)', power: 'self-powered' },
      { label: 'Hub 1-1', power: 'bus-powered, no power adapter' },
      { label: `${dongle.name} (1-1.2)`, power: 'declares 500 mA' }
    ])
    expect(words('fr')[0]).toEqual({ label: 'Hub racine usb1 (USB 2.00)', power: 'alimentation propre' })
    for (const { code } of LANGUAGES.filter((l) => l.code !== 'en')) {
      const [rootHub, hub, onHub] = words(code)
      expect(rootHub?.label, code).not.toBe('Root hub usb1 (USB 2.00)')
      expect([rootHub?.power, hub?.power, onHub?.power], code).not.toContain('self-powered')
      expect([rootHub?.power, hub?.power, onHub?.power], code).not.toContain('bus-powered')
      expect(onHub?.power, code).not.toBe('500 mA')
    }
  })
})
