/**
 * The statement and receipts word codes from the service's own lists: every balance entry kind and every device
 * order status has words in every language (derived from the schemas, so a new kind cannot ship unworded).
 */
import { describe, expect, it } from 'vitest'
import { BALANCE_KINDS } from '../../../src/shared/api/billing'
import { deviceOrder } from '../../../src/shared/api/offers'
import { LANGUAGES } from '../../../src/shared/i18n/languages'
import { RESOURCES } from '../../../src/renderer/src/i18n/resources'

type Tree = { [k: string]: string | Tree | undefined }
const at = (tree: Tree, path: string): unknown =>
  path.split('.').reduce<unknown>((v, k) => (v && typeof v === 'object' ? (v as Tree)[k] : undefined), tree)

describe('statement and receipt words', () => {
  for (const { code } of LANGUAGES)
    it(`name every entry kind and order status in ${code}`, () => {
      const tree = RESOURCES[code] as Tree
      for (const kind of BALANCE_KINDS)
        expect(at(tree, `statement.kind.${kind}`), kind).toEqual(expect.any(String))
      for (const status of deviceOrder.shape.status.options)
        expect(at(tree, `orders.deviceStatus.${status}`), status).toEqual(expect.any(String))
      expect(Object.keys(at(tree, 'statement.kind') as Tree).sort()).toEqual([...BALANCE_KINDS].sort())
    })
})
