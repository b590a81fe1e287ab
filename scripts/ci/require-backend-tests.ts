// CI gate: the run counts only if the tests against real Kafka and real PostgreSQL ran and
// passed, and nothing was skipped in their place. Reads vitest's JSON report.
import { readFileSync } from 'node:fs';

interface Assertion {
  fullName: string;
  status: 'passed' | 'failed' | 'skipped' | 'pending' | 'todo' | 'disabled';
}
interface Report {
  testResults: { assertionResults: Assertion[] }[];
}

const file = process.argv[2];
if (!file) throw new Error('usage: require-backend-tests.ts <vitest-json-report>');
const report = JSON.parse(readFileSync(file, 'utf8')) as Report;
const all = report.testResults.flatMap((r) => r.assertionResults);
const passed = all.filter((a) => a.status === 'passed');
const failed = all.filter((a) => a.status === 'failed');
const notRun = all.filter((a) => a.status !== 'passed' && a.status !== 'failed');

const REQUIRED = [
  { tag: '[kafka]', what: 'bus contract on Apache Kafka' },
  { tag: '[log/postgres]', what: 'bus contract on the embedded log in PostgreSQL' },
];
const problems: string[] = [];
for (const r of REQUIRED) {
  const n = passed.filter((a) => a.fullName.includes(r.tag)).length;
  console.log(`${r.what}: ${n} passed`);
  if (n === 0) problems.push(`no passing test tagged ${r.tag} (${r.what})`);
}
if (notRun.length > 0) problems.push(`${notRun.length} tests did not run: ${notRun.map((a) => a.fullName).join('; ')}`);
if (failed.length > 0) problems.push(`${failed.length} tests failed`);
console.log(`${passed.length} passed, ${failed.length} failed`);
if (problems.length > 0) {
  console.error(`CI gate: ${problems.join('\n  ')}`);
  process.exitCode = 1;
}
