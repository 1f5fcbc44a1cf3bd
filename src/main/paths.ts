/** Where the app keeps its data when no Electron tells it (web host, CLI): the OS's per-user data folder. */
import { homedir } from 'node:os'
import { dataDirFor } from '../shared/data-dir'

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  return dataDirFor(env, platform, home)
}
