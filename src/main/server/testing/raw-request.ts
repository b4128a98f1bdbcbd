/**
 * One HTTP request sent exactly as written: the path is not normalised (percent-encoding, case,
 * doubled slashes stay), and the Host header can be anything or absent. fetch() cannot do either.
 */
import { request } from 'node:http';

export interface RawRequest {
  readonly method: string;
  readonly path: string;
  readonly headers?: Record<string, string>;
  /** Host header to send; null sends none; undefined sends the server's own. */
  readonly host?: string | null;
  readonly body?: string;
}

export interface RawResponse {
  readonly status: number;
  readonly headers: Record<string, string | string[] | undefined>;
  /** Parsed JSON when the body is JSON, else the text (an event stream is cut after its headers). */
  readonly body: any; // eslint-disable-line @typescript-eslint/no-explicit-any
}

export function rawRequest(baseUrl: string, r: RawRequest): Promise<RawResponse> {
  const url = new URL(baseUrl);
  return new Promise((resolve, reject) => {
    const headers: Record<string, string> = { ...(r.headers ?? {}) };
    if (r.host !== undefined && r.host !== null) headers.host = r.host;
    if (r.body !== undefined) headers['content-length'] = String(Buffer.byteLength(r.body));
    const req = request({ host: url.hostname, port: url.port, method: r.method, path: r.path, headers, setHost: r.host === undefined, timeout: 10_000 }, (res) => {
      const status = res.statusCode ?? 0;
      if (String(res.headers['content-type'] ?? '').startsWith('text/event-stream')) {
        res.destroy(); // a live stream never ends: its status and headers are the answer
        resolve({ status, headers: res.headers, body: '' });
        return;
      }
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        let body: unknown = text;
        try {
          body = JSON.parse(text);
        } catch {
          // not JSON
        }
        resolve({ status, headers: res.headers, body });
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error(`${r.method} ${r.path} timed out`)));
    req.on('error', reject);
    req.end(r.body);
  });
}
