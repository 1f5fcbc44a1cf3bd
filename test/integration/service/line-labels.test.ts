/**
 * Several lines under one account (a business): each can be named ("Front desk"), the name shows in the lines
 * list, an empty name clears it, a too-long one is refused and changes nothing, and nobody names another
 * account's line; on SQLite and PostgreSQL.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { BACKENDS, type TestService, startTestService } from '../../support/service'
import { addRetailLine, trialLine } from '../../support/service-flows'

interface Line {
  id: string
  label: string | null
  number: string | null
}

describe.each(BACKENDS)('line labels on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  })
  afterAll(() => svc.close())

  const label = (token: string, lineId: string, value: string) =>
    svc.api<Line & { error?: { code: string } }>('PUT', `/v1/lines/${lineId}/label`, { label: value }, token)
  const lines = async (token: string) =>
    (await svc.api<{ lines: Line[] }>('GET', '/v1/lines', undefined, token)).body.lines

  it('names each of an account’s lines, clears a name, and refuses a bad one changing nothing', async () => {
    const owner = await trialLine(svc, { accountType: 'business' })
    const second = await addRetailLine(svc, owner.token)
    expect((await label(owner.token, owner.lineId, '  Front desk ')).body.label).toBe('Front desk')
    expect((await label(owner.token, second.lineId, 'Kitchen')).status).toBe(200)
    expect((await lines(owner.token)).map((l) => l.label)).toEqual(['Front desk', 'Kitchen'])

    const long = await label(owner.token, second.lineId, 'x'.repeat(41))
    expect(long.status).toBe(400)
    expect((await lines(owner.token)).map((l) => l.label)).toEqual(['Front desk', 'Kitchen'])

    expect((await label(owner.token, second.lineId, '')).body.label).toBeNull()
    expect((await lines(owner.token)).map((l) => l.label)).toEqual(['Front desk', null])

    const stranger = await trialLine(svc)
    expect((await label(stranger.token, owner.lineId, 'Mine now')).status).toBe(404)
    expect((await lines(owner.token))[0]?.label).toBe('Front desk')
  })
})
