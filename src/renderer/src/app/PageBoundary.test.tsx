// @vitest-environment jsdom
import '../testing/setup';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { lazy, Suspense } from 'react';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { renderUi } from '../testing/render';
import { PageBoundary } from './PageBoundary';

describe('PageBoundary', () => {
  // React logs what a boundary caught; the test says what it expects instead
  beforeEach(() => void vi.spyOn(console, 'error').mockImplementation(() => {}));
  afterEach(() => vi.restoreAllMocks());

  it('shows a page chunk that cannot be loaded as an error with a reload, not a blank window', async () => {
    const Missing = lazy(() => Promise.reject(new Error('Failed to fetch dynamically imported module: ./assets/SystemPage-old.js.')));
    const onReload = vi.fn();
    renderUi(
      <PageBoundary onReload={onReload}>
        <Suspense fallback={<p>Loading the page…</p>}>
          <Missing />
        </Suspense>
      </PageBoundary>,
    );
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('This page could not be shown');
    expect(alert).toHaveTextContent('Failed to fetch dynamically imported module');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Try again' }));
    expect(onReload).toHaveBeenCalledOnce();
  });

  it('shows a loaded page as it is, and one that throws while rendering as an error', async () => {
    const Page = lazy(() => Promise.resolve({ default: () => <h2>System</h2> }));
    const { unmount } = renderUi(
      <PageBoundary>
        <Suspense fallback={<p>Loading the page…</p>}>
          <Page />
        </Suspense>
      </PageBoundary>,
    );
    expect(await screen.findByRole('heading', { name: 'System' })).toBeInTheDocument();
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    unmount();
    const Broken = () => {
      throw new Error('Cannot read properties of undefined.');
    };
    renderUi(
      <PageBoundary>
        <Broken />
      </PageBoundary>,
    );
    expect(screen.getByRole('alert')).toHaveTextContent('Cannot read properties of undefined.');
  });
});
