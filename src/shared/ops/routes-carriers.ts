/**
 * The carriers topic of the ops API (issue 22): the carrier routing table that Kamailio reads (gateways tried by
 * priority within a route set, prefix rules choosing the route set; src/server/carriers/routes.ts), listed and
 * changed by an operator. A change is saved first and Kamailio is then asked to reload its caches: the answer says
 * whether it did, so a change Kamailio has not seen yet is never mistaken for one in force.
 */
import { z } from 'zod'
import { opsRoute, reasonField } from './route'

const DIRECTIONS = ['out', 'in', 'both'] as const
const STATES = ['active', 'disabled'] as const

export const gatewayView = z.object({
  name: z.string(),
  routeSet: z.number().int(),
  host: z.string(),
  port: z.number().int(),
  transport: z.enum(['udp', 'tcp']),
  priority: z.number().int(),
  direction: z.enum(DIRECTIONS),
  state: z.enum(STATES),
  updatedAt: z.string()
})

export const prefixView = z.object({
  prefix: z.string(),
  routeSet: z.number().int(),
  description: z.string()
})

/** Whether Kamailio took the change at once; when not, why (it reads the table again at its next reload). */
const reloadView = z.object({ reloaded: z.boolean(), detail: z.string().nullable() })

const gatewayName = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{0,39}$/, 'a gateway name is 1-40 lower-case letters, digits and dashes')
const routeSet = z.number().int().min(1, 'a route set is 1-9999').max(9999, 'a route set is 1-9999')

export const CARRIERS_OPS_ROUTES = {
  opsCarriersList: opsRoute({
    method: 'GET',
    path: '/ops/v1/carriers',
    access: 'carriers.read',
    summary: 'the carrier gateways and the prefix rules that choose them',
    input: null,
    output: z.object({ gateways: z.array(gatewayView), prefixes: z.array(prefixView) })
  }),
  opsCarriersGatewaySave: opsRoute({
    method: 'PUT',
    path: '/ops/v1/carriers/gateways/:name',
    access: 'carriers.manage',
    // Kamailio reloads from the committed table, so the save commits before the reload is asked for.
    atomic: false,
    summary: 'add or change a gateway (by name); Kamailio is asked to reload its routes',
    input: z
      .object({
        name: gatewayName,
        routeSet,
        host: z.union([z.ipv4(), z.ipv6()], {
          error: 'the host is an IP address (carriers are matched by address)'
        }),
        port: z.number().int().min(1).max(65535),
        transport: z.enum(['udp', 'tcp']).optional(),
        priority: z.number().int().min(0).max(1000),
        direction: z.enum(DIRECTIONS),
        state: z.enum(STATES).optional(),
        reason: reasonField
      })
      .strict(),
    output: z.object({ gateway: gatewayView, kamailio: reloadView })
  }),
  opsCarriersPrefixSave: opsRoute({
    method: 'PUT',
    path: '/ops/v1/carriers/prefixes/:prefix',
    access: 'carriers.manage',
    atomic: false,
    summary: 'route numbers starting with a prefix (E.164 digits without +) to a route set',
    input: z
      .object({
        prefix: z.string().regex(/^[0-9]{1,15}$/, 'a prefix is 1-15 digits (E.164 without +)'),
        routeSet,
        description: z.string().trim().max(200).optional(),
        reason: reasonField
      })
      .strict(),
    output: z.object({ prefix: prefixView, kamailio: reloadView })
  }),
  opsCarriersGatewayRemove: opsRoute({
    method: 'DELETE',
    path: '/ops/v1/carriers/gateways/:name',
    access: 'carriers.manage',
    atomic: false,
    summary:
      'remove a gateway; refused while it is the last one of a route set a prefix uses, or the last emergency gateway',
    input: z.object({ name: gatewayName, reason: reasonField }).strict(),
    output: z.object({ removed: gatewayView, kamailio: reloadView })
  }),
  opsCarriersPrefixRemove: opsRoute({
    method: 'DELETE',
    path: '/ops/v1/carriers/prefixes/:prefix',
    access: 'carriers.manage',
    atomic: false,
    summary: 'remove a prefix rule (its numbers fall to a shorter prefix, or to no route)',
    input: z
      .object({
        prefix: z.string().regex(/^[0-9]{1,15}$/, 'a prefix is 1-15 digits (E.164 without +)'),
        reason: reasonField
      })
      .strict(),
    output: z.object({ removed: prefixView, kamailio: reloadView })
  })
} as const
