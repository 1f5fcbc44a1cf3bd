/**
 * A refusal in the setup wizard, worded: Field.tsx's FormError with the words it needs, fetched only when there is
 * one (the wizard is the first page of a new start, and carries no form code until a form is shown).
 */
import { lazy, Suspense } from 'react'
import type { DialtoneError } from '../../../../shared/ipc/errors'

const FormError = lazy(() => import('../Field').then((m) => ({ default: m.FormError })))

export function Refusal({
  error,
  testId
}: {
  error: DialtoneError | undefined
  testId: string
}): React.JSX.Element | null {
  if (!error) return null
  return (
    <Suspense fallback={null}>
      <FormError error={error} testId={testId} />
    </Suspense>
  )
}
