/**
 * The renderer's Content-Security-Policy, in one place. The build injects it into index.html as a meta tag
 * (Electron loads the page from file://, where no header can carry it) and the web host also sends it as a
 * header. Scripts only from the app itself, no eval, no inline script; connections only back to the app
 * (the web host's WebSocket is same-origin, and CSP3 'self' covers ws: on the same host).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "media-src 'self' blob: mediastream:",
  "base-uri 'none'",
  "form-action 'none'",
  "object-src 'none'"
].join('; ')
