import type Docker from 'dockerode';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

export const DEFAULT_DOCKER_HOST = 'unix:///var/run/docker.sock';

/** Where the Engine API is: a unix socket, or TCP (with TLS as the docker CLI does it). */
export type DockerEndpoint = { kind: 'unix'; path: string } | { kind: 'tcp'; host: string; port: number; tlsCertPath?: string };

/**
 * Reads a Docker host as the docker CLI writes it: `unix:///path`, a bare socket path, or
 * `tcp://host:port`; TLS when DOCKER_TLS_VERIFY=1 (certificates from DOCKER_CERT_PATH, default
 * ~/.docker) or on port 2376. Anything else (ssh://, npipe://) is refused with a message.
 */
export function parseDockerHost(text: string, env: NodeJS.ProcessEnv = {}): DockerEndpoint {
  if (text.startsWith('/')) return { kind: 'unix', path: text };
  if (text.startsWith('unix://')) {
    const path = text.slice('unix://'.length);
    if (!path.startsWith('/')) throw new Error(`"${text}" has no absolute socket path (unix:///var/run/docker.sock)`);
    return { kind: 'unix', path };
  }
  const url = /^tcp:\/\//.test(text) ? safeUrl(text) : undefined;
  if (!url || !url.hostname) throw new Error(`"${text}" is not a Docker host this agent can use (unix:///path/docker.sock or tcp://host:port)`);
  const port = Number(url.port || (env.DOCKER_TLS_VERIFY === '1' ? 2376 : 2375));
  const tls = env.DOCKER_TLS_VERIFY === '1' || port === 2376;
  return { kind: 'tcp', host: url.hostname.replace(/^\[|\]$/g, ''), port, ...(tls ? { tlsCertPath: env.DOCKER_CERT_PATH || join(homedir(), '.docker') } : {}) };
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

export function describeEndpoint(endpoint: DockerEndpoint): string {
  return endpoint.kind === 'unix' ? `unix://${endpoint.path}` : `tcp://${endpoint.host}:${endpoint.port}${endpoint.tlsCertPath ? ' (TLS)' : ''}`;
}

/**
 * dockerode options for the endpoint. Every connection field is set, even to undefined: dockerode
 * merges its own reading of the process's DOCKER_HOST under whatever is passed.
 */
export function dockerOptions(endpoint: DockerEndpoint): Docker.DockerOptions {
  if (endpoint.kind === 'unix') return { socketPath: endpoint.path, host: undefined, port: undefined, protocol: undefined } as Docker.DockerOptions;
  const tls = endpoint.tlsCertPath
    ? {
        ca: readFileSync(join(endpoint.tlsCertPath, 'ca.pem')),
        cert: readFileSync(join(endpoint.tlsCertPath, 'cert.pem')),
        key: readFileSync(join(endpoint.tlsCertPath, 'key.pem')),
      }
    : { ca: undefined, cert: undefined, key: undefined };
  return { socketPath: undefined, host: endpoint.host, port: endpoint.port, protocol: endpoint.tlsCertPath ? 'https' : 'http', ...tls } as Docker.DockerOptions;
}
