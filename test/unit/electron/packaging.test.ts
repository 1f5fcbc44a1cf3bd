/**
 * electron-builder.yml as electron-builder 26 itself reads and validates it (its schema refuses unknown or
 * misspelt options), plus what the schema cannot know: the files it names exist, the .deb installs the same
 * udev rule the setup installs, and the app's resources land where main looks for them when packaged.
 */
import { existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import config from 'app-builder-lib/out/util/config/config.js'
import { DebugLogger } from 'builder-util'
import { describe, expect, it } from 'vitest'
import { UDEV_RULE_DIRS, UDEV_RULE_NAME } from '../../../src/main/setup/permissions'

const root = join(import.meta.dirname, '../../..')
type Loaded = Awaited<ReturnType<typeof config.getConfig>>
const load = (): Promise<Loaded> => config.getConfig(root, null, null)

describe('packaging', () => {
  it('passes electron-builder’s own validation', async () => {
    await expect(config.validateConfiguration(await load(), new DebugLogger(false))).resolves.toBeUndefined()
  })

  it('is refused by that validation when an option is misspelt (the check is real)', async () => {
    const c = { ...(await load()), publsh: { provider: 'generic' } } as unknown as Loaded
    await expect(config.validateConfiguration(c, new DebugLogger(false))).rejects.toThrow(/publsh/)
  })

  it('builds AppImage and deb, NSIS and dmg, and publishes for electron-updater', async () => {
    const c = await load()
    expect(c.linux?.target).toEqual(['AppImage', 'deb'])
    expect(c.win?.target).toEqual(['nsis'])
    expect(c.mac?.target).toEqual(['dmg'])
    expect(c.publish).toMatchObject({ provider: 'generic' })
    expect(c.protocols).toEqual(expect.arrayContaining([expect.objectContaining({ schemes: ['tel'] })]))
  })

  it('names only files that exist, and the deb installs the setup’s own udev rule', async () => {
    const c = await load()
    for (const f of [c.linux?.icon, c.deb?.afterInstall, c.deb?.afterRemove]) {
      expect(f, String(f)).toBeTypeOf('string')
      expect(existsSync(join(root, String(f))), String(f)).toBe(true)
    }
    expect(existsSync(join(root, 'resources/udev', UDEV_RULE_NAME))).toBe(true)
    const script = readFileSync(join(root, String(c.deb?.afterInstall)), 'utf8')
    expect(script).toContain(`resources/resources/udev/${UDEV_RULE_NAME}`)
    expect(script).toContain(`${UDEV_RULE_DIRS[0]}/${UDEV_RULE_NAME}`)
  })
})
