/**
 * How the person started `dialtone-ops`, so the next commands the CLI prints can be pasted back as they are: in a
 * checkout there is no `dialtone-ops` on the PATH and the CLI runs as `npm run ops -- …`; npm says so in the
 * environment it gives the script (npm_lifecycle_event=<script name>, and npm_command `run-script` up to npm 10,
 * `run` from npm 11: with only the first accepted, npm 11 printed `dialtone-ops …` hints a checkout cannot paste).
 * Installed, or run any other way, it is `dialtone-ops`.
 */
const NPM_RUN = new Set(['run', 'run-script'])

export function invocation(env: NodeJS.ProcessEnv): string {
  const script = env.npm_lifecycle_event
  if (NPM_RUN.has(env.npm_command ?? '') && script && /^[\w:.-]+$/.test(script)) return `npm run ${script} --`
  return 'dialtone-ops'
}
