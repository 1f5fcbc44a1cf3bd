/**
 * Installing the Linux udev rule (resources/udev/70-dialtone.rules) with the person's consent: through pkexec,
 * which asks for an administrator's password in the desktop's own dialog, as one shell invocation that copies the
 * rule, reloads udev and re-triggers the USB and hidraw devices so the dongle is re-probed with the new access.
 * Where pkexec is missing (or the person cancels) the exact command to run in a terminal is given instead.
 * Nothing else on the system is touched.
 */
import type { CommandRunner } from '../diagnostics/command-runner'
import { UDEV_RULE_DIRS, UDEV_RULE_NAME } from './permissions'

export type InstallOutcome =
  | { readonly installed: true; readonly path: string }
  | { readonly installed: false; readonly reason: string; readonly command: string }

const TARGET = `${UDEV_RULE_DIRS[0]}/${UDEV_RULE_NAME}`

/** What pkexec runs (and what the person runs with sudo when pkexec cannot). */
export function installScript(rulePath: string): string {
  const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`
  return [
    `install -m 0644 ${q(rulePath)} ${q(TARGET)}`,
    'udevadm control --reload-rules',
    'udevadm trigger --subsystem-match=usb --subsystem-match=hidraw --action=change'
  ].join(' && ')
}

export async function installUdevRule(run: CommandRunner, rulePath: string): Promise<InstallOutcome> {
  const script = installScript(rulePath)
  const manual = `sudo sh -c "${script.replace(/"/g, '\\"')}"`
  const which = await run('sh', ['-c', 'command -v pkexec'])
  if (which.code !== 0 || !which.stdout.trim())
    return { installed: false, reason: 'pkexec is not available on this system', command: manual }
  // pkexec exits 126 when the person dismisses the dialog, 127 when not authorised.
  const r = await run('pkexec', ['sh', '-c', script], 5 * 60_000)
  if (r.code === 0) return { installed: true, path: TARGET }
  const reason =
    r.code === 126
      ? 'the administrator password dialog was dismissed'
      : r.code === 127
        ? 'not authorised to install the rule'
        : `installing failed (${r.stderr.trim().split('\n').at(-1) ?? `exit ${r.code}`})`
  return { installed: false, reason, command: manual }
}
