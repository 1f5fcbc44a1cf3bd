/** Where the app keeps its data when no Electron tells it (web host, CLI): the OS's per-user data folder. */
import { homedir } from 'node:os'
import { join } from 'node:path'

export function defaultDataDir(
  env: NodeJS.ProcessEnv = process.env,
  platform: NodeJS.Platform = process.platform,
  home: string = homedir()
): string {
  if (env.DIALTONE_DATA_DIR) return env.DIALTONE_DATA_DIR
  if (platform === 'win32') return join(env.APPDATA ?? join(home, 'AppData', 'Roaming'), 'Dialtone')
  if (platform === 'darwin') return join(home, 'Library', 'Application Support', 'Dialtone')
  return join(env.XDG_DATA_HOME ?? join(home, '.local', 'share'), 'dialtone')
}
