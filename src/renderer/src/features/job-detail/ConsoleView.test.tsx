// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { renderUi } from '../../testing/render';
import { feedOf } from '../../stores/job-detail-store';
import { ConsoleView, feedTerminal } from './ConsoleView';

describe('ConsoleView', () => {
  it('writes a feed incrementally, and starts over on a new generation', () => {
    const term = { reset: vi.fn(), write: vi.fn() };
    const seen = { generation: -1, written: 0 };
    const feed = feedOf('Input #0\r\n', ['frame=1\r']);
    feedTerminal(term, feed, seen);
    feedTerminal(term, { ...feed, chunks: [...feed.chunks, 'frame=2\r'] }, seen);
    expect(term.write.mock.calls.map((c) => c[0])).toEqual(['Input #0\r\n', 'frame=1\r', 'frame=2\r']);
    expect(term.reset).toHaveBeenCalledTimes(1);
    feedTerminal(term, feedOf('fresh'), seen);
    expect(term.reset).toHaveBeenCalledTimes(2);
    expect(term.write.mock.calls.at(-1)![0]).toBe('fresh');
  });

  it('shows the console in a terminal, or says why not', () => {
    renderUi(<ConsoleView console={{ feed: feedOf('Input #0\r\n'), running: true, loading: false, error: null }} />);
    expect(screen.getByRole('log', { name: 'Live console' })).toBeInTheDocument();
    expect(screen.getByText('Live output of the running tool')).toBeInTheDocument();
  });

  it('says when the console could not be read', () => {
    renderUi(<ConsoleView console={{ feed: null, running: false, loading: false, error: 'gone' }} />);
    expect(screen.getByRole('alert')).toHaveTextContent('gone');
  });
});
