/**
 * The report's section for soak.json (scripts/bench.mjs).
 * Main-process memory: the app brain after start, then after an hour of simulated use (calls and hotplugs).
 */

/** The section's lines from the benchmark's JSON. */
export function section(k) {
  const row = (name, x) => `| ${name} | ${x.heapUsedMiB} | ${x.rssMiB} | ${x.externalMiB} |`
  return [
    '## Main-process memory after an hour of simulated use',
    '',
    `${k.environment}. Simulated: ${k.simulated.answeredCalls} answered and ${k.simulated.missedCalls} missed incoming calls, ${k.simulated.hotplugs} hotplugs.`,
    '',
    '| moment | heap used MiB | RSS MiB | external MiB |',
    '|---|---|---|---|',
    row('after start, registered (peer)', k.afterStart),
    row('after a warm-up of 5 cycles', k.afterWarmUp),
    row('at the end of the hour', k.atEndOfUse),
    row('after the hour and 35 s idle', k.afterUseSettled),
    '',
    `Heap growth over the hour: ${k.heapGrowthMiB} MiB (${k.heapGrowthAfterWarmUpMiB} MiB after the warm-up).`,
    ''
  ]
}
