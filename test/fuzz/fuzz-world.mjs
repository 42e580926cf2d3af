// The tenants, hosts, sockets and ids a fuzz run works with, all made through the public API:
// F sends the frames, O is another tenant whose valid frames must not suffer, R calls REST.
import { FuzzSocket } from './agent-socket.mjs';
import { must, request } from './http-client.mjs';
import { operations, PASSWORD } from './rest-mutations.mjs';
import { Rng } from './random.mjs';

async function signup(baseUrl, name, rng) {
  const email = `fuzz-${name.toLowerCase()}-${rng.hex(10)}@example.test`;
  const { accessToken, organization } = await must(baseUrl, 'POST', '/api/auth/signup', { body: { email, password: PASSWORD, organization: `Fuzz ${name} ${rng.hex(4)}` } });
  const viewerEmail = `viewer-${rng.hex(10)}@example.test`;
  await must(baseUrl, 'POST', '/api/users', { token: accessToken, body: { email: viewerEmail, password: PASSWORD, role: 'viewer' } });
  const { accessToken: viewerToken } = await must(baseUrl, 'POST', '/api/auth/login', { body: { email: viewerEmail, password: PASSWORD } });
  return { name, email, token: accessToken, viewerToken, organizationId: organization.id, ids: { hostId: [], containerId: [], commandId: [] }, harvested: new Map() };
}

async function enroll(baseUrl, tenant, name) {
  const { host, enrollmentToken } = await must(baseUrl, 'POST', '/api/hosts', { token: tenant.token, body: { name } });
  const { agentToken } = await must(baseUrl, 'POST', '/api/agent/enroll', { body: { enrollmentToken, hostname: `${name}.fuzz`, agentVersion: 'fuzz' } });
  tenant.ids.hostId.push(host.id);
  return { name, hostId: host.id, agentToken, tenant, pool: [], lock: Promise.resolve() };
}

/** Sends a frame on a host's socket and insists on its ack (setup only). */
async function acked(host, frame) {
  const seq = host.socket.nextSeq({ chance: () => false });
  const { answer } = await host.socket.sendSequenced(seq, JSON.stringify({ ...frame, seq }), 60_000);
  if (answer?.type !== 'ack') throw new Error(`setup frame ${frame.type} on ${host.name} not acknowledged: ${JSON.stringify(answer)}`);
}

/** Gives `host` a pool of containers only control frames write to, and learns their API ids. */
async function pool(baseUrl, host, rng) {
  const dockerIds = Array.from({ length: 3 }, () => rng.hex(64));
  const data = dockerIds.map((dockerId) => ({ dockerId, name: `pool-${dockerId.slice(0, 8)}`, image: 'fuzz:1', state: 'running' }));
  await acked(host, { type: 'containers', data });
  const list = await must(baseUrl, 'GET', `/api/hosts/${host.hostId}/containers`, { token: host.tenant.token });
  host.pool = dockerIds.map((dockerId) => ({ dockerId, apiId: list.find((c) => c.dockerId === dockerId).id }));
  host.tenant.ids.containerId.push(...host.pool.map((c) => c.apiId));
}

async function command(baseUrl, tenant, containerId) {
  const { commandId } = await must(baseUrl, 'POST', `/api/containers/${containerId}/actions`, { token: tenant.token, body: { action: 'restart' } });
  tenant.ids.commandId.push(commandId);
  return commandId;
}

export async function buildWorld(baseUrl, seed) {
  const rng = new Rng(seed ^ 0x5eed);
  const [F, O, R] = [await signup(baseUrl, 'F', rng), await signup(baseUrl, 'O', rng), await signup(baseUrl, 'R', rng)];
  const main = [];
  for (let i = 0; i < 3; i++) main.push(await enroll(baseUrl, F, `main-${i}`));
  const [raw, big, other, rest] = [await enroll(baseUrl, F, 'no-seq'), await enroll(baseUrl, F, 'size'), await enroll(baseUrl, O, 'other'), await enroll(baseUrl, R, 'rest')];
  const sockets = [];
  const connect = async (host) => {
    host.socket = await FuzzSocket.open(baseUrl, host.agentToken, host.name);
    sockets.push(host.socket);
    return host.socket;
  };
  for (const host of [...main, raw, big, other, rest]) await connect(host);
  for (const host of [...main, other, rest]) await pool(baseUrl, host, rng);
  // Agent routes called by REST cases never use the main hosts' tokens: their inventories are verified.
  F.agentToken = raw.agentToken;
  O.agentToken = other.agentToken;
  R.agentToken = rest.agentToken;
  await command(baseUrl, R, rest.pool[0].apiId);
  await command(baseUrl, O, other.pool[0].apiId);
  await command(baseUrl, F, main[0].pool[0].apiId);
  const doc = await must(baseUrl, 'GET', '/docs-json');
  const enrollmentTokens = [];
  for (let i = 0; i < 5; i++) enrollmentTokens.push((await must(baseUrl, 'POST', '/api/hosts', { token: R.token, body: { name: `spare-${i}` } })).enrollmentToken);
  return {
    tenants: { F, O, R }, main, raw, big, other, rest, sockets, connect, operations: operations(doc), enrollmentTokens,
    noiseIds: [rng.hex(64), rng.hex(64), rng.hex(12), rng.hex(64)],
    async disposableHost(tenant) {
      const res = await request(baseUrl, 'POST', '/api/hosts', { token: tenant.token, body: { name: `disposable-${rng.hex(6)}` } });
      return res.json?.host?.id ?? '00000000-0000-4000-8000-000000000000';
    },
  };
}

/**
 * Runs `work` while holding the host's lock (inventory snapshots and hello are read back in order,
 * frames without a seq are paired with their answers in order). The lock is let go after
 * `releaseMs` even if `work` still waits, so one frame that is never answered cannot hold up the rest.
 */
export function withHostLock(host, work, releaseMs) {
  const run = host.lock.then(work, work);
  const released = run.catch(() => {});
  host.lock = releaseMs ? Promise.race([released, new Promise((resolve) => setTimeout(resolve, releaseMs).unref?.())]) : released;
  return run;
}
