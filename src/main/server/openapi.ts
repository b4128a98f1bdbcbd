/**
 * The OpenAPI 3.1 document, generated from the operations table (the same zod schemas the routes
 * validate with) plus the few routes that are not operations.
 */
import { z } from 'zod';
import type { Access } from '../../shared/contracts/access';
import { OPERATIONS, OPERATION_NAMES } from '../../shared/contracts/operations';
import { gpuRequestSchema } from '../../shared/domain/gpu-request';
import { isSegmentChild, JOB_TYPE_CATALOG, JOB_TYPES } from '../../shared/domain/job-types';
import { BATCH_VALUES } from './events-route';
import { createTokenInputSchema } from './tokens/token-routes';

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
  '403': { description: "The token's role is below the one this route needs (details.requiredRole)", content: { 'application/json': { schema: errorSchema } } },
  '421': { description: 'The Host header is not one this server answers for (MEDIA_ALLOWED_HOSTS)', content: { 'application/json': { schema: errorSchema } } },
  '404': { description: 'Unknown id', content: { 'application/json': { schema: errorSchema } } },
  '503': { description: 'The database cannot be reached right now (DATABASE_UNAVAILABLE): try again after Retry-After seconds', content: { 'application/json': { schema: errorSchema } } },
  '409': { description: 'The lifecycle refuses this transition, a name is taken (NAME_TAKEN), an update carried a stale version or a settings row kept changing under a save (VERSION_CONFLICT), a transcode with these settings was already applied to this content (ALREADY_PROCESSED; `force: true` overrides), or a manual action (cancel, pause, resume, retry, priority) named a part of a segmented encode (PART_OF_SEGMENTED_JOB: act on its parent job)', content: { 'application/json': { schema: errorSchema } } },
};

export interface ExtraRoute {
  readonly method: 'get' | 'post';
  readonly path: string;
  readonly summary: string;
  /** The access the server declares for it (a test keeps the two equal). */
  readonly access: Access;
  readonly contentType: string;
  readonly requestBody?: z.ZodType;
  /** Longer text than the summary (the event stream's event names). */
  readonly description?: string;
  /** Query parameters, documented by hand. */
  readonly query?: readonly { readonly name: string; readonly description: string; readonly schema: JsonSchema }[];
}

/** Routes served besides the operations, documented by hand. */
export const EXTRA_ROUTES: readonly ExtraRoute[] = [
  { method: 'get', path: '/api/health', summary: 'Health, versions and tools (no auth)', access: 'public', contentType: 'application/json' },
  { method: 'get', path: '/api/openapi.json', summary: 'This document (no auth)', access: 'public', contentType: 'application/json' },
  {
    method: 'get',
    path: '/api/media/events',
    summary: 'Server-sent events (bearer header, or ?ticket= from POST /api/media/events/ticket); resumable with Last-Event-ID',
    description:
      'Each frame has `id`, `event` (the type) and `data` (JSON). Events: job.created (its job leaves out the fields still at their initial values: progress 0, startedAt null …; fill them back in), job.updated (a change of one of a segmented encode\'s parts is followed, within ~100 ms, by its parent\'s job.updated with `chunks`; the parent\'s own updates carry none: keep the last), job.progress, job.log, job.console, stats.changed, pipeline.run.updated, queue.updated, notification; reset (events were missed: reload) and lagging (the client fell behind and is disconnected: reconnect with Last-Event-ID). A client whose Accept-Encoding takes gzip gets the stream with Content-Encoding: gzip (each batch of frames deflated once and flushed, so every frame can be read as it arrives). With batch=3 also job.created.batch: a run of two or more consecutive job.created events in one frame; its `id` is the last one\'s, so Last-Event-ID resumes right after the run. `data` is {shared, count, columns}: `shared` holds the fields every job of the run has with the same value; `columns` every other field of the short job.created form as a column of `count` values, either {values: [...]} or, for strings of one length, {prefix, width, packed} (value i = prefix + packed.slice(i*width, (i+1)*width), width in UTF-16 code units); a whole job is the initial values, then shared, then its own fields. A run whose jobs have different own fields comes as {shared, jobs} instead (below). batch=2 gets the earlier form, `data` {shared, jobs}: `jobs` each job in the short form less the shared fields, in order; batch=1 the first form, `data` a bare array of the short jobs (for clients written before `shared`).',
    access: 'read',
    contentType: 'text/event-stream',
    query: [
      { name: 'ticket', description: 'A one-time ticket from POST /api/media/events/ticket, for clients that cannot send the Authorization header', schema: { type: 'string' } },
      { name: 'lastEventId', description: 'Resume after this event id (as the Last-Event-ID header)', schema: { type: 'integer', minimum: 0 } },
      { name: 'batch', description: '3: runs of consecutive job.created events arrive as one job.created.batch frame, data {shared, count, columns} (the web UI asks for it); 2: the same frames with data {shared, jobs}; 1: with data a bare array of jobs (the first form); 0 or absent: one frame per event. Any other value: 400 VALIDATION_FAILED', schema: { type: 'string', enum: [...BATCH_VALUES] } },
    ],
  },
  { method: 'post', path: '/api/media/events/ticket', summary: 'Trade the bearer token for a one-time, 60-second ticket to open the event stream from a browser', access: 'read', contentType: 'application/json' },
  { method: 'get', path: '/metrics', summary: 'Prometheus metrics', access: 'read', contentType: 'text/plain' },
  { method: 'get', path: '/api/auth/tokens', summary: 'The API tokens: name, role, dates (never a secret or hash)', access: 'admin', contentType: 'application/json' },
  { method: 'post', path: '/api/auth/tokens', summary: 'Create a token {name, role}; the answer carries its secret, once (201)', access: 'admin', contentType: 'application/json', requestBody: createTokenInputSchema },
  { method: 'post', path: '/api/auth/tokens/:name/revoke', summary: 'Revoke the active token of that name (refused from the next request on)', access: 'admin', contentType: 'application/json' },
];

/** How the document states a route's access (x-required-role is ours; security is OpenAPI's). */
function accessFields(access: Access): Record<string, unknown> {
  return access === 'public' ? { security: [] } : { security: [{ bearer: [] }], 'x-required-role': access };
}

/**
 * The create body's `params` are checked per job type at run time, so the document cannot list them;
 * it does name the two every GPU job type accepts (#18), with their ranges, from the schema the API checks with.
 */
function documentGpuRequest(operation: Record<string, unknown>): void {
  const body = (operation.requestBody as { content: Record<string, { schema: { properties: Record<string, JsonSchema> } }> } | undefined)?.content['application/json']?.schema;
  if (!body?.properties.params) return;
  const gpuTypes = JOB_TYPES.filter((t) => JOB_TYPE_CATALOG[t].category !== 'cpu' && !isSegmentChild(t));
  body.properties.params = {
    ...body.properties.params,
    description: `The job type's own params (checked per type; an unknown key is refused). GPU job types (${gpuTypes.join(', ')}) also accept \`gpu\` and/or \`gpuModel\` to pin the GPU they run on; a CPU job type given either is refused with 400 VALIDATION_FAILED.`,
    properties: schemaOf(gpuRequestSchema, 'input').properties,
  };
}

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
      ...accessFields(def.access),
      responses: {
        [def.creates ? '201' : '200']: { description: 'OK', content: { 'application/json': { schema: schemaOf(def.output, 'output') } } },
        ...errorResponses,
      },
    };
    const rest = Object.entries(props).filter(([k]) => !params.includes(k));
    if (def.method === 'GET' || def.method === 'DELETE') {
      parameters.push(...rest.map(([k, schema]) => ({ name: k, in: 'query', required: required.has(k), schema })));
    } else if (rest.length > 0) {
      operation.requestBody = {
        required: rest.some(([k]) => required.has(k)),
        content: { 'application/json': { schema: { type: 'object', additionalProperties: false, properties: Object.fromEntries(rest), required: rest.map(([k]) => k).filter((k) => required.has(k)) } } },
      };
    }
    if (name === 'createJob') documentGpuRequest(operation);
    operation.parameters = parameters;
    (paths[toOpenApiPath(def.path)] ??= {})[def.method.toLowerCase()] = operation;
  }
  for (const r of EXTRA_ROUTES) {
    const params: Record<string, unknown>[] = pathParams(r.path).map((p) => ({ name: p, in: 'path', required: true, schema: { type: 'string' } }));
    for (const q of r.query ?? []) params.push({ name: q.name, in: 'query', required: false, description: q.description, schema: q.schema });
    (paths[toOpenApiPath(r.path)] ??= {})[r.method] = {
      summary: r.summary,
      ...(r.description ? { description: r.description } : {}),
      ...accessFields(r.access),
      ...(params.length > 0 ? { parameters: params } : {}),
      ...(r.requestBody ? { requestBody: { required: true, content: { 'application/json': { schema: schemaOf(r.requestBody, 'input') } } } } : {}),
      responses: { '200': { description: 'OK', content: { [r.contentType]: {} } }, ...(r.access === 'public' ? {} : errorResponses) },
    };
  }
  return {
    openapi: '3.1.0',
    info: { title: 'Media Job Control API', version, description: 'Resource-aware media job queue. Every route but /api/health, this document and the web UI needs `Authorization: Bearer <token>`; x-required-role says which role: read (GET routes, events, metrics), operate (plus creating and acting on jobs, pausing the queue) or admin (plus tokens; the spec\'s SUPER_ADMIN).' },
    components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer' } } },
    paths,
  };
}
