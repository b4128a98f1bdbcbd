// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { WebSession } from '../../app/WebSession';
import { renderUi } from '../../testing/render';
import type { TokenStorage } from './token-storage';

function memoryStorage(initial: string | null = null): TokenStorage & { value: string | null } {
  const s = {
    value: initial,
    get: () => s.value,
    set: (t: string) => {
      s.value = t;
    },
    clear: () => {
      s.value = null;
    },
  };
  return s;
}

function answer(status: number, body: unknown) {
  return new Response(JSON.stringify(body), { status, headers: { 'content-type': 'application/json' } });
}

afterEach(() => {
  vi.unstubAllGlobals();
});

describe('web sign-in', () => {
  it('says a wrong token was refused (401 UNAUTHORIZED) and keeps nothing', async () => {
    const fetch = vi.fn(async () => answer(401, { error: { code: 'UNAUTHORIZED', message: 'The bearer token is not valid.' } }));
    vi.stubGlobal('fetch', fetch);
    const storage = memoryStorage();
    const user = userEvent.setup();
    renderUi(<WebSession storage={storage} />);
    await user.type(screen.getByLabelText(/API token/), 'not-the-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByText(/refused this token \(401 UNAUTHORIZED\)/)).toBeInTheDocument();
    expect(storage.value).toBeNull();
    const [, init] = fetch.mock.calls[0] as unknown as [string, RequestInit];
    expect((init.headers as Record<string, string>).authorization).toBe('Bearer not-the-token');
  });

  it('asks for a token before calling the server', async () => {
    const fetch = vi.fn();
    vi.stubGlobal('fetch', fetch);
    const user = userEvent.setup();
    renderUi(<WebSession storage={memoryStorage()} />);
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(screen.getByText('Enter the API token.')).toBeInTheDocument();
    expect(fetch).not.toHaveBeenCalled();
  });

  it('keeps a verified token for the session, shows who it is, and offers to sign out', async () => {
    vi.stubGlobal(
      'fetch',
      vi.fn(async (url: string) => {
        if (url.endsWith('/api/auth/session')) return answer(200, { name: 'grafana', role: 'read' });
        if (url.endsWith('/api/media/queue')) return answer(200, { paused: false, pausedCategories: [], limits: { cpu: 5, gpu_encode: 2, gpu_ai: 1 }, vramBudgetMb: null });
        if (url.includes('/api/media/jobs?')) return answer(200, { data: [], pagination: { page: 1, limit: 25, total: 0, totalPages: 1 } });
        if (url.endsWith('/api/media/jobs/stats')) return answer(200, { pending: 0, queued: 0, running: 0, completed: 0, failed: 0, cancelled: 0, paused: 0, totalVramUsed: 0, totalVramAvailable: null, averageProcessingTime: 0, jobsByType: {}, runningByCategory: {} });
        // the event ticket: let the stream wait
        return new Promise<Response>(() => {});
      }),
    );
    const storage = memoryStorage();
    const user = userEvent.setup();
    renderUi(<WebSession storage={storage} />);
    await user.type(screen.getByLabelText(/API token/), 'good-token');
    await user.click(screen.getByRole('button', { name: 'Sign in' }));
    expect(await screen.findByRole('heading', { name: 'Dashboard' })).toBeInTheDocument();
    expect(storage.value).toBe('good-token');
    // the session read its caller once: a read token sees, and cannot act
    expect(await screen.findByText(/grafana · read/)).toBeInTheDocument();
    for (const create of screen.getAllByRole('button', { name: 'Create job' })) expect(create).toHaveAttribute('aria-disabled', 'true');
    await user.click(screen.getByRole('button', { name: 'Sign out' }));
    expect(await screen.findByRole('button', { name: 'Sign in' })).toBeInTheDocument();
    expect(storage.value).toBeNull();
  });
});
