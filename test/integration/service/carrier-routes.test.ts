/**
 * The carrier routing table (migration 0018) on both backends: what the service writes is what Kamailio's views
 * show (dispatcher, address, carrier_prefix_tree, in Kamailio's own column names), a change is an upsert by name
 * or prefix, and bad input is refused with a specific error and changes nothing.
 */
import { sql } from 'kysely'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import {
  CarrierRouteError,
  EMERGENCY_ROUTE_SET,
  type GatewaySpec,
  saveGateway,
  savePrefix
} from '../../../src/server/carriers/routes'
import { carrierViewTypes } from '../../../src/server/db/migration-carrier-view-types'
import { BACKENDS, type TestService, startTestService } from '../../support/service'

const A: GatewaySpec = {
  name: 'carrier-a',
  routeSet: 1,
  host: '192.0.2.7',
  port: 5080,
  priority: 20,
  direction: 'both'
}

describe.each(BACKENDS)('carrier routes on %s', (backend) => {
  let svc: TestService
  beforeAll(async () => {
    svc = await startTestService(backend)
  }, 60_000)
  afterAll(async () => {
    await svc?.close()
  })
  const db = () => svc.service.database.db
  const view = async (name: string) =>
    (await sql<Record<string, unknown>>`SELECT * FROM ${sql.table(name)} ORDER BY id`.execute(db())).rows

  it('shows gateways and prefixes to Kamailio through its views', async () => {
    const now = new Date()
    await saveGateway(db(), A, now)
    await saveGateway(db(), { ...A, name: 'carrier-b', port: 5081, priority: 10, direction: 'out' }, now)
    await saveGateway(db(), { ...A, name: 'carrier-off', port: 5082, state: 'disabled' }, now)
    await savePrefix(db(), { prefix: '1', routeSet: 1, description: 'NANP' })
    expect(await view('dispatcher')).toMatchObject([
      {
        setid: 1,
        destination: 'sip:192.0.2.7:5080;transport=udp',
        flags: 0,
        priority: 20,
        description: 'carrier-a'
      },
      { setid: 1, destination: 'sip:192.0.2.7:5081;transport=udp', priority: 10, description: 'carrier-b' }
    ])
    // Only gateways that may call in, and only active ones, are source addresses.
    expect(await view('address')).toMatchObject([
      { grp: 1, ip_addr: '192.0.2.7', mask: 32, port: 5080, tag: '1:carrier-a' }
    ])
    expect(await view('carrier_prefix_tree')).toMatchObject([{ tprefix: '1', tvalue: '1' }])
    const versions = await db()
      .selectFrom('version')
      .select(['table_name', 'table_version'])
      .where('table_name', 'in', ['dispatcher', 'address', 'carrier_prefix_tree'])
      .orderBy('table_name')
      .execute()
    expect(versions).toEqual([
      { table_name: 'address', table_version: 6 },
      { table_name: 'carrier_prefix_tree', table_version: 1 },
      { table_name: 'dispatcher', table_version: 4 }
    ])
  })

  it('replaces a gateway by name and a prefix by its digits', async () => {
    await saveGateway(db(), { ...A, priority: 5 }, new Date())
    await savePrefix(db(), { prefix: '1', routeSet: 2 })
    expect((await view('dispatcher')).find((r) => r.description === 'carrier-a')).toMatchObject({
      priority: 5
    })
    expect(await view('carrier_prefix_tree')).toMatchObject([{ tprefix: '1', tvalue: '2' }])
  })

  it.each([
    [{ ...A, host: 'carrier.example' }, /must be an IP address/],
    [{ ...A, port: 70000 }, /port 70000/],
    [{ ...A, name: 'Bad Name' }, /gateway name/],
    [{ ...A, routeSet: 0 }, /route set 0/],
    [{ ...A, priority: 1.5 }, /priority/],
    [{ ...A, direction: 'sideways' as GatewaySpec['direction'] }, /direction/],
    [{ ...A, state: 'broken' as GatewaySpec['state'] }, /state/]
  ])('refuses a bad gateway and changes nothing (%#)', async (bad, message) => {
    const before = await view('dispatcher')
    await expect(saveGateway(db(), bad, new Date())).rejects.toThrow(CarrierRouteError)
    await expect(saveGateway(db(), bad, new Date())).rejects.toThrow(message)
    expect(await view('dispatcher')).toEqual(before)
  })

  it('refuses a prefix that is not digits', async () => {
    await expect(savePrefix(db(), { prefix: '+1', routeSet: 1 })).rejects.toThrow('a prefix is 1-15 digits')
    await expect(savePrefix(db(), { prefix: '1'.repeat(16), routeSet: 1 })).rejects.toThrow(CarrierRouteError)
  })

  it('keeps ordinary calls away from the emergency gateways: no prefix may use route set 911', async () => {
    const before = await view('carrier_prefix_tree')
    await expect(savePrefix(db(), { prefix: '1900', routeSet: EMERGENCY_ROUTE_SET })).rejects.toThrow(
      'route set 911 is the emergency gateways'
    )
    expect(await view('carrier_prefix_tree')).toEqual(before)
  })

  it('keeps the SELECT grants of views it makes again (an upgrade with Kamailio’s role already in place)', async () => {
    if (backend !== 'postgres') return
    const role = `kam_upgrade_${process.pid}`
    await sql`CREATE ROLE ${sql.id(role)} NOLOGIN`.execute(db())
    try {
      await sql`GRANT SELECT ON dispatcher, address TO ${sql.id(role)}`.execute(db())
      await carrierViewTypes('postgres').up(db())
      const grants = await sql<{ table_name: string }>`
        SELECT table_name FROM information_schema.role_table_grants
        WHERE grantee = ${role} AND privilege_type = 'SELECT' ORDER BY table_name`.execute(db())
      expect(grants.rows.map((r) => r.table_name)).toEqual(['address', 'dispatcher'])
    } finally {
      await sql`REVOKE ALL ON dispatcher, address FROM ${sql.id(role)}`.execute(db())
      await sql`DROP ROLE ${sql.id(role)}`.execute(db())
    }
  })

  it('gives Kamailio string columns it accepts (PostgreSQL: VARCHAR, not text, which db_postgres hands over as a BLOB)', async () => {
    if (backend !== 'postgres') return
    const types = await sql<{ table_name: string; column_name: string; data_type: string }>`
      SELECT table_name, column_name, data_type FROM information_schema.columns
      WHERE table_name IN ('dispatcher', 'address') AND column_name IN ('destination', 'attrs', 'description', 'ip_addr', 'tag')
      ORDER BY table_name, column_name`.execute(db())
    expect(types.rows.map((r) => `${r.table_name}.${r.column_name} ${r.data_type}`)).toEqual([
      'address.ip_addr character varying',
      'address.tag character varying',
      'dispatcher.attrs character varying',
      'dispatcher.description character varying',
      'dispatcher.destination character varying'
    ])
  })
})
