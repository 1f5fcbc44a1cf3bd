/**
 * Renderer entry, kept small on purpose: it asks for the person's language first, so that file downloads beside
 * the shell's code (React, the app) instead of after it has run, then renders the shell once both are in.
 */
import { initI18n } from './i18n'
import './styles.css'

const words = initI18n()
const { renderShell } = await import('./shell')
await words
renderShell()
