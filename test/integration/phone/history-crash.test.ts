/**
 * An app killed during a call loses nothing (real Kamailio, real service, a real process killed with SIGKILL, the
 * real conf store and session vault on disk): the call is in its account's history from its first ring, and the
 * next start closes it as it stood. A call that was ringing is missed, with one missed-call notice (at that start,
 * not at the one after); an answered one is answered, ended no earlier than its answer; an outgoing one not
 * answered yet failed: appClosed. A next start with no one signed in closes it too, but neither lists it nor tells
 * of it: the call is its account's, listed when that account signs in again.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { createInterface } from 'node:readline'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { call } from '../../../src/main/ipc/dispatcher'
import { createConfStore } from '../../../src/main/store/conf-store'
import { fileVault } from '../../../src/main/store/file-vault'
import { memoryVault } from '../../../src/main/store/secret-vault'
import type { HistoryEntry } from '../../../src/shared/ipc/phone'
import { type PhoneApp, phaseOf, phoneApp, until } from '../../support/phone-app'
import { trialLine } from '../../support/service-flows'
import { type SipStack, startSipStack } from '../../support/sip-stack'
import { testApp } from '../../support/test-app'

let stack: SipStack
let a: PhoneApp
const children: ChildProcess[] = []
const dirs: string[] = []

beforeAll(async () => {
  stack = await startSipStack()
  a = await phoneApp(stack)
}, 60_000)
afterAll(async () => {
  for (const c of children) c.kill('SIGKILL')
  await a?.t.app.dispose()
  await stack?.close()
  for (const d of dirs) rmSync(d, { recursive: true, force: true })
})

/** An app in its own process on a data folder of its own, signed in to a fresh line; its steps as it says them. */
async function crashingApp(act: 'ring' | 'answer' | 'dial', dial?: string) {
  const dir = mkdtempSync(join(tmpdir(), 'dialtone-crash-'))
  dirs.push(dir)
  const line = await trialLine(stack.svc)
  const args = {
    dir,
    serviceUrl: stack.svc.base,
    email: line.email,
    password: line.password,
    act,
    number: dial
  }
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', join(import.meta.dirname, '../../support/crash-call-child.ts'), JSON.stringify(args)],
    { stdio: ['ignore', 'pipe', 'pipe'] }
  )
  children.push(child)
  let stderr = ''
  child.stderr?.on('data', (d: Buffer) => (stderr += d.toString()))
  const said: Record<string, unknown>[] = []
  createInterface({ input: child.stdout! }).on('line', (l) => {
    if (l.startsWith('{')) said.push(JSON.parse(l) as Record<string, unknown>)
  })
  const exited = new Promise<void>((r) => child.once('exit', () => r()))
  /** What it said when it reached a step; its stderr if it exited before. */
  const step = async (ok: (o: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> => {
    const v = await until(
      async () => said.find(ok) ?? (child.exitCode !== null ? new Error(stderr) : null),
      (x) => x !== null,
      20_000
    )
    if (v === null || v instanceof Error) throw v ?? new Error('no answer')
    return v
  }
  const number = String((await step((o) => typeof o.registered === 'string')).registered)
  return {
    dir,
    number,
    at: (s: string) => step((o) => o.at === s),
    kill: async () => {
      child.kill('SIGKILL')
      await exited
    }
  }
}

/**
 * The next start on the killed app's data folder, signed in to the same account (its session is in the folder's
 * vault; the service is not asked here), or with `signedOut` with no one signed in: its history and the
 * missed-call notices it sends.
 */
async function nextStart(dir: string, signedOut = false) {
  const t = testApp({
    store: createConfStore(dir),
    vault: signedOut ? memoryVault() : fileVault(dir),
    settingsDefaults: { serviceUrl: stack.svc.base }
  })
  const missed: HistoryEntry[] = []
  t.app.events.subscribe((name, payload) => {
    if (name === 'phone.missedCall') missed.push(payload as HistoryEntry)
  })
  t.app.start()
  await new Promise((r) => setTimeout(r, 50))
  const history = (await call(t.app.dispatch, 'phone.history', undefined)).calls
  await t.app.dispose()
  return { history, missed }
}

describe('an app killed during a call', () => {
  it('lists a call that was ringing as missed at its next start, with one notice', async () => {
    const b = await crashingApp('ring')
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await b.at('ringing')
    await b.kill()
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(a.t, 'idle')
    const first = await nextStart(b.dir)
    expect(first.history).toEqual([
      expect.objectContaining({ direction: 'in', remote: a.number, outcome: 'missed', answeredAt: null })
    ])
    const [entry] = first.history
    expect(Date.parse(entry!.endedAt)).toBeGreaterThanOrEqual(Date.parse(entry!.startedAt))
    expect(first.missed).toEqual(first.history)
    // Closed for good: the start after that lists it the same and says nothing.
    const second = await nextStart(b.dir)
    expect(second.history).toEqual(first.history)
    expect(second.missed).toEqual([])
  }, 60_000)

  it('closes it at a start with no one signed in without listing or telling it; its account lists it later', async () => {
    const b = await crashingApp('ring')
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await b.at('ringing')
    await b.kill()
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(a.t, 'idle')
    const signedOut = await nextStart(b.dir, true)
    expect(signedOut.history).toEqual([])
    expect(signedOut.missed).toEqual([])
    const signedIn = await nextStart(b.dir)
    expect(signedIn.history).toEqual([
      expect.objectContaining({ direction: 'in', remote: a.number, outcome: 'missed', answeredAt: null })
    ])
    // Closed at the start before: nothing left to tell now.
    expect(signedIn.missed).toEqual([])
  }, 60_000)

  it('keeps an answered call answered, ended no earlier than its answer', async () => {
    const b = await crashingApp('answer')
    await call(a.t.app.dispatch, 'phone.dial', { number: b.number })
    await b.at('connected')
    await phaseOf(a.t, 'connected')
    await b.kill()
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(a.t, 'idle')
    const { history, missed } = await nextStart(b.dir)
    expect(history).toEqual([
      expect.objectContaining({ direction: 'in', remote: a.number, outcome: 'answered', failure: null })
    ])
    const [entry] = history
    expect(entry!.answeredAt).not.toBeNull()
    expect(Date.parse(entry!.endedAt)).toBeGreaterThanOrEqual(Date.parse(entry!.answeredAt!))
    expect(missed).toEqual([])
  }, 60_000)

  it('lists a call it was placing as failed because the app stopped', async () => {
    const b = await crashingApp('dial', a.number)
    await phaseOf(a.t, 'ringing')
    await b.at('ringback')
    await b.kill()
    // A ringing call cannot be refused from the screen: answered, it ends at once (its caller is gone).
    await call(a.t.app.dispatch, 'phone.answer', undefined)
    await call(a.t.app.dispatch, 'phone.hangup', undefined)
    await phaseOf(a.t, 'idle')
    const { history, missed } = await nextStart(b.dir)
    expect(history).toEqual([
      expect.objectContaining({ direction: 'out', remote: a.number, outcome: 'failed', failure: 'appClosed' })
    ])
    expect(missed).toEqual([])
  }, 60_000)
})
