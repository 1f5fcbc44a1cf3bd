/**
 * Where Dialtone keeps its data when no Electron tells it: the OS's per-user data folder. Pure (the caller
 * passes the environment, platform and home folder), so the app, the CLI and the service all agree on it.
 */
export function dataDirFor(env: Record<string, string | undefined>, platform: string, home: string): string {
  if (env.DIALTONE_DATA_DIR) return env.DIALTONE_DATA_DIR
  if (platform === 'win32') return `${env.APPDATA ?? `${home}\\AppData\\Roaming`}\\Dialtone`
  if (platform === 'darwin') return `${home}/Library/Application Support/Dialtone`
  return `${env.XDG_DATA_HOME ?? `${home}/.local/share`}/dialtone`
}
