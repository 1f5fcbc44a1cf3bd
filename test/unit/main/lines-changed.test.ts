/** Commands that can change a line tell main so (the phone re-reads its line, a waiting setup goes on); others do not. */
import { describe, expect, it } from 'vitest'
import { routeCaller } from '../../../src/main/account/account-handlers'
import type { AccountService } from '../../../src/main/account/account-service'
import { API_ROUTES } from '../../../src/shared/api/routes'
import { LINE_CHANGING_ROUTES } from '../../../src/shared/ipc/account'
import { DialtoneError } from '../../../src/shared/ipc/errors'

const stub = (fail: boolean) =>
  ({
    call: async (route: string) => {
      if (fail) throw new DialtoneError('INVALID_ARGUMENT', `${route} refused`)
      return { ok: route }
    }
  }) as unknown as AccountService

describe('account.linesChanged', () => {
  it('is told after every line-changing route succeeds, and only then', async () => {
    const told: string[] = []
    const call = routeCaller(stub(false), (r) => told.push(r))
    await call('lines', undefined)
    expect(told).toEqual([])
    await call('setE911', {})
    await call('checkout', {})
    expect(told).toEqual(['setE911', 'checkout'])
  })

  it('is not told when the route is refused', async () => {
    const told: string[] = []
    const call = routeCaller(stub(true), (r) => told.push(r))
    await expect(call('setE911', {})).rejects.toThrow('setE911 refused')
    expect(told).toEqual([])
  })

  it('covers the routes that put a line in or out of service', () => {
    expect(LINE_CHANGING_ROUTES).toEqual(
      expect.arrayContaining([
        'setE911',
        'changeNumber',
        'checkout',
        'redeemVoucher',
        'releaseDevice',
        'subscribeTariff'
      ])
    )
  })

  it('is read from the route table: exactly the routes marked changesLines', () => {
    const marked = Object.entries(API_ROUTES)
      .filter(([, r]) => 'changesLines' in r && r.changesLines)
      .map(([name]) => name)
    expect([...LINE_CHANGING_ROUTES].sort()).toEqual(marked.sort())
    expect(LINE_CHANGING_ROUTES).not.toContain('lines')
  })

  it('tells after a tariff is subscribed (billing.subscribeTariff)', async () => {
    const told: string[] = []
    const call = routeCaller(stub(false), (r) => told.push(r))
    await call('subscribeTariff', {})
    expect(told).toEqual(['subscribeTariff'])
  })
})
