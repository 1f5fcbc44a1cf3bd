/**
 * What a collector saw, in one OS-neutral shape: the dongles and the hubs above them with their power facts,
 * port health, power management, permissions, and log evidence. Collectors (src/main/diagnostics/<os>) fill
 * it from sysfs and the kernel log, PowerShell, or ioreg; the rules read only this.
 */
import type { PROBLEM_CODES } from '../ipc/device'

/** A device problem's code (the device layer's), as the plug/unplug log keeps it. */
export type DeviceProblemCode = (typeof PROBLEM_CODES)[number]

export type LogKind =
  | 'descriptor-read-error'
  | 'address-error'
  | 'enumeration-failed'
  | 'over-current'
  | 'insufficient-power'
  | 'over-budget'
  | 'cannot-enable'
  | 'emi-disabled'
  | 'connect-debounce'
  | 'hub-status-failed'
  | 'not-top-speed'
  | 'disconnect'
  | 'reset'
  | 'new-device'

export interface LogEvidence {
  /** ISO time when the source gives one. */
  time: string | null
  source: 'kernel' | 'windows-pnp' | 'macos'
  kind: LogKind
  /** The USB device or port the line names ('1-1.4', 'usb1-port2'), when it names one. */
  target: string | null
  line: string
}

export interface HubObservation {
  id: string
  root: boolean
  /** From the hub's bmAttributes (what it claims) or the OS's hub information. */
  selfPowered: boolean | null
  /** USB version the hub speaks ('2.00', '3.10'). */
  version: string | null
  ports: number | null
}

export interface PortObservation {
  /** 'usb1-port1', '1-1-port4' on Linux; 'Port_#0004.Hub_#0002' on Windows. */
  name: string
  overCurrentCount: number | null
  connectType: string | null
  state: string | null
  disabled: boolean | null
  /** The parent hub's GET_STATUS answer for this port, where the OS let us ask (Linux with access, macOS). */
  hubStatus: {
    connected: boolean
    powered: boolean
    enabled: boolean
    suspended: boolean
    overCurrent: boolean
    overCurrentChanged: boolean
  } | null
}

export interface DongleObservation {
  id: string
  vendorId: number
  productId: number
  name: string
  serial: string | null
  /** bMaxPower in mA. */
  declaredMa: number | null
  selfPowered: boolean | null
  /** What the catalog says the model needs; null for unknown models. */
  needMa: number | null
  speedMbps: number | null
  /** The device chose a configuration (an unconfigured device did not get enough power or failed). */
  configured: boolean | null
  power: { control: string | null; runtimeStatus: string | null; autosuspendDelayMs: number | null }
  port: PortObservation | null
  /** Hubs from the root hub down to the dongle's parent. */
  chain: HubObservation[]
  permission: 'ok' | 'denied' | 'unknown'
  /** Windows Device Manager problem code (0 = none), when known. */
  problemCode: number | null
  problemText: string | null
}

export interface HotplugEvent {
  time: string
  kind: 'attach' | 'detach' | 'error'
  deviceId: string
  /** An error's device problem code, which the app words (absent in events logged before it was kept). */
  problem?: DeviceProblemCode | null
  /** An error's code and sentence in English, as the device layer or the OS wrote it: for support. */
  detail: string | null
}

export interface Observations {
  platform: 'linux' | 'win32' | 'darwin' | 'other'
  collector: 'linux-sysfs' | 'windows-pnp' | 'macos-ioreg'
  collectedAt: string
  /** Could the USB stack be read at all. */
  inspected: boolean
  error: string | null
  dongles: DongleObservation[]
  /** Failed enumerations the OS kept a trace of (Windows 'VID_0000&PID_000x' devnodes, kernel log). */
  logs: LogEvidence[]
  events: HotplugEvent[]
  /** Windows power plan "USB selective suspend" (true = enabled), when known. */
  selectiveSuspend: boolean | null
}
