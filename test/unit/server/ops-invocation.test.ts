/**
 * The commands the ops CLI prints must paste back the way it was started (src/server/ops/cli/invocation.ts): from a
 * checkout through `npm run ops -- …`, installed as `dialtone-ops`. Checked against the environment this machine's
 * own npm gives a script (npm 11 says npm_command=run, older npm run-script), and against hostile script names.
 */
import { execFileSync } from 'node:child_process'
import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { invocation } from '../../../src/server/ops/cli/invocation'

describe('how the ops CLI was started', () => {
  it('is `npm run ops --` in the environment the installed npm gives `npm run ops`', () => {
    const dir = mkdtempSync(join(tmpdir(), 'dialtone-npm-env-'))
    writeFileSync(
      join(dir, 'package.json'),
      JSON.stringify({ name: 'env-probe', private: true, scripts: { ops: 'node print.cjs' } })
    )
    writeFileSync(
      join(dir, 'print.cjs'),
      'process.stdout.write(JSON.stringify({ npm_command: process.env.npm_command, npm_lifecycle_event: process.env.npm_lifecycle_event }))'
    )
    const out = execFileSync('npm', ['run', '--silent', 'ops'], { cwd: dir, encoding: 'utf8' })
    expect(invocation(JSON.parse(out) as NodeJS.ProcessEnv)).toBe('npm run ops --')
  })

  it.each([
    [{ npm_command: 'run', npm_lifecycle_event: 'ops' }, 'npm run ops --'],
    [{ npm_command: 'run-script', npm_lifecycle_event: 'ops' }, 'npm run ops --'],
    [{}, 'dialtone-ops'],
    [{ npm_command: 'exec', npm_lifecycle_event: 'ops' }, 'dialtone-ops'],
    [{ npm_command: 'run', npm_lifecycle_event: 'ops; rm -rf ~' }, 'dialtone-ops']
  ])('%o -> %s', (env, expected) => expect(invocation(env)).toBe(expected))
})
