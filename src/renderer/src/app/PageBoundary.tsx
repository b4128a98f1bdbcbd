/**
 * Around each page (pages load on first visit, pages.tsx): a page whose chunk cannot be loaded
 * (the server was updated under an open window, so the old chunk names are gone, or the connection
 * dropped mid-load) or that throws while rendering shows why and a reload, instead of taking the
 * whole window down with it. The navigation stays usable; AppLayout keys it by page, so going to
 * another page starts afresh.
 */
import { Component, type ReactNode } from 'react';
import { ErrorState } from '../components/StateViews';

export interface PageBoundaryProps {
  readonly children: ReactNode;
  /** What "Try again" does: reload the window (a new build's chunks come with the new index). */
  readonly onReload?: () => void;
}

interface PageBoundaryState {
  readonly error: Error | null;
}

export class PageBoundary extends Component<PageBoundaryProps, PageBoundaryState> {
  override state: PageBoundaryState = { error: null };

  static getDerivedStateFromError(error: unknown): PageBoundaryState {
    return { error: error instanceof Error ? error : new Error(String(error)) };
  }

  override render(): ReactNode {
    const { error } = this.state;
    if (!error) return this.props.children;
    const reload = this.props.onReload ?? (() => window.location.reload());
    return <ErrorState title="This page could not be shown" message={`${error.message} Reloading the window usually fixes it (the app may have been updated).`} onRetry={reload} />;
  }
}
