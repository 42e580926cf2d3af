import { addUser, signup, type Tenant } from './support/factories.js';
import { startIsolatedTestApp } from './support/isolated-app.js';
import type { TestApp } from './support/test-app.js';

/** Storage health and the retention run are the instance's business: the first organization's owners and admins. */
describe('instance operators', () => {
  let t: TestApp;
  let instance: Tenant;
  let tenant: Tenant;
  beforeAll(async () => {
    t = await startIsolatedTestApp({ SIGNUP_ENABLED: 'true' });
    instance = await signup(t, 'The instance');
    tenant = await signup(t, 'A customer');
  });
  afterAll(() => t.close());

  const health = (token: string) => t.http().get('/api/storage/health').auth(token, { type: 'bearer' });
  const retention = (token: string) => t.http().post('/api/storage/retention/run').auth(token, { type: 'bearer' });

  it("let the first organization's owner and admins read storage health and run retention", async () => {
    const admin = await addUser(t, instance, 'admin');
    for (const token of [instance.token, admin]) {
      expect(Object.keys((await health(token).expect(200)).body)).toEqual(expect.arrayContaining(['databaseSizeBytes', 'tables']));
      expect((await retention(token).expect(200)).body).toHaveProperty('droppedPartitions');
    }
  });

  it("refuse the first organization's operators and viewers", async () => {
    for (const role of ['operator', 'viewer'] as const) {
      const token = await addUser(t, instance, role);
      await health(token).expect(403);
      await retention(token).expect(403);
    }
  });

  it("refuse every other organization, its owner and admins included, with a message saying who may", async () => {
    for (const token of [tenant.token, await addUser(t, tenant, 'admin')]) {
      const refused = await health(token).expect(403);
      expect(refused.body.message).toMatch(/instance operators/);
      await retention(token).expect(403);
    }
  });

  it('refuse callers without a user token', async () => {
    await t.http().get('/api/storage/health').expect(401);
    await t.http().post('/api/storage/retention/run').expect(401);
  });
});
