/**
 * The longest call has one length: Kamailio ends a call on both sides at kamailio.cfg's MAX_CALL_SECONDS, and the
 * rating (src/server/billing/usage.ts) charges a call whose BYE never came for that length. The cfg's default must
 * be the rating's constant, or a call could outlast what it is charged for.
 */
import { readFileSync } from 'node:fs'
import { resolve } from 'node:path'
import { describe, expect, it } from 'vitest'
import { MAX_CALL_SECONDS } from '../../../src/server/billing/usage'

describe('the longest call', () => {
  it("is kamailio.cfg's default MAX_CALL_SECONDS and the rating's MAX_CALL_SECONDS", () => {
    const cfg = readFileSync(resolve(import.meta.dirname, '../../../resources/kamailio/kamailio.cfg'), 'utf8')
    const fallback = /#!ifndef MAX_CALL_SECONDS\n#!define MAX_CALL_SECONDS (\d+)\n#!endif/.exec(cfg)?.[1]
    expect(fallback).toBeDefined()
    expect(Number(fallback)).toBe(MAX_CALL_SECONDS)
    expect(cfg).toContain('modparam("dialog", "default_timeout", MAX_CALL_SECONDS)')
  })
})
