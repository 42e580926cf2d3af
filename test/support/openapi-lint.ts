import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';

export interface LintProblem {
  ruleId: string;
  severity: 'error' | 'warn';
  message: string;
  location: Array<{ pointer?: string }>;
}

export interface LintReport {
  errors: string[];
  warnings: string[];
}

const run = promisify(execFile);
const cli = join(process.cwd(), 'node_modules/@redocly/cli/bin/cli.js');

/**
 * Runs `redocly lint` (rules from redocly.yaml at the repository root: `recommended`) on a
 * document file and returns its problems as `rule: message at pointer` lines. Telemetry and the
 * update check are off: the linter must not reach for the network.
 */
export async function lintOpenApi(file: string): Promise<LintReport> {
  const env = { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' };
  const args = [cli, 'lint', file, '--format=json', '--max-problems=1000', '--config', join(process.cwd(), 'redocly.yaml')];
  // The CLI exits 1 when it finds errors; its JSON report is on stdout either way.
  const stdout = await run(process.execPath, args, { env, maxBuffer: 64 << 20 }).then(
    (done) => done.stdout,
    (failed: { stdout?: string }) => failed.stdout ?? '',
  );
  const problems = (JSON.parse(stdout) as { problems: LintProblem[] }).problems;
  const line = (p: LintProblem) => `${p.ruleId}: ${p.message} at ${p.location[0]?.pointer ?? '?'}`;
  return {
    errors: problems.filter((p) => p.severity === 'error').map(line),
    warnings: problems.filter((p) => p.severity === 'warn').map(line),
  };
}
