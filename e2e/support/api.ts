/**
 * A small REST client for the e2e suite: sets up data the UI then shows (jobs created through
 * POST /api/media/jobs, as any other program would) and checks what the server really did.
 */
import type { Job, JobDetail } from '../../src/shared/contracts/job';
import type { Video } from '../../src/shared/contracts/video';
import type { JobStatus } from '../../src/shared/domain/statuses';
import { waitFor } from './wait';

export interface Page<T> {
  readonly data: T[];
  readonly pagination: { page: number; limit: number; total: number; totalPages: number };
}

export class RestApi {
  constructor(
    readonly baseUrl: string,
    readonly token: string,
  ) {}

  async request<T>(method: 'GET' | 'POST', path: string, body?: unknown): Promise<T> {
    const response = await fetch(new URL(path, this.baseUrl), {
      method,
      headers: { Authorization: `Bearer ${this.token}`, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      ...(body === undefined ? {} : { body: JSON.stringify(body) }),
      signal: AbortSignal.timeout(30_000),
    });
    const text = await response.text();
    if (!response.ok) throw new Error(`${method} ${path} → ${response.status}: ${text}`);
    return JSON.parse(text) as T;
  }

  createJob(type: string, params: Record<string, unknown>, extra: { priority?: number; maxRetries?: number } = {}): Promise<Job> {
    return this.request<Job>('POST', '/api/media/jobs', { type, params, priority: extra.priority ?? 5, ...(extra.maxRetries === undefined ? {} : { maxRetries: extra.maxRetries }) });
  }

  /** A new named API token (admin only: POST /api/auth/tokens); the secret is in the answer, once. */
  async createToken(name: string, role: 'read' | 'operate' | 'admin'): Promise<string> {
    const created = await this.request<{ token: string; name: string; role: string }>('POST', '/api/auth/tokens', { name, role });
    return created.token;
  }

  /** Scans the inbox and waits for the scan to finish (the clips are then library videos). */
  async scanInbox(): Promise<void> {
    const scan = await this.createJob('scan', { directoryType: 'inbox' });
    await this.waitForStatus(scan.id, ['completed']);
  }

  cancelJob(id: string): Promise<unknown> {
    return this.request('POST', `/api/media/jobs/${id}/cancel`, {});
  }

  pauseQueue(): Promise<unknown> {
    return this.request('POST', '/api/media/queue/pause', {});
  }

  resumeQueue(): Promise<unknown> {
    return this.request('POST', '/api/media/queue/resume', {});
  }

  getJob(id: string): Promise<JobDetail> {
    return this.request<JobDetail>('GET', `/api/media/jobs/${id}`);
  }

  listJobs(query: Record<string, string | number> = {}): Promise<Page<Job>> {
    return this.request<Page<Job>>('GET', `/api/media/jobs?${queryString(query)}`);
  }

  listVideos(query: Record<string, string | number> = {}): Promise<Page<Video>> {
    return this.request<Page<Video>>('GET', `/api/media/videos?${queryString(query)}`);
  }

  getVideo(id: string): Promise<Video> {
    return this.request<Video>('GET', `/api/media/videos/${id}`);
  }

  async videoByFilename(filename: string): Promise<Video> {
    const found = await this.listVideos({ search: filename, limit: 50 });
    const video = found.data.find((v) => v.filename === filename);
    if (!video) throw new Error(`no library video named ${filename}`);
    return video;
  }

  /** Polls the job until its status is one of `statuses`; fails at once on an unexpected final state. */
  waitForStatus(id: string, statuses: readonly JobStatus[], timeoutMs = 90_000): Promise<JobDetail> {
    return waitFor(
      `job ${id} to be ${statuses.join(' or ')}`,
      async () => {
        const job = await this.getJob(id);
        if (statuses.includes(job.status)) return job;
        const final = job.status === 'completed' || job.status === 'failed' || job.status === 'cancelled';
        if (final) throw new FinalStateError(`job ${id} (${job.type}) ended ${job.status}${job.lastError ? `: ${job.lastError}` : ''}, not ${statuses.join('/')}`);
        return null;
      },
      { timeoutMs, intervalMs: 250, stopOn: (e) => e instanceof FinalStateError },
    );
  }
}

class FinalStateError extends Error {}

function queryString(query: Record<string, string | number>): string {
  return new URLSearchParams(Object.entries(query).map(([k, v]): [string, string] => [k, String(v)])).toString();
}
