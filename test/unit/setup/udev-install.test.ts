/** Installing the udev rule: through pkexec when there is one, the exact command otherwise, and each refusal said. */
import { describe, expect, it } from 'vitest'
import type { CommandResult } from '../../../src/main/diagnostics/command-runner'
import { installScript, installUdevRule } from '../../../src/main/setup/udev-install'

const RULE = '/opt/Dialtone/resources/udev/70-dialtone.rules'

function runner(results: Record<string, CommandResult>) {
  const calls: string[][] = []
  return {
    calls,
    run: async (cmd: string, args: readonly string[]) => {
      calls.push([cmd, ...args])
      return results[cmd] ?? { code: 1, stdout: '', stderr: '' }
    }
  }
}

describe('installing the udev rule', () => {
  it('copies, reloads and re-triggers in one pkexec call', async () => {
    const r = runner({
      sh: { code: 0, stdout: '/usr/bin/pkexec\n', stderr: '' },
      pkexec: { code: 0, stdout: '', stderr: '' }
    })
    expect(await installUdevRule(r.run, RULE)).toEqual({
      installed: true,
      path: '/etc/udev/rules.d/70-dialtone.rules'
    })
    expect(r.calls[1]).toEqual(['pkexec', 'sh', '-c', installScript(RULE)])
    expect(installScript(RULE)).toBe(
      "install -m 0644 '/opt/Dialtone/resources/udev/70-dialtone.rules' '/etc/udev/rules.d/70-dialtone.rules' && udevadm control --reload-rules && udevadm trigger --subsystem-match=usb --subsystem-match=hidraw --action=change"
    )
  })

  it.each([
    [126, 'the administrator password dialog was dismissed'],
    [127, 'not authorised to install the rule']
  ])('explains pkexec exit %i and gives the command', async (code, reason) => {
    const r = runner({
      sh: { code: 0, stdout: '/usr/bin/pkexec', stderr: '' },
      pkexec: { code, stdout: '', stderr: '' }
    })
    const out = await installUdevRule(r.run, RULE)
    expect(out).toMatchObject({ installed: false, reason })
    expect(out.installed ? '' : out.command).toMatch(/^sudo sh -c "install -m 0644 /)
  })

  it('prints the exact command when pkexec is missing, and runs nothing as root', async () => {
    const r = runner({ sh: { code: 1, stdout: '', stderr: '' } })
    const out = await installUdevRule(r.run, RULE)
    expect(out).toMatchObject({ installed: false, reason: 'pkexec is not available on this system' })
    expect(r.calls.map((c) => c[0])).toEqual(['sh'])
  })

  it('quotes a path with a quote in it', () => {
    expect(installScript("/home/o'brien/rule")).toContain("'/home/o'\\''brien/rule'")
  })
})
