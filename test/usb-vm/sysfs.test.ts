/**
 * The recorded sysfs fixtures are what the real kernel shows: each scenario is plugged in again and every
 * non-volatile attribute is compared with the recording.
 */
import assert from 'node:assert/strict'
import { mkdtempSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { createLibusbPort } from '../../src/main/device/usb-libusb'
import { Gadget } from './rig/gadget'
import { SYSFS_SCENARIOS } from './rig/scenarios'
import { interfacesBound, readTree, recordSysfs } from './rig/sysfs'
import { waitFor } from './rig/wait'

const port = createLibusbPort()
/**
 * The root hub names the running kernel ('Linux 6.1.0-57-amd64 dummy_hcd'); Debian's point releases change
 * it under the rig, and it says nothing about the dongle, so both sides compare with the release masked.
 */
const maskKernel = (tree: Map<string, string>): Record<string, string> =>
  Object.fromEntries(
    [...tree].map(([k, v]) => [
      k,
      k.endsWith('/manufacturer') ? v.replace(/^Linux \S+ /, 'Linux <release> ') : v
    ])
  )
const fixtures = join(import.meta.dirname, '../fixtures/sysfs')

describe('recorded sysfs fixtures', () => {
  for (const scenario of SYSFS_SCENARIOS) {
    it(`${scenario.name} matches the live kernel`, async () => {
      const gadget = new Gadget(scenario.profile, 'dummy_udc.0').create().bind()
      try {
        const device = await waitFor('enumerated', () =>
          port.list().find((d) => d.vendorId === scenario.profile.vendorId)
        )
        await waitFor('interfaces bound', () => interfacesBound(device.id))
        const live = mkdtempSync('/tmp/sysfs-')
        recordSysfs(device.id, live)
        const recorded = readTree(join(fixtures, scenario.name))
        const now = readTree(live)
        recorded.delete('SOURCE.md')
        assert.ok(recorded.size > 50, `the recording has ${recorded.size} attributes`)
        for (const key of ['bMaxPower', 'bmAttributes', 'speed', 'devpath', 'idVendor']) {
          const path = `${device.id}/${key}`
          assert.equal(now.get(path), recorded.get(path), path)
        }
        assert.deepEqual(maskKernel(now), maskKernel(recorded))
      } finally {
        gadget.destroy()
        await waitFor('unplugged', () => !port.list().some((d) => d.vendorId === scenario.profile.vendorId))
      }
    })
  }
})
