/**
 * The business roles' table (src/shared/api/access.ts) decides every route: each route of the table is in it (a
 * new route is noticed here, not left to the owner-only default by accident), public exactly when it needs no
 * session, and every route that takes a line's id is a 'line' route (scoped to a line user's line), so no route
 * reaches a line without the line check.
 */
import { describe, expect, it } from 'vitest'
import { ROUTE_ACCESS, mayCall } from '../../../src/shared/api/access'
import { API_ROUTES, type RouteName, pathParams } from '../../../src/shared/api/routes'

const names = Object.keys(API_ROUTES) as RouteName[]

describe('who may call each route', () => {
  it('names every route, public exactly when it needs no session', () => {
    expect(names.filter((n) => ROUTE_ACCESS[n] === undefined)).toEqual([])
    const publicOnes = names.filter((n) => ROUTE_ACCESS[n]?.kind === 'public')
    expect(publicOnes.sort()).toEqual(names.filter((n) => API_ROUTES[n].auth === 'none').sort())
  })

  it('checks the line of every route that takes one', () => {
    const byLine = names.filter((n) => pathParams(API_ROUTES[n].path).includes('lineId'))
    expect(byLine.filter((n) => ROUTE_ACCESS[n]?.kind !== 'line')).toEqual([])
  })

  it('keeps billing from calls and line users from money', () => {
    for (const r of [
      'callDetails',
      'usageSeries',
      'exportCallDetails',
      'refusedCalls',
      'voicemailBox'
    ] as const)
      expect(mayCall('billing', r), r).toBe(false)
    for (const r of ['balance', 'paymentMethods', 'checkout', 'invoices', 'members', 'topUp'] as const)
      expect(mayCall('line', r), r).toBe(false)
    expect(mayCall('owner', 'members')).toBe(true)
    expect(mayCall('administrator', 'callDetails')).toBe(true)
  })
})
