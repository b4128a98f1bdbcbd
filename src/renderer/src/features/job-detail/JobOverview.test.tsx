// @vitest-environment jsdom
import '../../testing/setup';
import { screen } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { makeJob } from '../../testing/fake-client';
import { renderUi } from '../../testing/render';
import { JobOverview } from './JobOverview';

describe('JobOverview', () => {
  it('says who created the job, next to when', () => {
    renderUi(<JobOverview job={{ ...makeJob({ createdBy: 'grafana' }), log: '' }} />);
    expect(screen.getByText('Created by grafana')).toBeInTheDocument();
    // in the "Created" fact, under the time
    expect(screen.getByText('Created', { exact: true }).parentElement).toHaveTextContent(/^Created.+Created by grafana$/);
  });

  it('says nothing of a creator the job does not record (made before tokens had names)', () => {
    renderUi(<JobOverview job={{ ...makeJob({ createdBy: null }), log: '' }} />);
    expect(screen.getByText('Created')).toBeInTheDocument();
    expect(screen.queryByText(/Created by/)).not.toBeInTheDocument();
  });
});
