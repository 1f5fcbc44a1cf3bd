/** A telephone keypad (ITU-T E.161 layout), left to right in every language; each press goes to onPress. */
import type { PhoneKey } from '../../../shared/telephony/hid-usages'

export const KEYPAD: readonly PhoneKey[] = ['1', '2', '3', '4', '5', '6', '7', '8', '9', '*', '0', '#']

const testName = (key: PhoneKey): string => (key === '*' ? 'star' : key === '#' ? 'pound' : key)

export function Keypad({
  testIdPrefix,
  onPress
}: {
  testIdPrefix: string
  onPress: (key: PhoneKey) => void
}): React.JSX.Element {
  return (
    <div className="keypad" dir="ltr">
      {KEYPAD.map((key) => (
        <button
          key={key}
          type="button"
          data-testid={`${testIdPrefix}-${testName(key)}`}
          onClick={() => onPress(key)}
        >
          {key}
        </button>
      ))}
    </div>
  )
}
