/**
 * Which video each output on the page was made from: a video with a `sourceJobId` (a re-encode, a
 * transcode copy, a compilation) was made by that job, whose input is its source. The jobs are read
 * once each (getJob) and remembered for the session of the page.
 */
import { useEffect, useState } from 'react';
import type { Video } from '../../../../shared/contracts/video';
import { useStores } from '../../stores/stores-context';

export interface OutputSource {
  readonly videoId: string | null;
  readonly title: string;
  readonly jobId: string;
  readonly jobType: string;
}

export function useOutputSources(videos: readonly Video[]): ReadonlyMap<string, OutputSource> {
  const { client } = useStores();
  const [byJob, setByJob] = useState<ReadonlyMap<string, OutputSource | null>>(new Map());
  const wanted = [...new Set(videos.map((v) => v.sourceJobId).filter((id): id is string => id !== null))].filter((id) => !byJob.has(id));
  const key = wanted.join(',');

  useEffect(() => {
    if (key === '') return;
    let current = true;
    void Promise.all(
      key.split(',').map(async (jobId) => {
        try {
          const job = await client.call('getJob', { id: jobId });
          const videoId = job.input?.videoId ?? (typeof job.params.videoId === 'string' ? job.params.videoId : null);
          return [jobId, { videoId, title: job.input?.title || job.input?.path || (videoId ?? 'another video'), jobId, jobType: job.type }] as const;
        } catch {
          return [jobId, null] as const; // removed by retention, or not readable: the row stays plain
        }
      }),
    ).then((found) => {
      if (current) setByJob((before) => new Map([...before, ...found]));
    });
    return () => {
      current = false;
    };
  }, [client, key]);

  const out = new Map<string, OutputSource>();
  for (const v of videos) {
    const source = v.sourceJobId ? byJob.get(v.sourceJobId) : null;
    if (source) out.set(v.id, source);
  }
  return out;
}
