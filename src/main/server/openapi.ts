/**
 * The OpenAPI 3.1 document, generated from the operations table (the same zod schemas the routes
 * validate with) plus the few routes that are not operations.
 */
import { z } from 'zod';
import { OPERATIONS, OPERATION_NAMES } from '../../shared/contracts/operations';

type JsonSchema = Record<string, unknown>;

const errorSchema: JsonSchema = {
  type: 'object',
  required: ['error'],
  properties: { error: { type: 'object', required: ['code', 'message'], properties: { code: { type: 'string' }, message: { type: 'string' }, details: {} } } },
};

function toOpenApiPath(path: string): string {
  return path.replace(/:([A-Za-z]+)/g, '{$1}');
}

function pathParams(path: string): string[] {
  return [...path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]!);
}

function schemaOf(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const json = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  delete json.$schema;
  return json;
}

const errorResponses = {
  '400': { description: 'Invalid input', content: { 'application/json': { schema: errorSchema } } },
  '401': { description: 'Missing or wrong bearer token', content: { 'application/json': { schema: errorSchema } } },
  '404': { description: 'Unknown id', content: { 'application/json': { schema: errorSchema } } },
  '409': { description: 'The lifecycle refuses this transition', content: { 'application/json': { schema: errorSchema } } },
};

/** Routes served besides the operations, documented by hand. */
export const EXTRA_ROUTES: ReadonlyArray<{ method: 'get' | 'post'; path: string; summary: string; auth: boolean; contentType: string }> = [
  { method: 'get', path: '/api/health', summary: 'Health, versions and tools (no auth)', auth: false, contentType: 'application/json' },
  { method: 'get', path: '/api/openapi.json', summary: 'This document (no auth)', auth: false, contentType: 'application/json' },
  { method: 'get', path: '/api/media/events', summary: 'Server-sent events (bearer header, or ?ticket= from POST /api/media/events/ticket); resumable with Last-Event-ID', auth: true, contentType: 'text/event-stream' },
  { method: 'post', path: '/api/media/events/ticket', summary: 'Trade the bearer token for a one-time, 60-second ticket to open the event stream from a browser', auth: true, contentType: 'application/json' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics (bearer auth)', auth: true, contentType: 'text/plain' },
];

export function buildOpenApiDocument(version: string): JsonSchema {
  const paths: Record<string, Record<string, unknown>> = {};
  for (const name of OPERATION_NAMES) {
    const def = OPERATIONS[name];
    const params = pathParams(def.path);
    const input = schemaOf(def.input, 'input');
    const props = (input.properties ?? {}) as Record<string, JsonSchema>;
    const required = new Set((input.required as string[] | undefined) ?? []);
    const parameters = params.map((p) => ({ name: p, in: 'path', required: true, schema: props[p] ?? { type: 'string' } }));
    const operation: Record<string, unknown> = {
      operationId: name,
      summary: def.summary,
      security: [{ bearer: [] }],
      responses: {
        [name === 'createJob' ? '201' : '200']: { description: 'OK', content: { 'application/json': { schema: schemaOf(def.output, 'output') } } },
        ...errorResponses,
      },
    };
    const rest = Object.entries(props).filter(([k]) => !params.includes(k));
    if (def.method === 'GET') {
      parameters.push(...rest.map(([k, schema]) => ({ name: k, in: 'query', required: required.has(k), schema })));
    } else if (rest.length > 0) {
      operation.requestBody = {
        required: rest.some(([k]) => required.has(k)),
        content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: Object.fromEntries(rest), required: rest.map(([k]) => k).filter((k) => required.has(k)) } } },
      };
    }
    operation.parameters = parameters;
    (paths[toOpenApiPath(def.path)] ??= {})[def.method.toLowerCase()] = operation;
  }
  for (const r of EXTRA_ROUTES) {
    (paths[r.path] ??= {})[r.method] = {
      summary: r.summary,
      ...(r.auth ? { security: [{ bearer: [] }] } : { security: [] }),
      responses: { '200': { description: 'OK', content: { [r.contentType]: {} } } },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Media Job Control API', version, description: 'Resource-aware media job queue. Every /api/media path and /metrics need `Authorization: Bearer <token>` with the SUPER_ADMIN role.' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
