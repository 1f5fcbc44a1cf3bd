/**
 * Guest script (`npm run record:usb-sysfs`): plugs each recorded scenario's dongle into the real kernel and
 * writes its sysfs tree to test/fixtures/sysfs/<scenario>/, with a note of how it was made.
 */
import { rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { Gadget } from './rig/gadget'
import { SYSFS_SCENARIOS } from './rig/scenarios'
import { interfacesBound, recordSysfs } from './rig/sysfs'
import { sleep, waitFor } from './rig/wait'
import { createLibusbPort } from '../../src/main/device/usb-libusb'

const fixtures = join(import.meta.dirname, '../fixtures/sysfs')
const port = createLibusbPort()

for (const scenario of SYSFS_SCENARIOS) {
  const gadget = new Gadget(scenario.profile, 'dummy_udc.0').create().bind()
  const device = await waitFor(`${scenario.name} enumerated`, () =>
    port
      .list()
      .find((d) => d.vendorId === scenario.profile.vendorId && d.productId === scenario.profile.productId)
  )
  await waitFor('interfaces bound', () => interfacesBound(device.id))
  await sleep(500) // let udev finish with the new nodes
  const dest = join(fixtures, scenario.name)
  rmSync(dest, { recursive: true, force: true })
  const files = recordSysfs(device.id, dest)
  writeFileSync(
    join(dest, 'SOURCE.md'),
    `# ${scenario.name}\n\n${scenario.about}\n\nRecorded by \`npm run record:usb-sysfs\` in the QEMU rig ` +
      `(Debian kernel ${process.env.KVER ?? 'see test/usb-vm/vm.sh'}, dummy_hcd): the dongle ${device.id} and ` +
      `everything above it, copied from /sys/bus/usb/devices. ${files} files. The live-vs-recorded check is ` +
      `test/usb-vm/sysfs.test.ts.\n`
  )
  console.log(`${scenario.name}: ${device.id}, ${files} files`)
  gadget.destroy()
  await waitFor(
    `${scenario.name} gone`,
    () => !port.list().some((d) => d.vendorId === scenario.profile.vendorId)
  )
}
