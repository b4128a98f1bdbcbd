/**
 * Admin-only REST routes to manage API tokens: list (never a hash), create (the secret is in
 * the answer, once), revoke. The same operations as `npm run token`, on the same file.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { roleSchema } from '../../../shared/contracts/access';
import { parseInput } from '../../runtime/validation';
import type { TokenRegistry } from './token-registry';

export const createTokenInputSchema = z.strictObject({ name: z.string(), role: roleSchema });
const tokenNameParamSchema = z.strictObject({ name: z.string() });

export function registerTokenRoutes(app: FastifyInstance, tokens: TokenRegistry): void {
  const admin = { config: { access: 'admin' as const } };
  app.get('/api/auth/tokens', admin, async () => ({ tokens: tokens.list() }));
  app.post('/api/auth/tokens', admin, async (request, reply) => {
    const { name, role } = parseInput(createTokenInputSchema, request.body, 'token');
    const { token, record } = tokens.create(name, role);
    request.log.info(`token "${name}" (${role}) created by ${request.caller?.name ?? '?'}`);
    return reply.code(201).send({ ...record, token });
  });
  app.post('/api/auth/tokens/:name/revoke', admin, async (request) => {
    const { name } = parseInput(tokenNameParamSchema, request.params, 'token name');
    return tokens.revoke(name);
  });
}
