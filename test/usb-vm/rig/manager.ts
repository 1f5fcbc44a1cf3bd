/** The app's DeviceManager on the guest's real ports (libusb, node-hid, sysfs), as the rig's tests and benches use it. */
import { DeviceManager, type DeviceManagerOptions } from '../../../src/main/device/device-manager'
import { createNodeHidPort } from '../../../src/main/device/hid-nodehid'
import { linuxHidSystem } from '../../../src/main/device/hid-system'
import { createLibusbPort } from '../../../src/main/device/usb-libusb'
import type { EventBus } from '../../../src/main/ipc/event-bus'
import { silentLogger } from '../../../src/main/log/logger'

export const realDeviceManager = (bus: EventBus, options?: DeviceManagerOptions): DeviceManager =>
  new DeviceManager(createLibusbPort(), createNodeHidPort(), linuxHidSystem(), bus, silentLogger(), options)
