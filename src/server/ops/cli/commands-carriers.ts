/**
 * `dialtone-ops` commands of the carriers topic (issue 22): the routing table Kamailio sends carrier calls by —
 * gateways (tried by priority within a route set, probed with OPTIONS) and prefix rules (the longest match picks
 * the route set). Each change says whether Kamailio reloaded it.
 */
import { UsageError } from './args'
import { type Command, flag, opt, positiveInt, word } from './command'
import { record, table } from './table'

const oneOf = <T extends string>(
  v: string | undefined,
  allowed: readonly T[],
  name: string
): T | undefined => {
  if (v === undefined) return undefined
  if (!(allowed as readonly string[]).includes(v))
    throw new UsageError(`--${name} is ${allowed.join(' or ')}`)
  return v as T
}

const reloadLine = (k: { reloaded: boolean; detail: string | null }): string =>
  k.reloaded
    ? 'Kamailio reloaded its routes: the change is in force.\n'
    : `Saved, but Kamailio did not reload (${k.detail ?? 'no answer'}): it takes the change at its next reload or start.\n`

export const carriersCommands: readonly Command[] = [
  {
    name: 'carriers list',
    args: [],
    required: [],
    optional: [],
    help: 'the carrier gateways (by route set and priority) and the prefix rules that choose them',
    async run(io) {
      const out = await io.client().call('opsCarriersList')
      return {
        json: out,
        human:
          table(out.gateways, [
            'name',
            'routeSet',
            'priority',
            'host',
            'port',
            'transport',
            'direction',
            'state'
          ]) +
          '\n' +
          table(out.prefixes, ['prefix', 'routeSet', 'description'])
      }
    }
  },
  {
    name: 'carriers gateway',
    args: ['name'],
    required: ['set', 'host', 'port', 'priority', 'direction', 'reason'],
    optional: ['transport', 'state'],
    help: 'add or change a gateway: --set N --host IP --port P --priority 0-1000 --direction out|in|both [--state active|disabled]',
    async run(io) {
      const out = await io.client().call('opsCarriersGatewaySave', {
        name: word(io, 0, 'gateway name'),
        routeSet: positiveInt(flag(io, 'set'), 'set'),
        host: flag(io, 'host'),
        port: positiveInt(flag(io, 'port'), 'port'),
        priority: positiveInt(flag(io, 'priority'), 'priority'),
        direction: oneOf(flag(io, 'direction'), ['out', 'in', 'both'] as const, 'direction') ?? 'out',
        transport: oneOf(opt(io, 'transport'), ['udp', 'tcp'] as const, 'transport'),
        state: oneOf(opt(io, 'state'), ['active', 'disabled'] as const, 'state'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(out.gateway) + reloadLine(out.kamailio) }
    }
  },
  {
    name: 'carriers prefix',
    args: ['digits'],
    required: ['set', 'reason'],
    optional: ['description'],
    help: 'send numbers starting with these digits (E.164 without +) to route set --set N',
    async run(io) {
      const description = opt(io, 'description')
      const out = await io.client().call('opsCarriersPrefixSave', {
        prefix: word(io, 0, 'prefix'),
        routeSet: positiveInt(flag(io, 'set'), 'set'),
        ...(description !== undefined ? { description } : {}),
        reason: flag(io, 'reason')
      })
      return { json: out, human: record(out.prefix) + reloadLine(out.kamailio) }
    }
  },
  {
    name: 'carriers gateway-remove',
    args: ['name'],
    required: ['reason'],
    optional: [],
    help: 'remove a gateway (refused while it is the last one of a route set a prefix uses, or the last emergency gateway)',
    async run(io) {
      const out = await io.client().call('opsCarriersGatewayRemove', {
        name: word(io, 0, 'gateway name'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Removed:\n${record(out.removed)}${reloadLine(out.kamailio)}` }
    }
  },
  {
    name: 'carriers prefix-remove',
    args: ['digits'],
    required: ['reason'],
    optional: [],
    help: 'remove a prefix rule (its numbers fall to a shorter prefix, or to no route)',
    async run(io) {
      const out = await io.client().call('opsCarriersPrefixRemove', {
        prefix: word(io, 0, 'prefix'),
        reason: flag(io, 'reason')
      })
      return { json: out, human: `Removed:\n${record(out.removed)}${reloadLine(out.kamailio)}` }
    }
  }
]
