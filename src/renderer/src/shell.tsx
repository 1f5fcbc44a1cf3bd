/** The shell's start: connect to main (preload or WebSocket), start the media engine, render. ./main.tsx calls it. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient } from '../../shared/ipc/client'
import { App } from './App'
import { DialtoneContext } from './bridge/dialtone-context'
import { connect } from './bridge/connect'
import { MissingToken } from './components/MissingToken'
import { keepFocus } from './focus-keeper'
import { MediaContext } from './media/media-context'
import { MediaEngine } from './media/media-engine'

/** Renders the app into #root; the person's language must be loaded (initI18n) first. */
export function renderShell(): void {
  const root = createRoot(document.getElementById('root') as HTMLElement)
  keepFocus()
  const connection = connect()
  if (connection.kind === 'missing-token') {
    root.render(<MissingToken />)
  } else {
    const client = createClient(connection.transport)
    const onState = connection.kind === 'web' ? connection.transport.onState.bind(connection.transport) : null
    // The calls' audio lives here: the engine attaches to main and follows it across reconnections.
    const engine = new MediaEngine(client)
    void engine.start().catch((err: unknown) => console.error('the media engine did not start', err))
    let wasClosed = false
    onState?.((s) => {
      if (s === 'closed' || s === 'stale') wasClosed = true
      if (s === 'open' && wasClosed) void engine.attach().catch(() => undefined)
    })
    root.render(
      <StrictMode>
        <DialtoneContext.Provider value={client}>
          <MediaContext.Provider value={engine}>
            <App connectionState={onState} />
          </MediaContext.Provider>
        </DialtoneContext.Provider>
      </StrictMode>
    )
  }
}
