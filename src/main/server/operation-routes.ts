/**
 * REST routes generated from the operations table: one route per operation, its input merged from
 * path parameters, query string and JSON body, then validated and executed by the runtime.
 */
import type { FastifyInstance } from 'fastify';
import { AppError } from '../../shared/contracts/errors';
import { OPERATIONS, OPERATION_NAMES } from '../../shared/contracts/operations';
import type { Runtime } from '../runtime/create-runtime';

export function registerOperationRoutes(app: FastifyInstance, runtime: Runtime): void {
  for (const name of OPERATION_NAMES) {
    const def = OPERATIONS[name];
    app.route({
      method: def.method,
      url: def.path,
      config: { access: def.access },
      handler: async (request, reply) => {
        const body = request.body;
        if (body !== undefined && body !== null && (typeof body !== 'object' || Array.isArray(body))) {
          throw new AppError('VALIDATION_FAILED', 'The body must be a JSON object.');
        }
        const input = { ...(request.query as object), ...(body as object | undefined), ...(request.params as object) };
        // every operation needs a role, so access control has named the caller by now
        if (!request.caller) throw new AppError('UNAUTHORIZED', 'Send Authorization: Bearer <token>.');
        const output = await runtime.execute(name, input, request.caller);
        return reply.code(def.creates ? 201 : 200).send(output);
      },
    });
  }
}
