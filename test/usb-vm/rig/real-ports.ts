/** The app's real Linux ports, as the diagnostics inspection takes them, for guest tests and benchmarks. */
import { createNodeHidPort } from '../../../src/main/device/hid-nodehid'
import { linuxHidSystem } from '../../../src/main/device/hid-system'
import { createLibusbPort } from '../../../src/main/device/usb-libusb'
import { runCommand } from '../../../src/main/diagnostics/command-runner'
import type { InspectPorts } from '../../../src/main/diagnostics/inspect'

export function realInspectPorts(): Omit<InspectPorts, 'events'> {
  return {
    platform: 'linux',
    usb: createLibusbPort(),
    hid: createNodeHidPort(),
    hidSystem: linuxHidSystem(),
    run: runCommand
  }
}
