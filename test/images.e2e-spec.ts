import { statSync } from 'node:fs';
import pg from 'pg';
import request from 'supertest';
import { realEngines } from '../packages/agent/test/support/real-engines.js';
import { dockerCli, runWithDocker } from './support/docker-cli.js';
import { signup } from './support/factories.js';
import { freePort } from './support/private-cluster.js';
import type { TestApp } from './support/test-app.js';

/**
 * The images of Dockerfile and Dockerfile.agent, built and run on a real Docker Engine (the private
 * one of .ci/engines.sh; no registry: the base image comes from deploy/base-image/build.sh). The
 * server container must become ready and healthy (its HEALTHCHECK), and an agent container reading
 * that same engine's socket (read-only) must enroll and stream: its host online, the server's own
 * container listed with metrics. With DATABASE_URL the server container uses a fresh database there.
 */
const found = await realEngines();
afterAll(() => found.stop());
const docker = found.engines.find((engine) => engine.name === 'docker');
const why = docker ? undefined : (found.missing ?? 'no Docker engine (only Podman)');
if (!docker && process.env.DOCKPULSE_TEST_ENGINES === 'required') throw new Error(`DOCKPULSE_TEST_ENGINES=required but ${why}`);

const BASE = 'local/dockpulse-node:test';
const SERVER = 'local/dockpulse:test';
const AGENT = 'local/dockpulse-agent:test';
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function waitFor<T>(what: string, probe: () => Promise<T | undefined>, timeoutMs: number, log: () => Promise<string>): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}\n${await log()}`);
    await sleep(500);
  }
}

if (!docker) {
  console.warn(`Image suite skipped: ${why}`);
  describe('server and agent images', () => it.skip(`skipped: ${why}`, () => undefined));
} else {
  const cli = dockerCli(docker.host);
  const suffix = `${process.pid}-${Date.now()}`;
  const names = { server: `dockpulse-image-test-${suffix}`, agent: `dockpulse-agent-image-test-${suffix}` };
  const logsOf = async (name: string) => `--- docker logs ${name}:\n${await cli(['logs', '--tail', '40', name]).catch((e: Error) => e.message)}`;
  const builds: Record<string, number> = {};
  const timed = async (what: string, work: () => Promise<unknown>) => {
    const started = performance.now();
    await work();
    builds[what] = Math.round(performance.now() - started);
  };

  describe('server and agent images on a real Docker Engine', () => {
    let databaseName: string | undefined;

    beforeAll(async () => {
      await timed('base image', () => runWithDocker(docker.host, 'deploy/base-image/build.sh', [BASE], 120_000));
      const build = (file: string, tag: string) => cli(['build', '--network', 'host', '--build-arg', `BASE_IMAGE=${BASE}`, '-f', file, '-t', tag, '.'], 1_200_000);
      await timed('server image', () => build('Dockerfile', SERVER));
      await timed('agent image', () => build('Dockerfile.agent', AGENT));
      console.log(`image builds (ms): ${JSON.stringify(builds)}`);
    }, 1_500_000);

    afterAll(async () => {
      await cli(['rm', '-f', names.server, names.agent]).catch(() => undefined);
      if (databaseName) {
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        await admin.query(`DROP DATABASE IF EXISTS "${databaseName}" WITH (FORCE)`);
        await admin.end();
      }
    });

    it('the agent image holds only the agent and its own dependencies, and both images run as a non-root user', async () => {
      const listing = await cli(['run', '--rm', '--network', 'host', '--entrypoint', 'sh', AGENT, '-c', 'id -u; ls node_modules; ls packages']);
      const [uid, ...rest] = listing.split('\n');
      expect(uid).toBe('1000');
      expect(rest).toEqual(expect.arrayContaining(['dockerode', 'systeminformation', 'ws', 'agent', 'protocol']));
      for (const foreign of ['@nestjs', '@prisma', 'typescript', 'jest', 'sim']) expect(rest).not.toContain(foreign);
      const server = await cli(['run', '--rm', '--network', 'host', SERVER, 'sh', '-c', 'id -u; ls node_modules']);
      const [serverUid, ...modules] = server.split('\n');
      expect(serverUid).toBe('1000');
      expect(modules).toEqual(expect.arrayContaining(['@nestjs', '@prisma', '@electric-sql']));
      for (const devOnly of ['typescript', 'jest', 'vite', 'prisma', 'dockerode']) expect(modules).not.toContain(devOnly);
    }, 60_000);

    it('the server container gets ready and healthy; an agent container enrolls over the engine socket and streams', async () => {
      const port = await freePort();
      const env = ['-e', `PORT=${port}`, '-e', 'HOST=127.0.0.1', '-e', 'JWT_SECRET=image-test-secret-that-is-long-enough-for-hs256', '-e', 'BUFFER_FLUSH_MS=100'];
      if (process.env.DATABASE_URL) {
        const admin = new pg.Client({ connectionString: process.env.DATABASE_URL });
        await admin.connect();
        databaseName = `dockpulse_images_${Date.now()}`;
        await admin.query(`CREATE DATABASE "${databaseName}"`);
        await admin.end();
        const url = new URL(process.env.DATABASE_URL);
        url.pathname = `/${databaseName}`;
        env.push('-e', `DATABASE_URL=${url}`);
      }
      const serverId = await cli(['run', '-d', '--pull', 'never', '--network', 'host', '--name', names.server, ...env, SERVER]);
      const baseUrl = `http://127.0.0.1:${port}`;
      await waitFor('/api/ready from the server container', async () => ((await fetch(`${baseUrl}/api/ready`)).ok ? true : undefined), 120_000, () => logsOf(names.server));

      const viaContainer = { http: () => request(baseUrl), baseUrl } as unknown as TestApp;
      const tenant = await signup(viaContainer);
      const auth = { authorization: `Bearer ${tenant.token}` };
      const created = await request(baseUrl).post('/api/hosts').set(auth).send({ name: 'image-test' }).expect(201);
      const hostId = created.body.host.id as string;

      const socketGroup = String(statSync(docker.socketPath).gid);
      await cli([
        'run', '-d', '--pull', 'never', '--network', 'host', '--name', names.agent,
        '-v', `${docker.socketPath}:/var/run/docker.sock:ro`, '--group-add', socketGroup,
        '-e', `DOCKPULSE_SERVER=${baseUrl}`, '-e', `DOCKPULSE_ENROLLMENT_TOKEN=${created.body.enrollmentToken}`,
        '-e', 'DOCKPULSE_HOSTNAME=image-test.local', '-e', 'DOCKPULSE_METRICS_INTERVAL=1s', '-e', 'DOCKPULSE_INVENTORY_INTERVAL=5s',
        AGENT,
      ]);

      const agentLog = () => logsOf(names.agent);
      const host = await waitFor('the agent host online', async () => {
        const res = await request(baseUrl).get(`/api/hosts/${hostId}`).set(auth);
        return res.body.status === 'online' ? res.body : undefined;
      }, 60_000, agentLog);
      expect(host).toMatchObject({ hostname: 'image-test.local', status: 'online' });
      const listed = await waitFor('the server container in the inventory', async () => {
        const res = await request(baseUrl).get(`/api/hosts/${hostId}/containers`).set(auth);
        return (res.body as { id: string; dockerId: string; state: string }[]).find((c) => c.dockerId === serverId && c.state === 'running');
      }, 60_000, agentLog);
      const samples = await waitFor('metrics of the server container', async () => {
        const res = await request(baseUrl).get(`/api/containers/${listed.id}/metrics`).set(auth);
        return res.body.length ? (res.body as { memoryUsed: number }[]) : undefined;
      }, 60_000, agentLog);
      expect(samples[0].memoryUsed).toBeGreaterThan(0);

      const health = await waitFor('the HEALTHCHECK to report healthy', async () => {
        const status = await cli(['inspect', '-f', '{{.State.Health.Status}}', names.server]);
        return status === 'healthy' ? status : undefined;
      }, 90_000, () => logsOf(names.server));
      expect(health).toBe('healthy');
    }, 300_000);
  });
}
