/**
 * `npm run gpu-check [-- <report.json>]`: runs the real-GPU check (src/main/runtime/gpu-check) and
 * writes its JSON report (default docs/gpu-reports/<hostname>-<date>.json). Exit code 0 when no
 * item failed (not-tested items are not failures: they say what this machine could not show), 1
 * when a finding needs fixing.
 */
import { resolve } from 'node:path';
import { defaultReportPath, writeReport } from '../src/main/runtime/gpu-check/report';
import { runGpuCheck } from '../src/main/runtime/gpu-check/run-gpu-check';

const target = process.argv[2] ? resolve(process.argv[2]) : defaultReportPath(resolve(import.meta.dirname, '..'));
const report = await runGpuCheck({
  onItem: (i) => console.log(`${i.status === 'passed' ? 'PASS' : i.status === 'failed' ? 'FAIL' : 'NOT TESTED'}  ${i.name} (${i.ms} ms): ${i.detail}`),
});
writeReport(target, report);
console.log(`\n${report.gpuCount} GPU(s), ${report.findings.length} finding(s), ${report.notTested.length} item(s) not tested, ${report.totalMs} ms. Report: ${target}`);
process.exit(report.findings.length > 0 ? 1 : 0);
