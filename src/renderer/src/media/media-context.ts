/** React access to the window's MediaEngine (null where none runs, e.g. in component tests). */
import { createContext, useContext } from 'react'
import type { MediaEngine } from './media-engine'

export const MediaContext = createContext<MediaEngine | null>(null)

export const useMediaEngine = (): MediaEngine | null => useContext(MediaContext)
