/**
 * Where the main window reopens: the saved bounds if they still fit on a connected display (monitors get
 * unplugged), otherwise the default size centred on the primary display. Pure, so it is tested without Electron.
 */
export interface Rect {
  x: number
  y: number
  width: number
  height: number
}

export interface WindowState extends Rect {
  maximized: boolean
}

export const DEFAULT_SIZE = { width: 1040, height: 720 }
export const MIN_SIZE = { width: 720, height: 520 }

const overlap = (a: Rect, b: Rect): number => {
  const w = Math.min(a.x + a.width, b.x + b.width) - Math.max(a.x, b.x)
  const h = Math.min(a.y + a.height, b.y + b.height) - Math.max(a.y, b.y)
  return w > 0 && h > 0 ? w * h : 0
}

export function isWindowState(value: unknown): value is WindowState {
  if (typeof value !== 'object' || value === null) return false
  const v = value as Record<string, unknown>
  return ['x', 'y', 'width', 'height'].every((k) => Number.isFinite(v[k])) && typeof v.maximized === 'boolean'
}

/** Keeps saved bounds when at least half the window lies on some display's work area. */
export function restoreBounds(saved: unknown, workAreas: readonly Rect[], primary: Rect): WindowState {
  if (isWindowState(saved)) {
    const size = {
      width: Math.max(MIN_SIZE.width, Math.round(saved.width)),
      height: Math.max(MIN_SIZE.height, Math.round(saved.height))
    }
    const rect = { x: Math.round(saved.x), y: Math.round(saved.y), ...size }
    const visible = Math.max(0, ...workAreas.map((a) => overlap(rect, a)))
    if (visible >= (rect.width * rect.height) / 2) return { ...rect, maximized: saved.maximized }
  }
  const width = Math.min(DEFAULT_SIZE.width, primary.width)
  const height = Math.min(DEFAULT_SIZE.height, primary.height)
  return {
    x: primary.x + Math.round((primary.width - width) / 2),
    y: primary.y + Math.round((primary.height - height) / 2),
    width,
    height,
    maximized: false
  }
}
