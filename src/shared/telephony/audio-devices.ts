/**
 * Which of the OS's audio devices belong to the dongle. Chromium (and so Electron) appends a USB device's
 * vendor and product ids to its label, "USB Audio Device (0d8c:000c)", so the dongle's input and output are
 * found by the ids the device layer reported, whatever the OS calls them. A person's own choice (by label,
 * because device ids change per origin and per permission grant) wins; when the chosen device is gone the
 * dongle's, then the system default, is used and the screen says so.
 */

export interface AudioDevice {
  readonly deviceId: string
  readonly kind: 'audioinput' | 'audiooutput'
  readonly label: string
}

export interface UsbIds {
  readonly vendorId: number
  readonly productId: number
}

export interface AudioChoice {
  readonly device: AudioDevice | null
  /** Whether the device is the dongle's own (matched by USB ids). */
  readonly dongle: boolean
  /** Why the person's choice was not used (it is unplugged), or null. */
  readonly fallback: 'chosenMissing' | null
}

/** The USB ids in a device label, or null when it names none. */
export function usbIdsInLabel(label: string): UsbIds | null {
  const m = /\(([0-9a-f]{4}):([0-9a-f]{4})\)\s*$/i.exec(label)
  return m ? { vendorId: parseInt(m[1] ?? '', 16), productId: parseInt(m[2] ?? '', 16) } : null
}

const isDongle = (d: AudioDevice, dongles: readonly UsbIds[]): boolean => {
  const ids = usbIdsInLabel(d.label)
  return ids !== null && dongles.some((x) => x.vendorId === ids.vendorId && x.productId === ids.productId)
}

/**
 * The device to use for one kind: the person's choice when present; else the dongle's (Chromium lists a
 * "default" alias first, which is skipped for matching); else the default device.
 */
export function pickAudioDevice(
  devices: readonly AudioDevice[],
  kind: AudioDevice['kind'],
  dongles: readonly UsbIds[],
  chosenLabel: string | null
): AudioChoice {
  const ofKind = devices.filter((d) => d.kind === kind)
  if (chosenLabel !== null) {
    const chosen = ofKind.find((d) => d.label === chosenLabel)
    if (chosen) return { device: chosen, dongle: isDongle(chosen, dongles), fallback: null }
  }
  const fallback = chosenLabel !== null ? 'chosenMissing' : null
  const dongle = ofKind.find((d) => d.deviceId !== 'default' && isDongle(d, dongles))
  if (dongle) return { device: dongle, dongle: true, fallback }
  const system = ofKind.find((d) => d.deviceId === 'default') ?? ofKind[0] ?? null
  return { device: system, dongle: false, fallback }
}
