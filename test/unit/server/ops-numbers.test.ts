/**
 * The pure parts of the ops topic "numbers and reports": the service's one CSV writer (formula cells neutralised,
 * plain numbers left as numbers), exact money, and the NANP checks a number range must pass before anything is
 * written.
 */
import { describe, expect, it } from 'vitest'
import { csvCell, toCsv } from '../../../src/server/csv'
import { MAX_RANGE, checkRange } from '../../../src/server/numbers/ranges'
import { money } from '../../../src/server/ops/reports'

describe('the CSV writer', () => {
  it('neutralises cells a spreadsheet would run, and quotes per RFC 4180', () => {
    for (const bad of ['=1+1', '+cmd|x', '-2+3', '@SUM(A1)', '\tx', '\rx'])
      expect(csvCell(bad).replace(/^"/, '').startsWith("'")).toBe(true)
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`)
    expect(csvCell('a,b')).toBe('"a,b"')
    expect(csvCell('line\nbreak')).toBe('"line\nbreak"')
  })

  it('leaves plain numbers alone: amounts and E.164 numbers stay numbers', () => {
    for (const n of ['-12.50', '+12125550100', '3500', '0.05', '-3']) expect(csvCell(n)).toBe(n)
    expect(csvCell(-4)).toBe('-4')
    expect(csvCell(null)).toBe('')
    expect(
      toCsv([
        ['a', 'b'],
        [1, '=x']
      ])
    ).toBe("a,b\r\n1,'=x\r\n")
  })
})

describe('money', () => {
  it('is exact in minor units', () => {
    expect([money(0), money(5), money(-5), money(3500), money(123456789), money(-1999)]).toEqual([
      '0.00',
      '0.05',
      '-0.05',
      '35.00',
      '1234567.89',
      '-19.99'
    ])
  })
})

describe('a number range', () => {
  const refusal = (spec: { areaCode: string; from: string; to: string }): string => {
    try {
      checkRange(spec)
      return 'accepted'
    } catch (err) {
      return (err as Error).message
    }
  }

  it('is every number from one end to the other, in E.164', () => {
    const { country, numbers } = checkRange({
      areaCode: '604',
      from: '604-200-0998',
      to: '+1 (604) 200-1002'
    })
    expect(country).toBe('CA')
    expect(numbers).toEqual(['+16042000998', '+16042000999', '+16042001000', '+16042001001', '+16042001002'])
    expect(checkRange({ areaCode: '212', from: '2125550100', to: '2125550199' }).numbers).toHaveLength(100)
  })

  it('is refused when it leaves the area code, the exchange, the plan or the size', () => {
    expect(refusal({ areaCode: '212', from: '3125550100', to: '3125550101' })).toContain(
      'not in area code 212'
    )
    expect(refusal({ areaCode: '212', from: '2122000100', to: '2122010100' })).toContain(
      'within one exchange'
    )
    expect(refusal({ areaCode: '212', from: '2122000200', to: '2122000100' })).toContain(
      'ends before it starts'
    )
    expect(refusal({ areaCode: '212', from: '2122000000', to: '2122001000' })).toContain(
      `at most ${MAX_RANGE}`
    )
    expect(refusal({ areaCode: '212', from: '2121110100', to: '2121110101' })).toContain(
      'not a valid NANP number'
    )
    expect(refusal({ areaCode: '212', from: '2120110100', to: '2120110101' })).toContain(
      'not a valid NANP number'
    )
    expect(refusal({ areaCode: '876', from: '8762000100', to: '8762000101' })).toContain(
      'not a US or Canadian'
    )
    expect(refusal({ areaCode: '900', from: '9002000100', to: '9002000101' })).toContain(
      'not a US or Canadian'
    )
    expect(refusal({ areaCode: '212', from: '2125551212', to: '2125551213' })).toContain(
      'directory and service'
    )
    expect(refusal({ areaCode: '212', from: '2122000000', to: '2122000999' })).toBe('accepted')
  })
})
