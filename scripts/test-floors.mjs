/**
 * Test-count floors for `npm test` (scripts/test-all.mjs): test/floors.json records, per suite, the fewest tests
 * it may run. A suite that runs fewer (a file no longer collected, a describe block lost in a merge, a runner
 * that stopped early) counts as failed, with a line saying so, instead of passing quietly with less coverage.
 *
 * Raising a floor: after adding tests, set the suite's number in test/floors.json to the new count that
 * `npm test` printed, in the same commit. Lowering one is for deliberately removed tests, and the commit says why.
 */
import { readFileSync } from 'node:fs'

/**
 * The floors file, checked: an object whose keys are known suite names and whose values are whole numbers >= 0.
 * @param {string} path
 * @param {readonly string[]} suites the suite names test-all knows
 * @returns {Record<string, number>}
 */
export function readFloors(path, suites) {
  let json
  try {
    json = JSON.parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new Error(`${path} is not readable JSON: ${err instanceof Error ? err.message : String(err)}`, {
      cause: err
    })
  }
  if (json === null || typeof json !== 'object' || Array.isArray(json))
    throw new Error(`${path} must be an object of suite name -> minimum test count`)
  /** @type {Record<string, number>} */
  const floors = {}
  for (const [name, value] of Object.entries(json)) {
    if (!suites.includes(name))
      throw new Error(`${path} names a suite test-all does not run: ${name} (known: ${suites.join(', ')})`)
    if (!Number.isSafeInteger(value) || value < 0)
      throw new Error(
        `${path}: the floor of ${name} must be a whole number of tests, not ${JSON.stringify(value)}`
      )
    floors[name] = value
  }
  return floors
}

/**
 * The plain line to print when a suite ran fewer tests than its floor, or null when it met it (or has none).
 * @param {string} name
 * @param {number} tests how many tests the runner reported: passed, failed and skipped
 * @param {Record<string, number>} floors
 * @returns {string | null}
 */
export function floorShortfall(name, tests, floors) {
  const floor = floors[name]
  if (floor === undefined || tests >= floor) return null
  return `${name}: ${tests} tests ran, fewer than its floor of ${floor} in test/floors.json; counted as failed`
}
