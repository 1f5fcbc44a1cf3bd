/** The dial plan as a table, and properties over random digit strings (fast-check). */
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { decide, dialable } from '../../../src/shared/telephony/dial-plan'

describe('the dial plan', () => {
  it.each([
    ['9', false, 'collect'],
    ['91', false, 'collect'],
    ['911', false, 'dial:911'],
    ['*67911', false, 'dial:911'],
    ['93', false, 'collect'],
    ['933', false, 'dial:933'],
    ['212555010', false, 'collect'],
    ['2125550101', false, 'dial:+12125550101'],
    ['12125550101', false, 'dial:+12125550101'],
    ['*672125550101', false, 'dial:+12125550101'],
    ['1212', false, 'collect'],
    ['1212555', true, 'invalid'],
    ['0', false, 'collect'],
    ['01', false, 'collect'],
    ['011', false, 'collect'],
    ['011442071234567', false, 'collect'],
    ['011442071234567#', false, 'dial:+442071234567'],
    ['011442071234567', true, 'dial:+442071234567'],
    ['01144', true, 'invalid'],
    ['0112', true, 'invalid'],
    ['00', false, 'invalid'],
    ['411', false, 'invalid'],
    ['1112', false, 'invalid'],
    ['1025550101', false, 'invalid'],
    ['2120550101', false, 'invalid'],
    ['21255501011', false, 'invalid'],
    ['*69', false, 'feature'],
    ['', true, 'invalid'],
    ['', false, 'collect']
  ] as const)('%s (ended: %s) -> %s', (digits, ended, expected) => {
    const d = decide(digits, ended)
    expect(d.kind === 'dial' ? `dial:${d.target}` : d.kind).toBe(expected)
  })

  it('hides the caller ID with *67 but never for 911', () => {
    expect(decide('*672125550101')).toMatchObject({ hideCallerId: true })
    expect(decide('*67911')).toMatchObject({ emergency: true, hideCallerId: false })
  })

  it('never throws, and whatever it dials is 911, 933, the voicemail access code or E.164', () => {
    // *98 is the one star code dialled as itself: Kamailio answers it with the line's own voicemail. The property
    // said only 911, 933 or E.164 and failed whenever fast-check drew a string starting *98 (about one run in 16).
    fc.assert(
      fc.property(fc.stringMatching(/^[0-9*#]{0,22}$/), fc.boolean(), (digits, ended) => {
        const d = decide(digits, ended)
        if (d.kind === 'dial')
          expect(
            ['911', '933', '*98'].includes(d.target) || /^\+[1-9]\d{6,14}$/.test(d.target),
            `${digits} -> ${d.target}`
          ).toBe(true)
      })
    )
    expect(decide('*98')).toMatchObject({ kind: 'dial', target: '*98' })
  })

  it('decides every complete NANP number at its last digit, without waiting', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[2-9]\d\d[2-9]\d{6}$/), fc.boolean(), (n, withOne) => {
        expect(decide(`${withOne ? '1' : ''}${n}`)).toMatchObject({ kind: 'dial', target: `+1${n}` })
      })
    )
  })
})

describe('what can be dialled from typed or linked text', () => {
  it.each([
    ['+1 (201) 555-0101', '+12015550101'],
    ['201.555.0101 ext', '2015550101'],
    ['*69#', '*69#'],
    ['1+2', '12'],
    ['', '']
  ])('%j -> %j', (text, out) => {
    expect(dialable(text)).toBe(out)
  })
})
