#!/usr/bin/env node
/**
 * `npm start`: build, start the account service on its embedded default (127.0.0.1:4780) unless one already
 * answers there, then the desktop app: Electron when its binary is installed, otherwise the web host, which
 * prints the address to open in a browser. Ctrl-C stops everything it started.
 */
import { spawn, spawnSync } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'

const SERVICE = process.env.DIALTONE_SERVICE_URL ?? 'http://127.0.0.1:4780'
const children = []

function electronBinary() {
  try {
    const path = createRequire(import.meta.url)('electron')
    return typeof path === 'string' && existsSync(path) ? path : null
  } catch {
    return null // installed without its binary (ELECTRON_SKIP_BINARY_DOWNLOAD): no Electron here
  }
}

async function serviceAnswers() {
  try {
    return (await fetch(`${SERVICE}/v1/health`, { signal: AbortSignal.timeout(1000) })).ok
  } catch {
    return false
  }
}

function start(cmd, args, env = {}) {
  const child = spawn(cmd, args, { stdio: 'inherit', env: { ...process.env, ...env } })
  children.push(child)
  child.on('exit', (code) => {
    if (code !== 0 && code !== null) console.error(`${args[0] ?? cmd} exited with ${code}`)
    stop(code ?? 0)
  })
  return child
}

function stop(code = 0) {
  for (const c of children) if (c.exitCode === null) c.kill('SIGTERM')
  process.exit(code)
}
process.on('SIGINT', () => stop(0))
process.on('SIGTERM', () => stop(0))

if (spawnSync('npx', ['electron-vite', 'build'], { stdio: 'inherit' }).status !== 0) process.exit(1)

if (await serviceAnswers()) {
  console.log(`Using the account service already running at ${SERVICE}`)
} else {
  const port = new URL(SERVICE).port || '80'
  start(process.execPath, ['out/main/server.js'], { DIALTONE_SERVICE_PORT: port })
}

const electron = electronBinary()
if (electron) {
  start(electron, ['.'], { DIALTONE_SERVICE_URL: SERVICE })
} else {
  console.log('Electron is not installed on this machine: starting the web host instead.')
  start(process.execPath, ['out/main/web.js'], { DIALTONE_SERVICE_URL: SERVICE })
}
