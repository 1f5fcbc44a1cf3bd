/**
 * Where the web host's WebSocket and its key check live, and the largest frame it reads: plain constants apart
 * from the protocol's schemas (./wire.ts), so the web host's file server can listen without loading zod first
 * (it held Node's one thread for ~85 ms before the first page could be served).
 */
export const WS_PATH = '/ipc'
/**
 * Asks the web host whether a key (?token=) is still its own: 204 yes, 401 no. A browser never sees why a
 * WebSocket was refused, so after a failed connection the page asks here to tell "Dialtone was restarted, this
 * key is old" from "Dialtone is not running".
 */
export const KEY_CHECK_PATH = '/ipc/key'
/** Frames larger than this are refused by the server before parsing. */
export const WS_MAX_FRAME_BYTES = 1024 * 1024
