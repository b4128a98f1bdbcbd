/**
 * The server's live event stream, read by the test itself (bearer header, as any script would):
 * how many times ffmpeg redrew its status line (`\r` in `job.console` events) per job.
 */
export interface StatusUpdates {
  count(jobId: string): number;
  close(): void;
}

export function consoleStatusUpdates(baseUrl: string, token: string): StatusUpdates {
  const counts = new Map<string, number>();
  const controller = new AbortController();
  void (async () => {
    try {
      const response = await fetch(new URL('/api/media/events', baseUrl), { headers: { Authorization: `Bearer ${token}`, Accept: 'text/event-stream' }, signal: controller.signal });
      const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
      let pending = '';
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        pending += value;
        const frames = pending.split('\n\n');
        pending = frames.pop() ?? '';
        for (const frame of frames) {
          if (!/^event: job\.console$/m.test(frame)) continue;
          const data = /^data: (.*)$/m.exec(frame)?.[1];
          if (!data) continue;
          const event = JSON.parse(data) as { jobId: string; text: string };
          counts.set(event.jobId, (counts.get(event.jobId) ?? 0) + (event.text.split('\r').length - 1));
        }
      }
    } catch {
      // closed
    }
  })();
  return { count: (jobId) => counts.get(jobId) ?? 0, close: () => controller.abort() };
}
