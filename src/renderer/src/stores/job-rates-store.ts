/**
 * How fast each running job goes: ffmpeg's frame rate, speed and output time, parsed from the
 * live console events (`job.console`) as they arrive, for the dashboard tiles and the jobs table.
 * Jobs that stop running are forgotten. The console is not relayed between fleet nodes, so a job
 * running on another node has no entry here (its ETA then comes from its progress alone).
 */
import { createStore, type StoreApi } from 'zustand/vanilla';
import type { MediaEvent } from '../../../shared/contracts/events';
import { isLiveStatus } from '../../../shared/domain/statuses';
import { parseFfmpegStatus, type FfmpegStatus } from '../lib/ffmpeg-status';

export interface JobRatesState {
  readonly rates: Readonly<Record<string, FfmpegStatus>>;
  applyEvents(events: readonly MediaEvent[]): void;
}

export type JobRatesStore = StoreApi<JobRatesState>;

export function createJobRatesStore(): JobRatesStore {
  return createStore<JobRatesState>()((set, get) => ({
    rates: {},
    applyEvents(events) {
      let rates: Record<string, FfmpegStatus> | null = null;
      const next = () => (rates ??= { ...get().rates });
      for (const event of events) {
        if (event.type === 'job.console') {
          const status = parseFfmpegStatus(event.text);
          if (status) next()[event.jobId] = status;
        } else if (event.type === 'job.updated' && !isLiveStatus(event.job.status) && event.job.id in (rates ?? get().rates)) {
          delete next()[event.job.id];
        }
      }
      if (rates !== null) set({ rates });
    },
  }));
}
