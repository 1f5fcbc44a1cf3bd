/** Saves content the page already holds as a file the person downloads (a report, an itemised bill). */
export function download(fileName: string, mimeType: string, content: BlobPart): void {
  const url = URL.createObjectURL(new Blob([content], { type: mimeType }))
  const a = document.createElement('a')
  a.href = url
  a.download = fileName
  a.click()
  setTimeout(() => URL.revokeObjectURL(url), 1000)
}

/** A file the service sent as base64 (CSV or PDF), saved under its own name. */
export function downloadBase64(fileName: string, mimeType: string, base64: string): void {
  download(
    fileName,
    mimeType,
    Uint8Array.from(atob(base64), (c) => c.charCodeAt(0))
  )
}
