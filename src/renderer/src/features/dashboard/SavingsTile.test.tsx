// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import type { Savings } from '../../../../shared/contracts/transcode';
import { renderUi } from '../../testing/render';
import { recentSavings, SavingsTile } from './SavingsTile';

const MB = 1024 * 1024;
const NOW = Date.parse('2026-03-31T12:00:00Z');
const totals = (bytesSaved: number) => ({ bytesSaved, grossBytesSaved: bytesSaved, filesReplaced: 1, outcomes: { replaced: 1, copied: 0, kept_original: 0, skipped: 0, failed: 0, restored: 0 } });
const SAVINGS: Savings = {
  groupBy: 'day',
  total: { ...totals(100 * MB), filesReplaced: 4 },
  groups: [
    // 31 days before: outside the 30-day window
    { key: '2026-02-28', ...totals(60 * MB) },
    { key: '2026-03-02', ...totals(25 * MB) },
    { key: '2026-03-30', ...totals(10 * MB) },
    { key: '2026-03-31', ...totals(5 * MB) },
  ],
};

describe('SavingsTile', () => {
  it('sums today (UTC) and the 30 days ending today from the day groups', () => {
    expect(recentSavings(SAVINGS, NOW)).toEqual({ today: 5 * MB, last30Days: 40 * MB });
    expect(recentSavings({ ...SAVINGS, groupBy: 'codec' }, NOW)).toEqual({ today: 0, last30Days: 0 });
  });

  it('shows the total and the recent savings, and links to the Savings page', async () => {
    const onShowSavings = vi.fn();
    renderUi(<SavingsTile savings={SAVINGS} now={NOW} onShowSavings={onShowSavings} />);
    expect(screen.getByLabelText('Total saved')).toHaveTextContent('100 MB');
    expect(screen.getByLabelText('Saved recently')).toHaveTextContent('today (UTC) 5.0 MB · last 30 days 40 MB · 4 files replaced');
    await userEvent.setup().click(screen.getByRole('button', { name: 'Savings page' }));
    expect(onShowSavings).toHaveBeenCalledOnce();
  });

  it('says when the ledger has not been read', () => {
    renderUi(<SavingsTile savings={null} now={NOW} />);
    expect(screen.getByText('Nothing read from the savings ledger yet.')).toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Savings page' })).not.toBeInTheDocument();
  });
});
