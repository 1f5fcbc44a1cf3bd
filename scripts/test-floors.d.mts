/** Types for scripts/test-floors.mjs (imported by its unit test). */
export function readFloors(path: string, suites: readonly string[]): Record<string, number>
export function floorShortfall(name: string, tests: number, floors: Record<string, number>): string | null
