/**
 * `npm run sign-update -- ...`: the release side of signed updates.
 *   --generate-key <file>    write a new Ed25519 private key (0600) and print its public key (for resources/)
 *   --key <file> --key-id <id> --dir <folder> --version x.y.z --min-app x.y.z [--expires-days 30] [--notes <file>]
 *   --artifact app:<platform>:<arch>:<file> | firmware:<vvvv:pppp>:<file>   (repeat; files relative to --dir)
 * writes <dir>/manifest.json, the signed envelope the app downloads and verifies. Relative paths are from the folder
 * the command was typed in (npm's INIT_CWD), not the checkout npm runs scripts in: a new private key must not land
 * in the working tree.
 */
import { readFileSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseArgs } from 'node:util'
import { describeArtifact, generateSigningKey, signManifest } from '../src/main/setup/sign-manifest'
import { entryArgs, valuesOrExit } from '../src/shared/entry-args'
import type { Artifact } from '../src/shared/updates/manifest'

const USAGE = `usage: npm run sign-update -- --generate-key FILE
       npm run sign-update -- --key FILE --key-id ID --dir FOLDER --version x.y.z --min-app x.y.z
         [--expires-days 30] [--notes FILE] --artifact app:<platform>:<arch>:<file> | firmware:<vvvv:pppp>:<file> ...
(docs/updates.md; files of --artifact are relative to --dir)`
const args = entryArgs(
  () =>
    parseArgs({
      options: {
        help: { type: 'boolean' },
        'generate-key': { type: 'string' },
        key: { type: 'string' },
        'key-id': { type: 'string' },
        dir: { type: 'string' },
        version: { type: 'string' },
        'min-app': { type: 'string' },
        'expires-days': { type: 'string', default: '30' },
        notes: { type: 'string' },
        artifact: { type: 'string', multiple: true, default: [] }
      }
    }),
  USAGE
)
const values = valuesOrExit(args, process)
/** Where the person typed the command: `npm run sign-update` runs in the checkout and says where in INIT_CWD. */
const typedIn =
  process.env.npm_lifecycle_event === 'sign-update' ? (process.env.INIT_CWD ?? process.cwd()) : process.cwd()
const here = (p: string): string => resolve(typedIn, p)

const fail = (m: string): never => {
  console.error(`sign-update: ${m}`)
  process.exit(2)
}

if (values['generate-key']) {
  const k = generateSigningKey()
  writeFileSync(here(values['generate-key']), k.privateKeyPem, { mode: 0o600, flag: 'wx' })
  process.stdout.write(k.publicKeyPem)
  process.exit(0)
}
const dir = here(values.dir ?? fail('--dir is required'))
const artifacts: Artifact[] = (values.artifact ?? []).map((spec) => {
  const parts = spec.split(':')
  if (parts[0] === 'app' && parts.length === 4)
    return describeArtifact(join(dir, parts[3] ?? ''), {
      kind: 'app',
      platform: parts[1] as Artifact['platform'],
      arch: parts[2] as Artifact['arch'],
      path: parts[3]
    })
  if (parts[0] === 'firmware' && parts.length === 4)
    return describeArtifact(join(dir, parts[3] ?? ''), {
      kind: 'firmware',
      model: `${parts[1]}:${parts[2]}`,
      path: parts[3]
    })
  return fail(`bad --artifact ${spec}`)
})
const now = new Date()
const envelope = signManifest(
  {
    schema: 1,
    product: 'dialtone',
    version: values.version ?? fail('--version is required'),
    released: now.toISOString(),
    expires: new Date(now.getTime() + Number(values['expires-days']) * 86_400_000).toISOString(),
    minAppVersion: values['min-app'] ?? fail('--min-app is required'),
    notes: values.notes ? readFileSync(here(values.notes), 'utf8') : '',
    artifacts
  },
  readFileSync(here(values.key ?? fail('--key is required')), 'utf8'),
  values['key-id'] ?? fail('--key-id is required')
)
writeFileSync(join(dir, 'manifest.json'), JSON.stringify(envelope, null, 2) + '\n')
process.stdout.write(`signed ${artifacts.length} artifact(s) into ${join(dir, 'manifest.json')}\n`)
