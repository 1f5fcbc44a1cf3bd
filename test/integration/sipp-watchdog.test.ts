/**
 * The dev stack's sipp peers (carriers, PSAP) and a busy machine (the newcomer's README run: their error logs
 * filled with "Overload warning: the minor watchdog timer 500ms has been tripped"). Two gateways side by side, one
 * with sipp's load-test watchdog defaults and one as the dev stack starts it (gatewayArgs), are both held still
 * for 1.2 s (SIGSTOP/SIGCONT, what a busy two-core machine does to them): the first writes the warning, proving
 * the stall was real; the dev stack's does not, and both still answer afterwards.
 */
import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'
import { gatewayArgs, gatewayScenario } from '../../scripts/lib/carrier-scenarios'
import { freePort, freePortBlock } from '../support/free-port'

const dir = mkdtempSync(join(tmpdir(), 'dialtone-sipp-watchdog-'))
const children: ChildProcess[] = []
afterAll(() => {
  for (const c of children) c.kill()
  rmSync(dir, { recursive: true, force: true })
})

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** A gateway on a free port writing its errors to <name>-errors.log; `watchdog` false drops the dev stack's. */
async function gateway(name: string, watchdog: boolean): Promise<{ child: ChildProcess; errors: string }> {
  const scenario = join(dir, `${name}.xml`)
  writeFileSync(scenario, gatewayScenario({ answer: '503' }))
  let args = gatewayArgs(await freePort(), await freePortBlock(4))
  if (!watchdog)
    args = args.filter((a, i) => !a.startsWith('-watchdog') && !args[i - 1]?.startsWith('-watchdog'))
  const errors = join(dir, `${name}-errors.log`)
  const child = spawn('sipp', ['-sf', scenario, ...args, '-nostdin', '-trace_err', '-error_file', errors], {
    stdio: 'ignore',
    cwd: dir
  })
  children.push(child)
  return { child, errors }
}

const read = (file: string): string => (existsSync(file) ? readFileSync(file, 'utf8') : '')

describe('the dev stack’s sipp peers on a busy machine', () => {
  it('write no overload warning for a 1.2 s stall, where sipp’s load-test watchdog does', async () => {
    const bare = await gateway('bare', false)
    const dev = await gateway('dev', true)
    await sleep(800)
    for (const g of [bare, dev]) g.child.kill('SIGSTOP')
    await sleep(1200)
    for (const g of [bare, dev]) g.child.kill('SIGCONT')
    await sleep(1000)
    expect(read(bare.errors)).toContain('Overload warning')
    expect(read(dev.errors)).not.toContain('Overload warning')
    for (const g of [bare, dev]) expect(g.child.exitCode).toBeNull()
  })
})
