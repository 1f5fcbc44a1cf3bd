/** Renderer entry: connect to main (preload or WebSocket), load the languages, render the shell. */
import { StrictMode } from 'react'
import { createRoot } from 'react-dom/client'
import { createClient } from '../../shared/ipc/client'
import { App } from './App'
import { DialtoneContext } from './bridge/dialtone-context'
import { connect } from './bridge/connect'
import { MissingToken } from './components/MissingToken'
import { initI18n } from './i18n'
import './styles.css'

const root = createRoot(document.getElementById('root') as HTMLElement)
await initI18n()
const connection = connect()
if (connection.kind === 'missing-token') {
  root.render(<MissingToken />)
} else {
  const client = createClient(connection.transport)
  const onState = connection.kind === 'web' ? connection.transport.onState.bind(connection.transport) : null
  root.render(
    <StrictMode>
      <DialtoneContext.Provider value={client}>
        <App connectionState={onState} />
      </DialtoneContext.Provider>
    </StrictMode>
  )
}
