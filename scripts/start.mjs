// `npm start`: builds when dist/ (or web/dist/) is missing or older than the sources, then runs the service in this
// very process. package.json runs this script with `exec`, so the process npm signals is the service
// itself: no shell or launcher in between that could die and leave the service running as an orphan.
import { spawnSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';

function newestMtime(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(stat.mtimeMs, ...readdirSync(path).map((name) => newestMtime(join(path, name))));
}

function runNpm(script) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const result = spawnSync(npm, ['run', script], { stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

const built = newestMtime('dist/main.js');
const sources = Math.max(newestMtime('src'), newestMtime('packages/protocol/src'), newestMtime('prisma'), newestMtime('package.json'));
// `build` rebuilds the dashboard too (prebuild); on its own, a stale dashboard needs only `build:web`.
const dashboard = newestMtime('web/dist/index.html');
const dashboardSources = Math.max(newestMtime('web/src'), newestMtime('web/index.html'), newestMtime('web/vite.config.ts'));
if (!built || sources > built) runNpm('build');
else if (dashboardSources > dashboard) runNpm('build:web');
process.setSourceMapsEnabled(true);
await import(pathToFileURL(resolve('dist/main.js')).href);
