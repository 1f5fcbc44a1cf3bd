/**
 * Downloads an update artifact with progress and resume. Bytes go to `<dest>.part`; when that file exists the
 * request asks for the rest (`Range: bytes=N-`) and appends on 206, or starts over on 200 (a server without
 * ranges). More bytes than the signed size abort at once (oversized); fewer are reported as truncated; the file
 * only becomes `<dest>` after its size and SHA-256 verify, so an interrupted or bad download never looks complete.
 */
import { createWriteStream, existsSync, renameSync, statSync, unlinkSync } from 'node:fs'
import { Readable } from 'node:stream'
import { pipeline } from 'node:stream/promises'
import type { ReadableStream as WebReadableStream } from 'node:stream/web'
import type { Artifact } from '../../shared/updates/manifest'
import { UpdateError, verifyArtifact } from './update-verify'

export interface DownloadProgress {
  readonly bytes: number
  readonly total: number
  readonly percent: number
  readonly resumedFrom: number
}

/** Where to resume: the bytes already in the part file, unless it is already too long (then start over). */
export function resumeOffset(partSize: number, expected: number): number {
  return partSize > 0 && partSize <= expected ? partSize : 0
}

export async function download(
  url: string,
  dest: string,
  artifact: Pick<Artifact, 'size' | 'sha256' | 'path'>,
  options: { onProgress?: (p: DownloadProgress) => void; fetch?: typeof fetch; timeoutMs?: number } = {}
): Promise<void> {
  const part = `${dest}.part`
  const have = existsSync(part) ? statSync(part).size : 0
  let offset = resumeOffset(have, artifact.size)
  if (offset === 0 && have > 0) unlinkSync(part)
  if (offset < artifact.size) {
    const res = await (options.fetch ?? fetch)(url, {
      headers: offset > 0 ? { range: `bytes=${offset}-` } : {},
      signal: AbortSignal.timeout(options.timeoutMs ?? 10 * 60_000)
    })
    if (res.status === 200 && offset > 0)
      offset = 0 // no ranges here: start again
    else if (res.status !== 200 && res.status !== 206)
      throw new UpdateError('truncated', `the update server answered ${res.status} for ${artifact.path}`)
    if (!res.body) throw new UpdateError('truncated', `the update server sent no body for ${artifact.path}`)
    const resumedFrom = offset
    let bytes = offset
    const out = createWriteStream(part, { flags: offset > 0 ? 'a' : 'w' })
    const counted = Readable.fromWeb(res.body as WebReadableStream).map((chunk: Buffer) => {
      bytes += chunk.length
      if (bytes > artifact.size)
        throw new UpdateError(
          'oversized',
          `${artifact.path} is larger than its signed size of ${artifact.size} bytes`
        )
      options.onProgress?.({
        bytes,
        total: artifact.size,
        percent: Math.floor((bytes * 100) / artifact.size),
        resumedFrom
      })
      return chunk
    })
    try {
      await pipeline(counted, out)
    } catch (err) {
      // Writes already handed to the OS finish after the pipeline gives up: wait for the file to be closed, or
      // the next attempt would resume from a size that is still growing (and write those bytes twice).
      if (!out.closed) await new Promise<void>((r) => out.once('close', () => r()))
      if (err instanceof UpdateError) {
        unlinkSync(part)
        throw err
      }
      // Connection lost: keep the part file; the next attempt resumes from it.
      throw new UpdateError(
        'truncated',
        `the download of ${artifact.path} stopped at ${bytes} of ${artifact.size} bytes; it will resume`
      )
    }
  }
  try {
    await verifyArtifact(part, artifact)
  } catch (err) {
    // A wrong file is never resumed from.
    if (err instanceof UpdateError && err.code !== 'truncated') unlinkSync(part)
    throw err
  }
  renameSync(part, dest)
}
