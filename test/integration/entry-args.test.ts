/**
 * The command lines of the programs the docs tell a person to start by hand: the service (`npm run server`,
 * out/main/server.js), the web host (out/main/web.js), the update server (out/main/updates.js) and
 * `npm run sign-update`. `--help` prints the usage and exits 0; an unknown flag is one line and the usage, exit 2,
 * with nothing made in the data folder (the service used to ignore it and start on the default folder and port;
 * the others threw a stack trace). `npm run sign-update` writes a relative path where the command was typed, not
 * in the checkout npm runs it in (a private key in the working tree is one `git add .` from a commit).
 */
import { execFile } from 'node:child_process'
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterAll, describe, expect, it } from 'vitest'

const ROOT = resolve(import.meta.dirname, '../..')
const home = mkdtempSync(join(tmpdir(), 'dialtone-entry-args-'))
afterAll(() => rmSync(home, { recursive: true, force: true }))

function run(
  file: string,
  args: readonly string[],
  cwd = ROOT
): Promise<{ code: number; stdout: string; stderr: string }> {
  const env = {
    ...process.env,
    HOME: home,
    DIALTONE_DATA_DIR: join(home, 'data'),
    DIALTONE_SERVICE_PORT: '0'
  }
  return new Promise((done) => {
    execFile(file, args, { cwd, env, timeout: 30_000 }, (err, stdout, stderr) =>
      done({ code: err ? (typeof err.code === 'number' ? err.code : -1) : 0, stdout, stderr })
    )
  })
}

describe.each(['server', 'web', 'updates'])('node out/main/%s.js', (entry) => {
  const file = join(ROOT, 'out/main', `${entry}.js`)

  it('prints its usage at --help and exits 0, starting nothing', async () => {
    const r = await run(process.execPath, [file, '--help'])
    expect(r.stdout).toMatch(new RegExp(`^usage: node out/main/${entry}\\.js`))
    expect(r.code).toBe(0)
    expect(existsSync(join(home, 'data'))).toBe(false)
  })

  it('refuses an unknown flag in one line with its usage, exit 2, making nothing', async () => {
    const r = await run(process.execPath, [file, '--bogus'])
    expect(r.code).toBe(2)
    expect(r.stderr.split('\n')[0]).toContain("Unknown option '--bogus'")
    expect(r.stderr).toContain(`usage: node out/main/${entry}.js`)
    expect(r.stderr).not.toMatch(/^\s+at /m)
    expect(r.stdout).toBe('')
    expect(existsSync(join(home, 'data'))).toBe(false)
  })
})

describe('npm run sign-update', () => {
  it('prints its usage at --help and exits 0', async () => {
    const r = await run('npm', ['run', '--silent', 'sign-update', '--', '--help'])
    expect(r.stdout).toMatch(/^usage: npm run sign-update -- --generate-key FILE/)
    expect(r.code).toBe(0)
  })

  it('writes a new key where the command was typed, not in the checkout', async () => {
    // A folder inside the checkout (npm finds package.json above it), ignored by git like all of test-results/.
    mkdirSync(join(ROOT, 'test-results'), { recursive: true })
    const typedIn = mkdtempSync(join(ROOT, 'test-results', 'sign-update-'))
    try {
      const r = await run(
        'npm',
        ['run', '--silent', 'sign-update', '--', '--generate-key', 'walk.pem'],
        typedIn
      )
      expect(r.code, r.stderr).toBe(0)
      expect(r.stdout).toContain('BEGIN PUBLIC KEY')
      expect(readdirSync(typedIn)).toEqual(['walk.pem'])
      expect(statSync(join(typedIn, 'walk.pem')).mode & 0o777).toBe(0o600)
      expect(existsSync(join(ROOT, 'walk.pem'))).toBe(false)
    } finally {
      rmSync(typedIn, { recursive: true, force: true })
      rmSync(join(ROOT, 'walk.pem'), { force: true })
    }
  })
})
