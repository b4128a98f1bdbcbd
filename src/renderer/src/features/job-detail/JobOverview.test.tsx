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

  it('names the input and outputs, each a link to its library row, and the job it came after', () => {
    const job = makeJob({
      status: 'completed',
      parentJobId: '99999999-9999-4999-8999-999999999999',
      pipelineRunId: 'run-1',
      input: { videoId: 'v1', title: 'Sunrise Beach', path: 'inbox/sunrise-beach.mp4', durationSeconds: 3 },
      outputs: [{ videoId: 'v2', title: 'sunrise-beach', path: 'playback/sunrise-beach.mp4', durationSeconds: 3 }],
    });
    renderUi(<JobOverview job={{ ...job, log: '' }} />);
    expect(screen.getByRole('link', { name: 'Sunrise Beach' })).toHaveAttribute('href', '#/library?q=sunrise-beach.mp4');
    expect(screen.getByRole('link', { name: 'sunrise-beach' })).toHaveAttribute('href', '#/library?q=sunrise-beach.mp4');
    expect(screen.getByText('playback/sunrise-beach.mp4')).toBeInTheDocument();
    expect(screen.getByRole('link', { name: '99999999' })).toHaveAttribute('href', '#/jobs/99999999-9999-4999-8999-999999999999');
    expect(screen.getByText('run-1')).toBeInTheDocument();
  });
});
