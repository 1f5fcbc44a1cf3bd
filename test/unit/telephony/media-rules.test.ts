/** RFC 3264 direction with hold, and finding the dongle's audio devices by the USB ids in their labels. */
import { describe, expect, it } from 'vitest'
import { pickAudioDevice, usbIdsInLabel, type AudioDevice } from '../../../src/shared/telephony/audio-devices'
import {
  answerDirection,
  directionOf,
  offerDirection,
  type Direction
} from '../../../src/shared/telephony/sdp-direction'

describe('media direction (RFC 3264 §6, §8.4)', () => {
  it.each<[Direction, boolean, Direction]>([
    ['sendrecv', false, 'sendrecv'],
    ['sendrecv', true, 'sendonly'],
    ['sendonly', false, 'sendrecv'],
    ['sendonly', true, 'sendonly'],
    ['recvonly', false, 'recvonly'],
    ['recvonly', true, 'inactive'],
    ['inactive', false, 'recvonly'],
    ['inactive', true, 'inactive']
  ])('offers from %s with hold=%s: %s', (current, hold, offered) => {
    expect(offerDirection(current, hold)).toBe(offered)
  })

  it.each<[Direction, boolean, Direction]>([
    ['sendrecv', false, 'sendrecv'],
    ['sendrecv', true, 'sendonly'],
    ['sendonly', false, 'recvonly'],
    ['sendonly', true, 'inactive'],
    ['recvonly', false, 'sendonly'],
    ['recvonly', true, 'sendonly'],
    ['inactive', false, 'inactive'],
    ['inactive', true, 'inactive']
  ])('answers an offered %s with hold=%s: %s', (offered, hold, answered) => {
    expect(answerDirection(offered, hold)).toBe(answered)
  })

  it('reads the direction attribute, sendrecv when there is none', () => {
    expect(directionOf('v=0\r\nm=audio 9 RTP/AVP 0\r\na=sendonly\r\n')).toBe('sendonly')
    expect(directionOf('v=0\nm=audio 9 RTP/AVP 0\na=inactive\n')).toBe('inactive')
    expect(directionOf('v=0\r\nm=audio 9 RTP/AVP 0\r\n')).toBe('sendrecv')
  })
})

describe('the dongle’s audio devices', () => {
  const devices: AudioDevice[] = [
    { deviceId: 'default', kind: 'audioinput', label: 'Default - USB Audio Device (06e6:c031)' },
    { deviceId: 'mic-built-in', kind: 'audioinput', label: 'Built-in Audio Analog Stereo' },
    { deviceId: 'mic-dongle', kind: 'audioinput', label: 'USB Audio Device (06e6:c031)' },
    { deviceId: 'default', kind: 'audiooutput', label: 'Default' },
    { deviceId: 'spk-dongle', kind: 'audiooutput', label: 'USB Audio Device (06e6:c031)' },
    { deviceId: 'spk-hdmi', kind: 'audiooutput', label: 'HDMI Output' }
  ]
  const dongle = [{ vendorId: 0x06e6, productId: 0xc031 }]

  it('reads the ids Chromium appends to a USB device’s label', () => {
    expect(usbIdsInLabel('USB Audio Device (06e6:c031)')).toEqual({ vendorId: 0x06e6, productId: 0xc031 })
    expect(usbIdsInLabel('Headset (0D8C:000C) ')).toEqual({ vendorId: 0x0d8c, productId: 0x000c })
    expect(usbIdsInLabel('Built-in Audio Analog Stereo')).toBeNull()
    expect(usbIdsInLabel('Mic (06e6:c031) extra')).toBeNull()
  })

  it('picks the dongle’s own devices, never the "default" alias, when nothing was chosen', () => {
    expect(pickAudioDevice(devices, 'audioinput', dongle, null)).toEqual({
      device: devices[2],
      dongle: true,
      fallback: null
    })
    expect(pickAudioDevice(devices, 'audiooutput', dongle, null).device?.deviceId).toBe('spk-dongle')
  })

  it('uses the computer’s default without a dongle', () => {
    expect(pickAudioDevice(devices, 'audiooutput', [], null)).toEqual({
      device: devices[3],
      dongle: false,
      fallback: null
    })
  })

  it('honours the person’s choice, and says so when the chosen device is gone', () => {
    expect(pickAudioDevice(devices, 'audiooutput', dongle, 'HDMI Output').device?.deviceId).toBe('spk-hdmi')
    expect(pickAudioDevice(devices, 'audiooutput', dongle, 'USB Speaker (1234:5678)')).toEqual({
      device: devices[4],
      dongle: true,
      fallback: 'chosenMissing'
    })
  })

  it('gives no device when the OS lists none of that kind', () => {
    expect(pickAudioDevice([], 'audioinput', dongle, null).device).toBeNull()
  })
})
