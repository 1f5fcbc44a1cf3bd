/**
 * The setup engine's update step for a dongle's firmware: fetch the signed manifest from the update source, verify
 * it against the trusted keys and the firmware the dongle runs, pick the artifact for this model, download it with
 * progress and resume, verify size and SHA-256, write it through the driver, and read the version back. A refusal
 * at any point is the step's failure with the refusal's code; the dongle keeps its firmware.
 */
import { mkdirSync } from 'node:fs'
import { readFile } from 'node:fs/promises'
import { join } from 'node:path'
import type { FirmwareAccess } from '../device/drivers/firmware-access'
import { FirmwareError } from '../device/drivers/firmware-access'
import { download } from './downloader'
import { SetupStepError, type StepOutcome, type StepProgress } from './setup-engine'
import { type TrustedKey, UpdateError, verifyManifest } from './update-verify'

export interface FirmwareUpdatePorts {
  /** Base URL of the update source (the folder that holds manifest.json), or null when none is configured. */
  readonly updateUrl: string | null
  readonly trustedKeys: () => readonly TrustedKey[]
  readonly appVersion: string
  /** Where downloads are kept until written. */
  readonly downloadDir: string
  readonly now?: () => Date
}

export async function updateFirmware(
  p: FirmwareUpdatePorts,
  device: { model: string; firmware: FirmwareAccess | null },
  progress: (p: StepProgress) => void
): Promise<StepOutcome> {
  if (!p.updateUrl)
    return { kind: 'skipped', message: 'no update source is configured; the dongle keeps its firmware' }
  if (!device.firmware)
    return { kind: 'skipped', message: 'this dongle’s firmware cannot be updated by Dialtone' }
  try {
    const installed = await device.firmware.version()
    const res = await fetch(
      new URL('manifest.json', p.updateUrl.endsWith('/') ? p.updateUrl : `${p.updateUrl}/`),
      {
        signal: AbortSignal.timeout(15_000)
      }
    )
    if (!res.ok) throw new SetupStepError('unreachable', `the update source answered ${res.status}`)
    let manifest
    try {
      manifest = verifyManifest(await res.json(), p.trustedKeys(), {
        installedVersion: installed,
        appVersion: p.appVersion,
        now: p.now?.() ?? new Date()
      })
    } catch (err) {
      if (err instanceof UpdateError && err.code === 'downgrade')
        return { kind: 'skipped', message: `firmware ${installed} is current` }
      throw err
    }
    const artifact = manifest.artifacts.find((a) => a.kind === 'firmware' && a.model === device.model)
    if (!artifact)
      return { kind: 'skipped', message: `release ${manifest.version} has no firmware for this model` }
    mkdirSync(p.downloadDir, { recursive: true })
    const file = join(p.downloadDir, `${artifact.sha256}.bin`)
    await download(new URL(artifact.path, res.url).toString(), file, artifact, {
      onProgress: (d) =>
        progress({
          percent: Math.floor(d.percent / 2),
          bytes: d.bytes,
          message: `downloading firmware ${manifest.version}`
        })
    })
    const image = await readFile(file)
    await device.firmware.write(image, manifest.version, (bytes, total) =>
      progress({
        percent: 50 + Math.floor((bytes * 50) / total),
        bytes,
        message: `writing firmware ${manifest.version}`
      })
    )
    return { kind: 'done', message: `firmware updated from ${installed} to ${manifest.version}` }
  } catch (err) {
    if (err instanceof UpdateError || err instanceof FirmwareError)
      throw new SetupStepError(err.code, err.message)
    throw err
  }
}
