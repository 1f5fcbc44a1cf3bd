/**
 * Signed updates end to end on loopback: `npm run sign-update` makes a key and signs a release folder; the dev
 * update server serves it with byte ranges; the client verifies the manifest with the public key, downloads with
 * progress, resumes after the connection is cut mid-file, and refuses a corrupted or oversized artifact.
 */
import { execFileSync } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs'
import { createServer } from 'node:http'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { type DownloadProgress, download } from '../../src/main/setup/downloader'
import { startUpdateServer, type UpdateServer } from '../../src/main/setup/update-server'
import { loadTrustedKeys } from '../../src/main/setup/trusted-keys'
import { UpdateError, verifyManifest } from '../../src/main/setup/update-verify'
import type { Manifest } from '../../src/shared/updates/manifest'

const ROOT = resolve(import.meta.dirname, '../..')
const releaseDir = mkdtempSync(join(tmpdir(), 'dialtone-release-'))
const keyDir = mkdtempSync(join(tmpdir(), 'dialtone-key-'))
const FIRMWARE = randomBytes(3 * 1024 * 1024 + 17)
let server: UpdateServer
let publicKeyPem = ''
let manifest: Manifest

const signUpdate = (args: string[]) =>
  execFileSync(process.execPath, ['--import', 'tsx', 'scripts/sign-update.ts', ...args], {
    cwd: ROOT
  }).toString()

beforeAll(async () => {
  publicKeyPem = signUpdate(['--generate-key', join(keyDir, 'release.pem')])
  expect(statSync(join(keyDir, 'release.pem')).mode & 0o777).toBe(0o600)
  writeFileSync(join(releaseDir, 'fw-1.2.bin'), FIRMWARE)
  signUpdate([
    '--key',
    join(keyDir, 'release.pem'),
    '--key-id',
    'release-test',
    '--dir',
    releaseDir,
    '--version',
    '0.2.0',
    '--min-app',
    '0.1.0',
    '--artifact',
    'firmware:06e6:c200:fw-1.2.bin'
  ])
  server = await startUpdateServer(releaseDir)
  const envelope = await (await fetch(`${server.url}/manifest.json`)).json()
  writeFileSync(join(keyDir, 'release-test.pub'), publicKeyPem)
  const trusted = loadTrustedKeys([join(ROOT, 'resources/update-keys'), keyDir])
  expect(trusted.map((k) => k.keyId)).toEqual(['release-test'])
  manifest = verifyManifest(envelope, trusted, {
    installedVersion: '0.1.0',
    appVersion: '0.1.0',
    now: new Date()
  })
}, 60_000)
afterAll(() => server?.close())

const artifact = () => manifest.artifacts[0] as Manifest['artifacts'][number]

describe('signed updates from the dev update server', () => {
  it('serves byte ranges as a CDN would', async () => {
    const r = await fetch(`${server.url}/fw-1.2.bin`, { headers: { range: 'bytes=10-19' } })
    expect(r.status).toBe(206)
    expect(r.headers.get('content-range')).toBe(`bytes 10-19/${FIRMWARE.length}`)
    expect(Buffer.from(await r.arrayBuffer()).equals(FIRMWARE.subarray(10, 20))).toBe(true)
    expect(
      (await fetch(`${server.url}/fw-1.2.bin`, { headers: { range: `bytes=${FIRMWARE.length}-` } })).status
    ).toBe(416)
    expect((await fetch(`${server.url}/../../etc/passwd`)).status).toBe(404)
  })

  it('never hands out a key left in the release folder, and survives a path that is not valid encoding', async () => {
    writeFileSync(join(releaseDir, 'release.pem'), '-----BEGIN PRIVATE KEY-----\n')
    writeFileSync(join(releaseDir, '.env'), 'SECRET=1\n')
    expect((await fetch(`${server.url}/release.pem`)).status).toBe(404)
    expect((await fetch(`${server.url}/RELEASE.PEM`)).status).toBe(404)
    expect((await fetch(`${server.url}/.env`)).status).toBe(404)
    expect((await fetch(`${server.url}/%E0%A4%A`)).status).toBe(400)
    // Still serving after it.
    expect((await fetch(`${server.url}/manifest.json`)).status).toBe(200)
  })

  it('downloads with progress and verifies size and hash before the file appears', async () => {
    const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'fw.bin')
    const seen: DownloadProgress[] = []
    await download(`${server.url}/fw-1.2.bin`, dest, artifact(), { onProgress: (p) => seen.push(p) })
    expect(readFileSync(dest).equals(FIRMWARE)).toBe(true)
    expect(seen.at(-1)).toMatchObject({ bytes: FIRMWARE.length, percent: 100, resumedFrom: 0 })
    expect(existsSync(`${dest}.part`)).toBe(false)
  })

  it('resumes with a Range request after the connection is cut mid-file', async () => {
    // A server that sends the first megabyte and then drops the connection.
    const cut = createServer((_req, res) => {
      res.writeHead(200, { 'content-length': FIRMWARE.length })
      res.write(FIRMWARE.subarray(0, 1024 * 1024), () => res.socket?.destroy())
    })
    await new Promise<void>((r) => cut.listen(0, '127.0.0.1', r))
    const cutUrl = `http://127.0.0.1:${(cut.address() as { port: number }).port}/fw-1.2.bin`
    const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'fw.bin')
    const first = await download(cutUrl, dest, artifact()).catch((e: unknown) => e)
    cut.close()
    expect(first).toBeInstanceOf(UpdateError)
    expect((first as UpdateError).code).toBe('truncated')
    expect(existsSync(dest)).toBe(false)
    const partial = statSync(`${dest}.part`).size
    expect(partial).toBeGreaterThan(0)
    expect(partial).toBeLessThan(FIRMWARE.length)
    const seen: DownloadProgress[] = []
    await download(`${server.url}/fw-1.2.bin`, dest, artifact(), { onProgress: (p) => seen.push(p) })
    expect(seen[0]?.resumedFrom).toBe(partial)
    expect(readFileSync(dest).equals(FIRMWARE)).toBe(true)
  })

  it('refuses a corrupted byte and an oversized file, keeping nothing', async () => {
    const bad = Buffer.from(FIRMWARE)
    bad[12345] = (bad[12345] ?? 0) ^ 0xff
    writeFileSync(join(releaseDir, 'corrupt.bin'), bad)
    writeFileSync(join(releaseDir, 'big.bin'), Buffer.concat([FIRMWARE, Buffer.from([0])]))
    for (const [file, code] of [
      ['corrupt.bin', 'hash-mismatch'],
      ['big.bin', 'oversized']
    ] as const) {
      const dest = join(mkdtempSync(join(tmpdir(), 'dl-')), 'fw.bin')
      const err = await download(`${server.url}/${file}`, dest, artifact()).catch((e: unknown) => e)
      expect((err as UpdateError).code).toBe(code)
      expect(existsSync(dest)).toBe(false)
      expect(existsSync(`${dest}.part`)).toBe(false)
    }
  })
})
