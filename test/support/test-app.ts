/** A brain for tests: createApp with a fake USB bus, an in-memory store and a real or stub service client. */
import { join } from 'node:path'
import { createApp, type AppPorts, type DialtoneApp } from '../../src/main/app'
import { ServiceCallError, type ServiceClient } from '../../src/main/account/service-client'
import { silentLogger } from '../../src/main/log/logger'
import { memoryStore } from '../../src/main/store/key-value-store'
import { memoryVault } from '../../src/main/store/secret-vault'
import { fakeHid, fakeHidSystem } from './fake-hid'
import { fakeUsb, type FakeUsb } from './fake-usb'

export interface TestApp {
  app: DialtoneApp
  usb: FakeUsb
  ports: AppPorts
}

export function testApp(overrides: Partial<AppPorts> = {}): TestApp {
  const usb = fakeUsb()
  const service: ServiceClient = {
    status: async (url) => ({
      url,
      reachable: false,
      version: null,
      reason: 'unreachable',
      error: 'not started in this test'
    }),
    call: async () => {
      throw new ServiceCallError('unreachable', 'no service in this test')
    }
  }
  const ports: AppPorts = {
    info: { host: 'web', version: '0.0.0-test', dataDir: '/tmp/dialtone-test', electronVersion: null },
    usb,
    hid: fakeHid(),
    hidSystem: fakeHidSystem(),
    identifyTimeoutMs: 300,
    store: memoryStore(),
    service,
    vault: memoryVault(),
    fileExists: () => false,
    platform: 'linux',
    log: silentLogger(),
    run: async () => ({ code: 1, stdout: '', stderr: 'no commands in unit tests' }),
    virtualSysfs: join(import.meta.dirname, '../../resources/virtual/sysfs'),
    ...overrides
  }
  return { app: createApp(ports), usb: ports.usb as FakeUsb, ports }
}
