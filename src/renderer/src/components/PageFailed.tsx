/**
 * What a page shows when it cannot be shown: its code did not load (the app was updated while the window stayed
 * open, a file went missing) or it failed while drawing. Without this React takes the whole window down and the
 * person sees nothing at all; with it the navigation and status bar stay, the page says so in the person's words,
 * offers to reload and the way to support, and keeps the error's English folded away for a ticket. Another page
 * opens normally (App.tsx gives each page its own boundary). It keeps the page's name as its <h1>, so a
 * screen-reader user jumping to the page's heading finds where they are and, under it, what went wrong.
 */
import { Component, type ErrorInfo, type ReactNode } from 'react'
import { useTranslation } from 'react-i18next'
import { logFailure } from '../log'
import { SUPPORT } from '../remedies'
import { TechnicalDetails } from './TechnicalDetails'

export class PageBoundary extends Component<
  { children: ReactNode; place: string; title: string },
  { error: unknown }
> {
  override state: { error: unknown } = { error: null }

  static getDerivedStateFromError(error: unknown): { error: unknown } {
    return { error }
  }

  /** Another place in the same page (an Account tab) tries again: the failure belonged to the place left. */
  override componentDidUpdate(previous: { place: string }): void {
    if (previous.place !== this.props.place && this.state.error !== null) this.setState({ error: null })
  }

  override componentDidCatch(error: unknown, info: ErrorInfo): void {
    logFailure(
      `showing the page${info.componentStack ? ` (${info.componentStack.trim().split('\n')[0]})` : ''}`
    )(error)
  }

  override render(): ReactNode {
    return this.state.error === null ? (
      this.props.children
    ) : (
      <PageFailed error={this.state.error} title={this.props.title} />
    )
  }
}

function PageFailed({ error, title }: { error: unknown; title: string }): React.JSX.Element {
  const { t } = useTranslation()
  return (
    <div data-testid="page-failed">
      <header className="page-head">
        <h1>{title}</h1>
      </header>
      <p className="banner error" role="alert">
        {t('errors.pageFailed')}
      </p>
      <p className="actions">
        <button type="button" onClick={() => window.location.reload()} data-testid="page-reload">
          {t('errors.reload')}
        </button>{' '}
        <a href={SUPPORT.href}>{t(SUPPORT.label)}</a>
      </p>
      <TechnicalDetails text={error instanceof Error ? `${error.name}: ${error.message}` : String(error)} />
    </div>
  )
}
