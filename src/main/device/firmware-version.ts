/**
 * The firmware version a dongle runs, as the Device page shows it: read once at plug-in and learnt again from
 * every firmware operation (the setup's update step), so the page shows the version the setup reported and never
 * the USB release (bcdDevice) as if it were the firmware.
 */
import type { Logger } from '../log/logger'
import type { DeviceRecord } from './device-record'
import type { DeviceTable } from './device-table'
import type { FirmwareAccess } from './drivers/firmware-access'

/**
 * Wraps a device's firmware access so each answer updates its record. The firmware protocol is one command at a
 * time: each operation (a read, a whole write, an attestation) waits for the one before it.
 */
export function observeFirmware(
  table: DeviceTable,
  record: DeviceRecord,
  fw: FirmwareAccess
): FirmwareAccess {
  const learn = (version: string): void => {
    if (!table.isCurrent(record) || record.firmwareVersion === version) return
    record.firmwareVersion = version
    table.emit('updated', record.id)
  }
  let last: Promise<unknown> = Promise.resolve()
  const inTurn = <T>(op: () => Promise<T>): Promise<T> => {
    const run = last.then(op, op)
    last = run.catch(() => undefined)
    return run
  }
  return {
    version: () =>
      inTurn(async () => {
        const version = await fw.version()
        learn(version)
        return version
      }),
    write: (image, version, onProgress) =>
      inTurn(async () => {
        await fw.write(image, version, onProgress)
        learn(version)
      }),
    attest: (challenge) => inTurn(() => fw.attest(challenge))
  }
}

/**
 * The plug-in read (in turn with the setup's update step, through observeFirmware). Whether it answers or not,
 * the version is no longer being checked once it is done.
 */
export function readFirmwareAtPlugIn(
  table: DeviceTable,
  record: DeviceRecord,
  firmware: FirmwareAccess,
  log: Logger
): void {
  void firmware
    .version()
    .catch((err: unknown) =>
      log.info({ id: record.id, err: String(err) }, 'the firmware version could not be read at plug-in')
    )
    .finally(() => {
      if (!record.firmwareChecking) return
      record.firmwareChecking = false
      if (table.isCurrent(record)) table.emit('updated', record.id)
    })
}
