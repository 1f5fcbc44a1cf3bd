#!/usr/bin/env node
/**
 * Renders resources/icons/icon.svg into the PNGs Electron needs (nativeImage does not read SVG): the app
 * icon and the tray icon at 1x and 2x. Uses Debian's Chromium through playwright-core. Run after editing
 * the SVG; the PNGs are committed.
 */
import { readFileSync } from 'node:fs'
import { chromium } from 'playwright-core'

const svg = readFileSync('resources/icons/icon.svg', 'utf8')
const browser = await chromium.launch({
  executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
  args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run']
})
const page = await browser.newPage()
for (const [name, size] of [
  ['icon.png', 512],
  ['tray.png', 16],
  ['tray@2x.png', 32]
]) {
  await page.setViewportSize({ width: size, height: size })
  await page.setContent(
    `<style>html,body{margin:0;background:transparent}svg{display:block;width:${size}px;height:${size}px}</style>${svg}`
  )
  await page.screenshot({ path: `resources/icons/${name}`, omitBackground: true })
  console.log(`resources/icons/${name} (${size}px)`)
}
await browser.close()
