/** The token file and registry: roles, revocation, the old file format, malformed files, changes made by another process. */
import { mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createHash } from 'node:crypto';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { setUpTokens } from './token-setup';
import { TokenFileError, readTokenFile } from './token-file';
import { ENV_TOKEN_NAME, TokenRegistry } from './token-registry';

const fresh = () => join(mkdtempSync(join(tmpdir(), 'mjc-tok-')), 'api-tokens.json');
const quiet = { error: () => {} };

describe('TokenRegistry', () => {
  it('creates named tokens with a role, keeps only their hashes (0600), and tells who presents one', () => {
    const file = fresh();
    const registry = new TokenRegistry(file, undefined, quiet);
    const reader = registry.create('grafana', 'read');
    const operator = registry.create('ci-runner', 'operate');
    expect(reader.token).toMatch(/^mjc_[A-Za-z0-9_-]{43}$/);
    expect(registry.verify(reader.token)).toEqual({ name: 'grafana', role: 'read' });
    expect(registry.verify(operator.token)).toEqual({ name: 'ci-runner', role: 'operate' });
    expect(registry.verify(`${reader.token}x`)).toBeNull();
    expect(registry.verify('')).toBeNull();
    const text = readFileSync(file, 'utf8');
    expect(text).not.toContain(reader.token);
    expect(text).toContain(createHash('sha256').update(reader.token).digest('hex'));
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(registry.list().map((t) => [t.name, t.role, t.revokedAt])).toEqual([['grafana', 'read', null], ['ci-runner', 'operate', null]]);
    expect(JSON.stringify(registry.list())).not.toMatch(/sha256|mjc_/);
  });

  it('refuses a revoked token at once, keeps it listed as revoked, and lets its name be used again', () => {
    const registry = new TokenRegistry(fresh(), undefined, quiet);
    const { token } = registry.create('grafana', 'read');
    expect(() => registry.create('grafana', 'admin')).toThrow(expect.objectContaining({ code: 'NAME_TAKEN' }));
    registry.revoke('grafana');
    expect(registry.verify(token)).toBeNull();
    expect(registry.list()[0]?.revokedAt).toEqual(expect.any(String));
    expect(() => registry.revoke('grafana')).toThrow(expect.objectContaining({ code: 'NOT_FOUND' }));
    const again = registry.create('grafana', 'read');
    expect(registry.verify(again.token)).toEqual({ name: 'grafana', role: 'read' });
  });

  it('refuses names that do not fit in a log line or a command line, and the name of the environment token', () => {
    const registry = new TokenRegistry(fresh(), 'env-token', quiet);
    for (const name of ['', 'has space', '-dash-first', 'a/b', 'x'.repeat(65), 'new\nline', 'ünïcode']) {
      expect(() => registry.create(name, 'read'), JSON.stringify(name)).toThrow(expect.objectContaining({ code: 'VALIDATION_FAILED' }));
    }
    expect(() => registry.create(ENV_TOKEN_NAME, 'read')).toThrow(expect.objectContaining({ code: 'NAME_TAKEN' }));
    expect(registry.verify('env-token')).toEqual({ name: ENV_TOKEN_NAME, role: 'admin' });
  });

  it('follows the file when another process (npm run token) changes it', () => {
    const file = fresh();
    const server = new TokenRegistry(file, undefined, quiet);
    const cli = new TokenRegistry(file, undefined, quiet);
    const { token } = cli.create('late', 'operate');
    expect(server.verify(token)).toEqual({ name: 'late', role: 'operate' });
    new TokenRegistry(file, undefined, quiet).revoke('late');
    expect(server.verify(token)).toBeNull();
  });

  it('reads the first version of the file (SUPER_ADMIN records) as admin tokens and leaves the file as it is', () => {
    const file = fresh();
    const token = 'legacy-first-start-token';
    const legacy = JSON.stringify([{ sha256: createHash('sha256').update(token).digest('hex'), role: 'SUPER_ADMIN', createdAt: '2026-01-02T03:04:05.000Z', label: 'first start' }], null, 2);
    writeFileSync(file, legacy, { mode: 0o600 });
    const registry = new TokenRegistry(file, undefined, quiet);
    expect(registry.verify(token)).toEqual({ name: 'first-start', role: 'admin' });
    expect(readFileSync(file, 'utf8')).toBe(legacy);
    registry.create('grafana', 'read'); // a write upgrades the records and keeps the old token working
    expect(registry.verify(token)).toEqual({ name: 'first-start', role: 'admin' });
    expect(readTokenFile(file).map((r) => r.name)).toEqual(['first-start', 'grafana']);
  });

  it.each([
    ['not JSON', '{"oops"'],
    ['not a list', '{"sha256": "x"}'],
    ['an unknown role', JSON.stringify([{ id: 'a', name: 'x', role: 'root', sha256: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00Z', revokedAt: null }])],
    ['a short hash', JSON.stringify([{ id: 'a', name: 'x', role: 'read', sha256: 'abc', createdAt: '2026-01-01T00:00:00Z', revokedAt: null }])],
    ['an extra field', JSON.stringify([{ id: 'a', name: 'x', role: 'read', sha256: 'a'.repeat(64), createdAt: '2026-01-01T00:00:00Z', revokedAt: null, secret: 'x' }])],
  ])('stops the start on a malformed file (%s) with a message naming the file', (_what, content) => {
    const file = fresh();
    writeFileSync(file, content);
    expect(() => new TokenRegistry(file, undefined, quiet)).toThrow(TokenFileError);
    expect(() => new TokenRegistry(file, undefined, quiet)).toThrow(file);
  });

  it('refuses every file token while the file is malformed (fail closed), keeps MEDIA_API_TOKEN, and recovers once fixed', () => {
    const file = fresh();
    const errors: string[] = [];
    const registry = new TokenRegistry(file, 'env-token', { error: (m: string) => errors.push(m) });
    const { token } = registry.create('grafana', 'read');
    const good = readFileSync(file, 'utf8');
    writeFileSync(file, '[{"broken": true}]');
    expect(registry.verify(token)).toBeNull();
    expect(registry.verify('env-token')).toEqual({ name: ENV_TOKEN_NAME, role: 'admin' });
    expect(errors.join('\n')).toContain(file);
    writeFileSync(file, good);
    expect(registry.verify(token)).toEqual({ name: 'grafana', role: 'read' });
  });
});

describe('setUpTokens', () => {
  it('makes one admin token at the first start (clear copy 0600), and none when MEDIA_API_TOKEN is set', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mjc-setup-'));
    const first = setUpTokens(dir, undefined, quiet);
    expect(first.createdTokenFile).toBe(join(dir, 'api-token'));
    const token = readFileSync(first.createdTokenFile!, 'utf8').trim();
    expect(first.registry.verify(token)).toEqual({ name: 'first-start', role: 'admin' });
    expect(statSync(first.createdTokenFile!).mode & 0o777).toBe(0o600);
    expect(setUpTokens(dir, undefined, quiet).createdTokenFile).toBeNull(); // the second start keeps it
    const withEnv = setUpTokens(mkdtempSync(join(tmpdir(), 'mjc-setup-')), 'from-env', quiet);
    expect(withEnv.createdTokenFile).toBeNull();
    expect(withEnv.registry.verify('from-env')?.role).toBe('admin');
  });
});
