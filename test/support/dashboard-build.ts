import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

function newestMtime(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

/** Builds web/dist when it is missing or older than the dashboard's sources (`npm test` does not build). */
export function ensureDashboardBuilt(): void {
  const built = newestMtime('web/dist/index.html');
  const sources = Math.max(newestMtime('web/src'), newestMtime('web/index.html'), newestMtime('web/vite.config.ts'));
  if (built && built >= sources) return;
  // Jest sets NODE_ENV=test, which would make Vite bundle React's development build.
  execFileSync('npx', ['vite', 'build', 'web', '--logLevel', 'warn'], { stdio: 'inherit', timeout: 120_000, env: { ...process.env, NODE_ENV: 'production' } });
}
