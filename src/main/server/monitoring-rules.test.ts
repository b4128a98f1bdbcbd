/**
 * The shipped monitoring files stay true to the server: every metric the alert rules and the
 * Grafana dashboard read is one /metrics exports, and the alert rules behave as their unit tests
 * (docs/monitoring/prometheus-alerts.test.yml: a fleet raises one alert per problem, not one per
 * node) under Prometheus's own rule engine, promtool (scripts/test-deps.sh installs it).
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestRuntime, type TestRuntime } from '../runtime/testing/test-runtime';
import { createMetrics } from './metrics';

const MONITORING = join(import.meta.dirname, '../../../docs/monitoring');
const SUFFIXES = ['_bucket', '_sum', '_count'];

/** The metric names the PromQL expressions of a file read (`expr` lines/keys; our prefix only, `up` is Prometheus's own). */
async function metricNamesIn(file: string): Promise<string[]> {
  const expressions = (await readFile(join(MONITORING, file), 'utf8')).split('\n').filter((line) => /"?expr"?\s*:/.test(line));
  return [...new Set(expressions.flatMap((line) => line.match(/\bmedia_[a-z_]+/g) ?? []))];
}

describe('monitoring rules and dashboard', () => {
  let t: TestRuntime;
  let exported: Set<string>;

  beforeAll(async () => {
    t = await startTestRuntime();
    const metrics = createMetrics(t.runtime);
    exported = new Set((await metrics.registry.getMetricsAsJSON()).map((m) => m.name));
    metrics.close();
  });
  afterAll(() => t.dispose());

  const exports = (name: string) => exported.has(name) || SUFFIXES.some((s) => name.endsWith(s) && exported.has(name.slice(0, -s.length)));

  it.each(['prometheus-alerts.yml', 'grafana-dashboard.json'])('%s reads only metrics /metrics exports', async (file) => {
    const names = await metricNamesIn(file);
    expect(names.length).toBeGreaterThan(3);
    expect(names.filter((n) => !exports(n))).toEqual([]);
  });

  it('the alert rules pass their unit tests in promtool', async () => {
    const { stdout } = await promisify(execFile)('promtool', ['test', 'rules', 'prometheus-alerts.test.yml'], { cwd: MONITORING });
    expect(stdout).toContain('SUCCESS');
  });
});
