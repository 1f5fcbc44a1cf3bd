/** The two Electron IPC channels the contract travels on: calls renderer -> main, events main -> renderer. */
export const IPC_CALL_CHANNEL = 'dialtone:call'
export const IPC_EVENT_CHANNEL = 'dialtone:event'
/** The origin the Electron renderer is served from (a custom protocol, per Electron's security guide). */
export const APP_SCHEME = 'app'
export const APP_ORIGIN = 'app://dialtone'
