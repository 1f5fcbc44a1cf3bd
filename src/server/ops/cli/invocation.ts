/**
 * How the person started `dialtone-ops`, so the next commands the CLI prints can be pasted back as they are: in a
 * checkout there is no `dialtone-ops` on the PATH and the CLI runs as `npm run ops -- …`; npm says so in the
 * environment it gives the script (npm_command=run-script, npm_lifecycle_event=<script name>). Installed, or run
 * any other way, it is `dialtone-ops`.
 */
export function invocation(env: NodeJS.ProcessEnv): string {
  const script = env.npm_lifecycle_event
  if (env.npm_command === 'run-script' && script && /^[\w:.-]+$/.test(script)) return `npm run ${script} --`
  return 'dialtone-ops'
}
