/**
 * Windows: Device Manager's view through one PowerShell call returning JSON (no admin, no native addon):
 * the dongles' PnP status, problem codes and port location, devices that failed enumeration (the
 * 'USB\VID_0000&PID_000x' devnodes Windows keeps for them), Kernel-PnP start-up problems (events 411), and
 * the power plan's USB selective suspend setting (reference/research/usb.md §1.6).
 */
import type { DongleObservation, LogEvidence, Observations } from '../../../shared/diagnostics/observations'
import type { UsbDevice } from '../../../shared/ipc/device'
import type { CommandRunner } from '../command-runner'
import type { DongleTarget } from '../linux/sysfs'
import { fromUsb } from '../usb-facts'

export const POWERSHELL_SCRIPT = `
$ErrorActionPreference = 'SilentlyContinue'
$usb = Get-CimInstance Win32_PnPEntity | Where-Object { $_.PNPDeviceID -like 'USB\\VID_*' }
$devices = foreach ($d in $usb) {
  $loc = (Get-PnpDeviceProperty -InstanceId $d.PNPDeviceID -KeyName DEVPKEY_Device_LocationInfo).Data
  [pscustomobject]@{ InstanceId = $d.PNPDeviceID; FriendlyName = $d.Name; Status = $d.Status;
    ConfigManagerErrorCode = $d.ConfigManagerErrorCode; LocationInfo = $loc }
}
$events = Get-WinEvent -LogName 'Microsoft-Windows-Kernel-PnP/Configuration' -MaxEvents 300 |
  Where-Object { $_.Id -eq 411 } | ForEach-Object {
    [pscustomobject]@{ Id = $_.Id; TimeCreated = $_.TimeCreated.ToUniversalTime().ToString('o'); Message = $_.Message } }
$ss = powercfg /query SCHEME_CURRENT 2a737441-1930-4402-8d77-b2bebba308a3 48e6b7a6-50f5-4782-a5d4-53bb8f07e226 |
  Select-String 'Current AC Power Setting Index: (0x[0-9a-f]+)' | ForEach-Object { $_.Matches[0].Groups[1].Value }
[pscustomobject]@{ devices = @($devices); events = @($events); selectiveSuspendAc = $ss } | ConvertTo-Json -Depth 4 -Compress
`

interface PnpDevice {
  InstanceId: string
  FriendlyName: string | null
  Status: string | null
  ConfigManagerErrorCode: number | null
  LocationInfo: string | null
}
interface PnpEvent {
  Id: number
  TimeCreated: string
  Message: string
}
export interface PnpSnapshot {
  devices: PnpDevice[]
  events: PnpEvent[]
  selectiveSuspendAc: string | null
}

/** Device Manager problem codes a technician will meet with these dongles. */
const PROBLEM_TEXT: Record<number, string> = {
  10: 'CM_PROB_FAILED_START: the device cannot start',
  22: 'CM_PROB_DISABLED: the device is disabled',
  28: 'CM_PROB_FAILED_INSTALL: no driver installed',
  43: 'CM_PROB_FAILED_POST_START: Windows stopped the device because it reported problems',
  45: 'CM_PROB_PHANTOM: not connected'
}

const vidPid = (id: string): { vid: number; pid: number } | null => {
  const m = /VID_([0-9A-F]{4})&PID_([0-9A-F]{4})/i.exec(id)
  return m ? { vid: Number.parseInt(m[1] as string, 16), pid: Number.parseInt(m[2] as string, 16) } : null
}

export function parsePnpSnapshot(json: string): PnpSnapshot {
  const raw = JSON.parse(json) as Partial<PnpSnapshot>
  // ConvertTo-Json writes a one-element array as the element itself.
  const list = <T>(v: T | T[] | undefined | null): T[] =>
    v === null || v === undefined ? [] : Array.isArray(v) ? v : [v]
  return {
    devices: list(raw.devices),
    events: list(raw.events),
    selectiveSuspendAc: raw.selectiveSuspendAc ?? null
  }
}

export function applyPnp(
  base: Observations,
  targets: readonly DongleTarget[],
  usb: ReadonlyMap<string, UsbDevice>,
  snap: PnpSnapshot
): Observations {
  const dongles: DongleObservation[] = targets.map((t) => {
    const d = fromUsb(t, usb.get(t.id))
    const pnp = snap.devices.find((p) => {
      const ids = vidPid(p.InstanceId)
      return (
        ids?.vid === t.vendorId &&
        ids.pid === t.productId &&
        (!t.serial || p.InstanceId.toUpperCase().endsWith(`\\${t.serial.toUpperCase()}`))
      )
    })
    if (!pnp) return d
    const code = pnp.ConfigManagerErrorCode ?? 0
    return {
      ...d,
      port: pnp.LocationInfo
        ? {
            name: pnp.LocationInfo,
            overCurrentCount: null,
            connectType: null,
            state: pnp.Status,
            disabled: code === 22,
            hubStatus: null
          }
        : null,
      problemCode: code === 0 ? null : code,
      problemText: code === 0 ? null : (PROBLEM_TEXT[code] ?? `problem code ${code}`)
    }
  })
  const logs: LogEvidence[] = [
    ...snap.devices
      .filter((p) => /VID_0000&PID_000[0-8]/i.test(p.InstanceId))
      .map((p) => ({
        time: null,
        source: 'windows-pnp' as const,
        kind: 'enumeration-failed' as const,
        target: p.LocationInfo,
        line: `${p.FriendlyName ?? 'Unknown USB Device'} at ${p.LocationInfo ?? '?'} (${p.InstanceId}, problem ${p.ConfigManagerErrorCode ?? '?'})`
      })),
    ...snap.events.map((e) => ({
      time: e.TimeCreated,
      source: 'windows-pnp' as const,
      kind: (/VID_0000&PID_000/i.test(e.Message)
        ? 'enumeration-failed'
        : 'descriptor-read-error') as LogEvidence['kind'],
      target: null,
      line: `Kernel-PnP ${e.Id}: ${e.Message.split('\n')[0]}`
    }))
  ]
  const ss = snap.selectiveSuspendAc
  return { ...base, dongles, logs, selectiveSuspend: ss === null ? null : Number.parseInt(ss, 16) === 1 }
}

export async function inspectWindows(
  base: Observations,
  targets: readonly DongleTarget[],
  usb: ReadonlyMap<string, UsbDevice>,
  run: CommandRunner
): Promise<Observations> {
  const r = await run(
    'powershell.exe',
    ['-NoProfile', '-NonInteractive', '-Command', POWERSHELL_SCRIPT],
    20_000
  )
  if (r.code !== 0 || !r.stdout.trim()) {
    return {
      ...base,
      dongles: targets.map((t) => fromUsb(t, usb.get(t.id))),
      error: `PowerShell gave no answer (${r.stderr.trim() || `exit ${r.code}`})`
    }
  }
  try {
    return applyPnp(base, targets, usb, parsePnpSnapshot(r.stdout))
  } catch (err) {
    return {
      ...base,
      dongles: targets.map((t) => fromUsb(t, usb.get(t.id))),
      error: `unreadable PowerShell answer: ${String(err)}`
    }
  }
}
