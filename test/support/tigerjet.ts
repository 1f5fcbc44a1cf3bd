/**
 * The TigerJet 06e6:c200 dongle as `usb` 2.18 describes it, built from the recorded `lsusb -v` in
 * test/fixtures/usb/tigerjet-06e6-c200 (bcdUSB 1.10, bcdDevice 0.08, bus powered, MaxPower 500 mA).
 * Only the fields the adapter reads are present.
 */
import type { Device } from 'usb'

export function recordedTigerJet(busNumber = 1, portNumbers: number[] = [2], deviceAddress = 17): Device {
  return {
    busNumber,
    deviceAddress,
    portNumbers,
    deviceDescriptor: {
      bLength: 18,
      bDescriptorType: 1,
      bcdUSB: 0x0110,
      bDeviceClass: 0,
      bDeviceSubClass: 0,
      bDeviceProtocol: 0,
      bMaxPacketSize0: 64,
      idVendor: 0x06e6,
      idProduct: 0xc200,
      bcdDevice: 0x0008,
      iManufacturer: 16,
      iProduct: 32,
      iSerialNumber: 96,
      bNumConfigurations: 1
    },
    // MaxPower 500mA at full speed is bMaxPower 250 (2 mA units); bmAttributes 0x80 = bus powered.
    configDescriptor: {
      bmAttributes: 0x80,
      bMaxPower: 250,
      bNumInterfaces: 5,
      bConfigurationValue: 1,
      // Interfaces 0-4: mass storage (installer), audio control, audio streaming in and out, HID.
      interfaces: [8, 1, 1, 1, 3].map((bInterfaceClass) => [{ bInterfaceClass }])
    }
  } as unknown as Device
}
