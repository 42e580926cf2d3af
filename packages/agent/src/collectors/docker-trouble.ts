import { readFileSync, statSync } from 'node:fs';
import { userInfo } from 'node:os';
import { describeEndpoint, type DockerEndpoint } from '../docker-endpoint.js';
import type { Log } from '../log.js';

/**
 * A socket the agent may not open fails every Docker call the same way, and retrying cannot fix
 * it: say once what to do, then retry quietly until a call succeeds again.
 */
export class DockerTrouble {
  private told = false;

  constructor(
    private readonly endpoint: DockerEndpoint,
    private readonly log: Log,
  ) {}

  /** True when `error` is a refused permission (explained once); any other error is the caller's to report. */
  explained(error: unknown): boolean {
    if (!isPermissionError(error)) return false;
    if (!this.told) this.log.error(permissionAdvice(this.endpoint));
    this.told = true;
    return true;
  }

  recovered(): void {
    if (this.told) this.log.info(`Docker at ${describeEndpoint(this.endpoint)} is reachable now`);
    this.told = false;
  }
}

function isPermissionError(error: unknown): boolean {
  const code = (error as { code?: string })?.code ?? (error as { cause?: { code?: string } })?.cause?.code;
  return code === 'EACCES' || code === 'EPERM';
}

function permissionAdvice(endpoint: DockerEndpoint): string {
  const where = describeEndpoint(endpoint);
  if (endpoint.kind !== 'unix') return `Permission denied by the Docker Engine at ${where}; check the address and its TLS settings (DOCKER_TLS_VERIFY, DOCKER_CERT_PATH). Retrying quietly.`;
  const me = userInfo();
  const socket = statOrUndefined(endpoint.path);
  const group = socket ? groupName(socket.gid) : 'docker';
  const owner = socket ? ` (owned by group ${group}, mode ${(socket.mode & 0o777).toString(8).padStart(4, '0')})` : '';
  return (
    `Permission denied on the Docker socket ${endpoint.path}${owner}: this agent runs as ${me.username} (uid ${me.uid}). ` +
    `Add that user to the ${group === 'docker' ? 'docker group' : `group ${group} (the docker group)`} ("sudo usermod -aG ${group} ${me.username}", then restart the agent), ` +
    `or run the agent as a user with access to the socket. Container inventory, metrics, logs and commands wait until then (retrying quietly).`
  );
}

function statOrUndefined(path: string): { gid: number; mode: number } | undefined {
  try {
    return statSync(path);
  } catch {
    return undefined;
  }
}

function groupName(gid: number): string {
  try {
    const line = readFileSync('/etc/group', 'utf8')
      .split('\n')
      .find((entry) => entry.split(':')[2] === String(gid));
    return line?.split(':')[0] || String(gid);
  } catch {
    return String(gid);
  }
}
