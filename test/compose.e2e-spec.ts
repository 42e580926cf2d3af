import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { validateEnvironment } from '../src/config/environment.js';
import { findHaproxy, HAPROXY_CONFIG } from './support/haproxy-process.js';

/**
 * compose.yaml as a deployment reads it: parsed as YAML (merge keys and all), its variables taken
 * from .env.example with the secrets filled in, then checked for what docs/deployment.md promises.
 * CI cannot pull postgres, redis or haproxy images, so `compose up` is not run here: the images
 * themselves are tested by images.e2e-spec.ts, the HAProxy configuration by haproxy.e2e-spec.ts.
 */
interface Service {
  image?: string;
  build?: { context: string; dockerfile?: string; args?: Record<string, string> };
  environment?: Record<string, string | number>;
  volumes?: string[];
  profiles?: string[];
}

const envExample = Object.fromEntries(
  readFileSync('.env.example', 'utf8')
    .split('\n')
    .filter((line) => /^[A-Z_][A-Z0-9_]*=/.test(line))
    .map((line) => [line.slice(0, line.indexOf('=')), line.slice(line.indexOf('=') + 1)]),
);
const secrets = { POSTGRES_PASSWORD: 'p'.repeat(32), JWT_SECRET: 'j'.repeat(40), NOTIFY_SECRET_KEY: 'n'.repeat(40) };

/** Compose's interpolation: ${VAR}, ${VAR:-default}, ${VAR:?error}. */
function interpolate(text: string, vars: Record<string, string>): string {
  return text.replace(/\$\{([A-Z0-9_]+)(?:(:-|:\?)([^}]*))?\}/g, (_, name: string, op: string | undefined, arg: string | undefined) => {
    const value = vars[name];
    if (value) return value;
    if (op === ':?') throw new Error(`compose.yaml needs ${name}: ${arg}`);
    return op === ':-' ? (arg ?? '') : '';
  });
}

const compose = (vars: Record<string, string>) => parse(interpolate(readFileSync('compose.yaml', 'utf8'), vars), { merge: true }) as { services: Record<string, Service> };

describe('compose.yaml', () => {
  const { services } = compose({ ...envExample, ...secrets });
  const instances = ['dockpulse-1', 'dockpulse-2'].map((name) => services[name]);

  it('refuses to start without the secrets .env.example leaves empty', () => {
    for (const name of Object.keys(secrets)) {
      expect(envExample).toHaveProperty(name, '');
      expect(() => compose({ ...envExample, ...secrets, [name]: '' })).toThrow(`compose.yaml needs ${name}`);
    }
  });

  it('runs PostgreSQL, Redis, two DockPulse instances sharing them and one set of secrets, and HAProxy in front', () => {
    expect(Object.keys(services)).toEqual(expect.arrayContaining(['postgres', 'redis', 'dockpulse-1', 'dockpulse-2', 'haproxy']));
    for (const instance of instances) {
      expect(instance.build).toEqual({ context: '.', args: { BASE_IMAGE: 'node:20-bookworm-slim' } });
      expect(instance.environment).toMatchObject({
        DATABASE_URL: `postgresql://dockpulse:${secrets.POSTGRES_PASSWORD}@postgres:5432/dockpulse`,
        REDIS_URL: 'redis://redis:6379',
        JWT_SECRET: secrets.JWT_SECRET,
        NOTIFY_SECRET_KEY: secrets.NOTIFY_SECRET_KEY,
      });
      // What the instances get is what the server accepts at start-up.
      expect(() => validateEnvironment(instance.environment as Record<string, string>)).not.toThrow();
    }
    const haproxy = services.haproxy;
    expect(haproxy.volumes).toContain(`./${HAPROXY_CONFIG}:/usr/local/etc/haproxy/haproxy.cfg:ro`);
    expect(haproxy.environment).toMatchObject({ DOCKPULSE_1: 'dockpulse-1:3000', DOCKPULSE_2: 'dockpulse-2:3000' });
    for (const service of Object.values(services)) if (service.build) expect(existsSync(service.build.dockerfile ?? 'Dockerfile')).toBe(true);
  });

  it('gives the optional agent the engine only through a socket proxy, read-only', () => {
    expect(services.agent.profiles).toEqual(['agent']);
    expect(services.agent.environment).toMatchObject({ DOCKPULSE_DOCKER_HOST: 'tcp://docker-socket-proxy:2375' });
    expect(services.agent.volumes?.some((v) => v.includes('docker.sock'))).toBe(false);
    expect(services['docker-socket-proxy'].volumes).toEqual(['/var/run/docker.sock:/var/run/docker.sock:ro']);
  });

  const haproxy = findHaproxy();
  (haproxy.path ? it : it.skip)('hands HAProxy a configuration it accepts with the addresses compose gives it', () => {
    // The service names do not resolve here; `init-addr none` lets HAProxy start anyway and look them up later.
    const env = services.haproxy.environment as Record<string, string>;
    const check = spawnSync(haproxy.path as string, ['-c', '-f', HAPROXY_CONFIG], { env: { PATH: process.env.PATH, ...env }, encoding: 'utf8' });
    expect({ status: check.status, output: check.stdout + check.stderr }).toMatchObject({ status: 0 });
  });

  const composePlugin = spawnSync('docker', ['compose', 'version'], { encoding: 'utf8' }).status === 0;
  (composePlugin ? it : it.skip)('is accepted by `docker compose config` (where the compose plugin is installed)', () => {
    const result = spawnSync('docker', ['compose', '-f', 'compose.yaml', '--env-file', '.env.example', 'config', '-q'], { env: { ...process.env, ...secrets }, encoding: 'utf8' });
    expect({ status: result.status, stderr: result.stderr }).toEqual({ status: 0, stderr: '' });
  });
});
