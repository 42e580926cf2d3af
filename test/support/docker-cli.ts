import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The docker CLI against one engine (`unix:///…/docker.sock`); resolves with stdout, throws with stderr. */
export function dockerCli(host: string) {
  return async (args: string[], timeoutMs = 60_000): Promise<string> => {
    try {
      const { stdout } = await run('docker', args, { env: { ...process.env, DOCKER_HOST: host }, timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024 });
      return stdout.trim();
    } catch (error) {
      const { stdout, stderr } = error as { stdout?: string; stderr?: string };
      throw new Error(`docker ${args.join(' ')} failed: ${(error as Error).message}\n${`${stdout ?? ''}${stderr ?? ''}`.slice(-4_000)}`);
    }
  };
}

/** Runs a script with DOCKER_HOST set (deploy/base-image/build.sh). */
export async function runWithDocker(host: string, file: string, args: string[], timeoutMs: number): Promise<string> {
  const { stdout } = await run(file, args, { env: { ...process.env, DOCKER_HOST: host }, timeout: timeoutMs });
  return stdout.trim();
}
