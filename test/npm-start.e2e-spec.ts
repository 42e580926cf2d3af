import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, mkdirSync, readFileSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { tempDir } from './support/test-app.js';

/**
 * A built service for `npm start` to run: listens, and on SIGTERM drains for a moment before
 * exiting, as the real one does (the real one takes a build and a database to start).
 */
const STAND_IN_SERVER = `
import { createServer } from 'node:http';
const server = createServer((_, res) => res.end('ok'));
server.listen(0, '127.0.0.1', () => console.log('LISTENING', process.pid, server.address().port));
process.on('SIGTERM', () => {
  console.log('DRAINING');
  setTimeout(() => server.close(() => { console.log('DRAINED'); process.exit(0); }), 300);
});
`;

const alive = (pid: number) => {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
};

/**
 * A project with this repository's real `start` script and scripts/start.mjs and a built dist/,
 * run with the real npm: npm → sh → (node scripts/start.mjs …) → the service.
 */
function projectWithStandIn(): string {
  const dir = tempDir('npm-start-');
  const { scripts } = JSON.parse(readFileSync('package.json', 'utf8'));
  writeFileSync(join(dir, 'package.json'), JSON.stringify({ name: 'stand-in', private: true, type: 'module', scripts: { start: scripts.start } }));
  mkdirSync(join(dir, 'scripts'));
  copyFileSync('scripts/start.mjs', join(dir, 'scripts/start.mjs'));
  mkdirSync(join(dir, 'dist'));
  writeFileSync(join(dir, 'dist/main.js'), STAND_IN_SERVER);
  // dist/ newer than the sources: nothing to build.
  const past = new Date(Date.now() - 60_000);
  utimesSync(join(dir, 'package.json'), past, past);
  return dir;
}

describe('npm start', () => {
  let npm: ChildProcess | undefined;
  let serverPid: number | undefined;
  afterEach(() => {
    if (serverPid && alive(serverPid)) process.kill(serverPid, 'SIGKILL');
    if (npm?.pid && alive(npm.pid)) npm.kill('SIGKILL');
  });

  it.each(['SIGTERM', 'SIGINT'] as const)('passes %s on to the service, which drains and exits before npm does', async (signal) => {
    const events: string[] = [];
    npm = spawn('npm', ['start'], { cwd: projectWithStandIn(), env: { ...process.env, npm_config_update_notifier: 'false' }, stdio: ['ignore', 'pipe', 'pipe'] });
    const exited = new Promise<void>((resolve) => npm!.on('exit', () => (events.push('npm exited'), resolve())));
    const listening = new Promise<number>((resolve, reject) => {
      npm!.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
        for (const line of chunk.split('\n')) {
          const match = /^LISTENING (\d+)/.exec(line);
          if (match) resolve(Number(match[1]));
          else if (/^DRAIN/.test(line)) events.push(line.trim());
        }
      });
      npm!.on('exit', () => reject(new Error('npm start exited before the service listened')));
    });
    serverPid = await listening;
    expect(alive(serverPid)).toBe(true);

    npm.kill(signal);
    await Promise.race([exited, new Promise((_, reject) => setTimeout(() => reject(new Error('npm start did not exit within 10 s')), 10_000))]);
    await new Promise((resolve) => setTimeout(resolve, 500));
    expect({ serviceStillRunning: alive(serverPid) }).toEqual({ serviceStillRunning: false });
    if (signal === 'SIGTERM') expect(events).toEqual(['DRAINING', 'DRAINED', 'npm exited']);
  });
});
