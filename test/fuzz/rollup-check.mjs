// After the run: the per-minute buckets of every control series hold exactly the samples of the
// control frames that were acknowledged (count, max CPU, max memory), whatever the fuzzed frames
// did to the rollups of their own series.
import { request } from './http-client.mjs';

const iso = (ms) => new Date(ms).toISOString();

export async function checkRollups(world, ledger, report, baseUrl) {
  const expected = new Map();
  for (const bucket of ledger.perMinute.values()) {
    if (ledger.uncertain.has(`${bucket.series} ${bucket.minute}`)) continue;
    if (!expected.has(bucket.series)) expected.set(bucket.series, new Map());
    expected.get(bucket.series).set(iso(bucket.minute), bucket);
  }
  const range = `bucket=1m&from=${iso(ledger.base)}&to=${iso(ledger.end + 60_000)}&limit=5000`;
  for (const host of [...world.main, world.other]) {
    const series = [...host.pool.map((c) => ({ id: c.apiId, path: `/api/containers/${c.apiId}/metrics` })), { id: host.hostId, path: `/api/hosts/${host.hostId}/metrics` }];
    for (const { id, path } of series) {
      const want = expected.get(id);
      if (!want) continue;
      const res = await request(baseUrl, 'GET', `${path}?${range}`, { token: host.tenant.token, timeoutMs: 60_000 });
      const where = `per-minute buckets of control series on ${host === world.other ? 'the other tenant' : 'the fuzzed tenant'}`;
      if (res.status !== 200 || !Array.isArray(res.json)) {
        report.fail(res.status >= 500 ? 'http5xx' : 'storedWrong', `${where}: read answered ${res.status}`, `GET ${path}?${range} → ${res.status} ${res.text?.slice(0, 300) ?? res.error}`, -1);
        continue;
      }
      const got = new Map(res.json.map((bucket) => [bucket.ts, bucket]));
      for (const [ts, bucket] of want) {
        report.count('buckets checked');
        const actual = got.get(ts);
        const same = actual && actual.samples === bucket.samples && actual.cpu?.max === bucket.cpuMax && actual.memory?.max === bucket.memoryMax;
        if (!same) {
          const shown = actual ? { samples: actual.samples, cpuMax: actual.cpu?.max, memoryMax: actual.memory?.max } : 'no bucket';
          report.fail('storedWrong', `${where}: bucket differs`, `${path} bucket ${ts}: expected ${JSON.stringify({ samples: bucket.samples, cpuMax: bucket.cpuMax, memoryMax: bucket.memoryMax })}, got ${JSON.stringify(shown)}`, -1);
        }
      }
      for (const [ts, actual] of got) {
        if (!want.has(ts) && !ledger.uncertain.has(`${id} ${Date.parse(ts)}`)) {
          report.fail('storedWrong', `${where}: bucket no acknowledged frame wrote`, `${path} bucket ${ts}: ${JSON.stringify(actual).slice(0, 200)}`, -1);
        }
      }
    }
  }
}
