/** The error mapping through a real Fastify instance: an unreachable database is a 503 with Retry-After, not a 500. */
import Fastify from 'fastify';
import { afterEach, describe, expect, it } from 'vitest';
import { errorHandler } from './http-errors';

describe('errorHandler', () => {
  const app = Fastify({ logger: false });
  afterEach(async () => app.close());

  it('answers a lost or refused database connection with 503 DATABASE_UNAVAILABLE and Retry-After, anything else unknown with 500', async () => {
    const failures: Record<string, () => Error> = {
      refused: () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:5432'), { code: 'ECONNREFUSED' }),
      'admin shutdown': () => Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
      'starting up': () => Object.assign(new Error('the database system is starting up'), { code: '57P03' }),
      'connect timeout': () => new Error('Connection terminated due to connection timeout'),
      other: () => new Error('a bug'),
    };
    app.setErrorHandler(errorHandler);
    app.get('/fail/:kind', async (request) => {
      throw failures[(request.params as { kind: string }).kind]!();
    });
    for (const kind of ['refused', 'admin shutdown', 'starting up', 'connect timeout']) {
      const res = await app.inject({ method: 'GET', url: `/fail/${encodeURIComponent(kind)}` });
      expect(res.statusCode, kind).toBe(503);
      expect(res.headers['retry-after'], kind).toBe('5');
      expect(res.json().error, kind).toMatchObject({ code: 'DATABASE_UNAVAILABLE', message: expect.stringContaining('database cannot be reached') });
    }
    const bug = await app.inject({ method: 'GET', url: '/fail/other' });
    expect(bug.statusCode).toBe(500);
    expect(bug.headers['retry-after']).toBeUndefined();
    expect(bug.json().error).toEqual({ code: 'INTERNAL', message: 'Something went wrong on the server; it has been logged.' });
  });
});
