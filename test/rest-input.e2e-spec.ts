import { enrolledHost, PASSWORD, signup, uniqueEmail, type Tenant } from './support/factories.js';
import { container, dockerId } from './support/telemetry.js';
import { startTestApp, type TestApp } from './support/test-app.js';

/** JSON text nested `depth` levels deep, built as text (JSON.stringify of it would recurse that deep). */
const deepArray = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${'}'.repeat(depth)}`;
/** A lone (unpaired) UTF-16 surrogate, as a JSON escape: valid JSON, not valid Unicode text. */
const LONE = '\\ud800';

describe('REST input that used to answer 500', () => {
  let t: TestApp;
  let owner: Tenant;
  let agent: string;
  let containerId: string;
  beforeAll(async () => {
    t = await startTestApp();
    owner = await signup(t);
    const host = await enrolledHost(t, owner);
    agent = host.agentToken;
    await t.http().post('/api/agent/containers').auth(agent, { type: 'bearer' }).send([container(dockerId())]).expect(200);
    containerId = (await t.http().get(`/api/hosts/${host.hostId}/containers`).auth(owner.token, { type: 'bearer' }).expect(200)).body[0].id;
  });
  afterAll(() => t.close());

  const post = (path: string, token: string | undefined, body: string) => {
    const req = t.http().post(path).set('content-type', 'application/json');
    return (token ? req.auth(token, { type: 'bearer' }) : req).send(body);
  };
  const jsonPosts = (): Array<[string, string | undefined]> => [
    ['/api/auth/signup', undefined],
    ['/api/auth/login', undefined],
    ['/api/users', owner.token],
    ['/api/hosts', owner.token],
    ['/api/agent/enroll', undefined],
    ['/api/agent/containers', agent],
    ['/api/agent/ingest', agent],
    [`/api/containers/${containerId}/actions`, owner.token],
  ];

  it('answers 400 naming the depth to 5,000-deep JSON bodies on every JSON POST', async () => {
    for (const [path, token] of jsonPosts()) {
      for (const [shape, body] of [
        ['array', deepArray(5_000)],
        ['object', deepObject(5_000)],
        ['field', `{"email": ${deepArray(5_000)}, "name": ${deepObject(5_000)}}`],
      ]) {
        const res = await post(path, token, body);
        expect({ path, shape, status: res.status }).toEqual({ path, shape, status: 400 });
        if (path === '/api/agent/ingest') {
          // Agent frames over REST are answered as on the socket: the contract's error frame.
          expect(res.body).toMatchObject({ type: 'error', code: 'invalid_message' });
        } else {
          expect(res.body).toMatchObject({ statusCode: 400, error: 'Bad Request', message: expect.stringMatching(/nested deeper than \d+ levels/) });
        }
      }
    }
  });

  it('still accepts ordinary nesting', async () => {
    const frame = { seq: 1, type: 'containers', data: [container(dockerId(), { labels: { a: 'b' } })] };
    await post('/api/agent/ingest', agent, JSON.stringify(frame)).expect(200, { type: 'ack', seq: 1 });
  });

  it.each([
    ['signup email', '/api/auth/signup', 'owner', `{"email": "a${LONE}@example.test", "password": "${PASSWORD}", "organization": "X"}`, 'email'],
    ['signup organization', '/api/auth/signup', 'owner', `{"email": "${uniqueEmail()}", "password": "${PASSWORD}", "organization": "X${LONE}"}`, 'organization'],
    ['signup password', '/api/auth/signup', 'owner', `{"email": "${uniqueEmail()}", "password": "${PASSWORD}${LONE}", "organization": "X"}`, 'password'],
    ['login email', '/api/auth/login', 'none', `{"email": "a${LONE}@example.test", "password": "${PASSWORD}"}`, 'email'],
    ['login password', '/api/auth/login', 'none', `{"email": "${uniqueEmail()}", "password": "x\\u0000y${LONE}"}`, 'password'],
    ['user email', '/api/users', 'owner', `{"email": "a${LONE}@example.test", "password": "${PASSWORD}", "role": "viewer"}`, 'email'],
    ['user email with NUL', '/api/users', 'owner', `{"email": "a\\u0000b@example.test", "password": "${PASSWORD}", "role": "viewer"}`, 'email'],
    ['host name', '/api/hosts', 'owner', `{"name": "web${LONE}"}`, 'name'],
    ['enroll token', '/api/agent/enroll', 'none', `{"enrollmentToken": "dpe_${LONE}", "hostname": "h", "agentVersion": "1"}`, 'enrollmentToken'],
    ['enroll hostname', '/api/agent/enroll', 'none', `{"enrollmentToken": "dpe_x", "hostname": "h${LONE}", "agentVersion": "1"}`, 'hostname'],
    ['enroll agent version', '/api/agent/enroll', 'none', `{"enrollmentToken": "dpe_x", "hostname": "h", "agentVersion": "1${LONE}"}`, 'agentVersion'],
    ['action', 'actions', 'owner', `{"action": "start${LONE}"}`, 'action'],
  ])('answers 400 naming the field for a lone surrogate or NUL in %s', async (_, path, who, body, field) => {
    const url = path === 'actions' ? `/api/containers/${containerId}/actions` : path;
    const res = await post(url, who === 'owner' ? owner.token : undefined, body);
    expect({ status: res.status, body: res.body }).toMatchObject({ status: 400, body: { statusCode: 400, error: 'Bad Request' } });
    expect([res.body.message].flat().join('\n')).toMatch(new RegExp(`^${field} `, 'm'));
  });
});
