/** Device pictures from resources/devices, by file name as the catalog gives it. */
const files = import.meta.glob('../../../resources/devices/*.svg', {
  eager: true,
  query: '?url',
  import: 'default'
})

export function pictureUrl(name: string): string | undefined {
  for (const [path, url] of Object.entries(files)) if (path.endsWith(`/${name}`)) return url as string
  return undefined
}
