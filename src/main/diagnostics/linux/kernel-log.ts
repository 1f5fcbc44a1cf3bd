/**
 * The Linux kernel's USB messages, recognised: enumeration errors, over-current, power budget refusals,
 * reconnects (reference/research/usb.md §1.4 lists the exact formats from drivers/usb/core/hub.c and
 * generic.c). Reads `journalctl -k -o short-iso` lines (with times) and plain `dmesg` lines (without).
 */
import type { LogEvidence, LogKind } from '../../../shared/diagnostics/observations'

const PATTERNS: [LogKind, RegExp][] = [
  ['descriptor-read-error', /\busb (\S+): device descriptor read\/\S+, error (-?\d+)/],
  ['address-error', /\busb (\S+): device not accepting address \d+, error (-?\d+)/],
  ['enumeration-failed', /\busb (\S+): unable to enumerate USB device/],
  ['over-current', /\b(?:usb|hub) (\S+): over-current condition/],
  ['insufficient-power', /\busb (\S+): rejected \d+ configurations? due to insufficient available bus power/],
  ['over-budget', /\busb (\S+): \d+mA (?:is over \d+mA budget|over power budget)/],
  ['cannot-enable', /\busb (\S+): Cannot enable\. Maybe the USB cable is bad\?/],
  ['emi-disabled', /\busb (\S+): disabled by hub \(EMI\?\), re-enabling/],
  ['connect-debounce', /\busb (\S+): connect-debounce failed/],
  ['hub-status-failed', /\bhub (\S+): (?:hub_ext_port_status|hub_port_status|get_hub_status) failed/],
  ['not-top-speed', /\busb (\S+): not running at top speed/],
  ['disconnect', /\busb (\S+): USB disconnect, device number \d+/],
  ['reset', /\busb (\S+): reset \S+ USB device number \d+/],
  ['new-device', /\busb (\S+): new \S+ USB device number \d+/]
]

const ISO_PREFIX = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:[.,]\d+)?(?:[+-]\d{2}:?\d{2}|Z)?)\s/

function isoTime(raw: string): string | null {
  // journalctl writes +0000; Date.parse wants +00:00.
  const normal = raw.replace(',', '.').replace(/([+-]\d{2})(\d{2})$/, '$1:$2')
  const t = Date.parse(normal)
  return Number.isNaN(t) ? null : new Date(t).toISOString()
}

export function parseKernelLog(text: string): LogEvidence[] {
  const out: LogEvidence[] = []
  for (const line of text.split('\n')) {
    for (const [kind, re] of PATTERNS) {
      const m = re.exec(line)
      if (!m) continue
      const iso = ISO_PREFIX.exec(line)
      out.push({
        time: iso ? isoTime(iso[1] as string) : null,
        source: 'kernel',
        kind,
        target: (m[1] as string).replace(/:$/, ''),
        line: line.trim()
      })
      break
    }
  }
  return out
}
