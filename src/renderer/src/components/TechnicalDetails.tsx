/**
 * A sentence written for support (main's or the OS's English), folded away under "Technical details (English)":
 * the person reads the app's own words above it and can open this to copy the detail into a ticket. Never the
 * only thing a person is told.
 */
import { useTranslation } from 'react-i18next'

export function TechnicalDetails({ text, testId }: { text: string; testId?: string }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <details className="tech-details">
      <summary>{t('setup.details')}</summary>
      <p lang="en" dir="ltr" data-testid={testId}>
        {text}
      </p>
    </details>
  )
}
