/** The pipeline routes in the OpenAPI document: methods (PUT, DELETE), roles, and the recursive conditions schema. */
import { describe, expect, it } from 'vitest';
import { buildOpenApiDocument } from './openapi';

describe('OpenAPI document: pipelines', () => {
  const doc = buildOpenApiDocument('test') as { paths: Record<string, Record<string, { 'x-required-role'?: string; requestBody?: unknown; parameters?: { name: string; in: string }[] }>> };

  it('documents every pipeline route with the role it needs', () => {
    const roles = (path: string) => Object.fromEntries(Object.entries(doc.paths[path] ?? {}).map(([method, op]) => [method, op['x-required-role']]));
    expect(roles('/api/media/pipelines')).toEqual({ get: 'read', post: 'admin' });
    expect(roles('/api/media/pipelines/{id}')).toEqual({ get: 'read', put: 'admin', delete: 'admin' });
    expect(roles('/api/media/pipelines/{id}/dry-run')).toEqual({ post: 'operate' });
    expect(roles('/api/media/pipelines/{id}/run')).toEqual({ post: 'operate' });
    expect(roles('/api/media/pipelines/{id}/runs')).toEqual({ get: 'read' });
    expect(roles('/api/media/pipeline-runs/{id}')).toEqual({ get: 'read' });
    expect(roles('/api/media/pipeline-templates')).toEqual({ get: 'read' });
  });

  it('gives PUT its document body, DELETE no body, and the run its options', () => {
    const put = doc.paths['/api/media/pipelines/{id}']!.put!;
    expect(JSON.stringify(put.requestBody)).toContain('"steps"');
    expect(JSON.stringify(put.requestBody)).toContain('"version"');
    expect(JSON.stringify(put.requestBody), 'a step may pin its GPU (#18)').toContain('also takes gpu / gpuModel');
    expect(doc.paths['/api/media/pipelines/{id}']!.delete!.requestBody).toBeUndefined();
    expect(JSON.stringify(doc.paths['/api/media/pipelines/{id}/run']!.post!.requestBody)).toContain('"force"');
    expect(doc.paths['/api/media/pipelines/{id}/runs']!.get!.parameters!.map((p) => p.name).sort()).toEqual(['id', 'limit', 'page', 'status']);
  });
});
