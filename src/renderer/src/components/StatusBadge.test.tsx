// @vitest-environment jsdom
import '../testing/setup';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import type { JobStatus } from '../../../shared/domain/statuses';
import { renderUi } from '../testing/render';
import { JobProgress } from './JobProgress';
import { PriorityTag } from './PriorityTag';
import { StatusBadge } from './StatusBadge';

/** The spec's colours: pending grey, queued blue, running yellow, completed green, failed red. */
const SPEC_COLORS: ReadonlyArray<[JobStatus, string, string]> = [
  ['pending', 'gray', 'Pending'],
  ['queued', 'blue', 'Queued'],
  ['running', 'yellow', 'Running'],
  ['completed', 'green', 'Completed'],
  ['failed', 'red', 'Failed'],
];

describe('StatusBadge', () => {
  it.each(SPEC_COLORS)('shows %s in %s', (status, color, label) => {
    renderUi(<StatusBadge status={status} />);
    const badge = screen.getByLabelText(`Status: ${label}`);
    expect(badge).toHaveTextContent(label);
    // Mantine paints a filled badge from the colour's CSS variable
    expect(badge.getAttribute('style')).toContain(`--badge-bg: var(--mantine-color-${color}-filled)`);
  });

  it('says CANCELLING for a running job being cancelled (still running underneath)', () => {
    renderUi(<StatusBadge status="running" cancelling />);
    const badge = screen.getByLabelText('Status: Cancelling');
    expect(badge).toHaveTextContent('Cancelling');
    expect(badge).toHaveAttribute('data-status', 'running');
    expect(badge).toHaveAttribute('data-cancelling', 'true');
    expect(badge).toHaveAttribute('data-variant', 'light');
  });

  it('greys out paused jobs (outline)', () => {
    renderUi(<StatusBadge status="paused" />);
    const badge = screen.getByLabelText('Status: Paused');
    expect(badge).toHaveAttribute('data-variant', 'outline');
    expect(badge.getAttribute('style')).toContain('--mantine-color-gray');
  });

  it('shows a suspended job as suspended: the running colour, outlined (its process is stopped)', () => {
    renderUi(<StatusBadge status="suspended" />);
    const badge = screen.getByLabelText('Status: Suspended');
    expect(badge).toHaveTextContent('Suspended');
    expect(badge).toHaveAttribute('data-status', 'suspended');
    expect(badge).toHaveAttribute('data-variant', 'outline');
    expect(badge).toHaveAttribute('data-color', 'yellow');
  });
});

describe('PriorityTag', () => {
  it.each([
    [1, 'red'],
    [3, 'red'],
    [4, 'orange'],
    [6, 'orange'],
    [7, 'default'],
    [10, 'default'],
  ])('priority %i is %s', (priority, color) => {
    renderUi(<PriorityTag priority={priority} />);
    const tag = screen.getByLabelText(`Priority ${priority}`);
    expect(tag).toHaveAttribute('data-color', color);
    if (color !== 'default') expect(tag.getAttribute('style')).toContain(`--mantine-color-${color}`);
  });
});

describe('JobProgress', () => {
  const section = () => document.querySelector('.mantine-Progress-section') as HTMLElement;

  it('is striped and animated while running', () => {
    renderUi(<JobProgress status="running" progress={42} />);
    expect(screen.getByText('42%')).toBeInTheDocument();
    expect(section()).toHaveAttribute('data-striped');
    expect(section()).toHaveAttribute('data-animated');
    expect(section().getAttribute('style')).toContain('--mantine-color-yellow');
  });

  it('is full and green when completed, red when failed, never animated then', () => {
    renderUi(<JobProgress status="completed" progress={99} />);
    expect(screen.getByText('100%')).toBeInTheDocument();
    expect(section().getAttribute('style')).toContain('--mantine-color-green');
    expect(section()).not.toHaveAttribute('data-animated');
  });

  it('is red when failed', () => {
    renderUi(<JobProgress status="failed" progress={30} />);
    expect(section().getAttribute('style')).toContain('--mantine-color-red');
  });
});
