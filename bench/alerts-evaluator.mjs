// npm run bench:alerts-evaluator: the CPU the metric alert evaluator spends per committed row, in-process and
// without a server or database: the 70 metric rules of bench/alerts.mjs over 1,000 hosts × 10 containers,
// frames of 10 samples a container, as the ingest path hands them over. Compare builds with
// `node bench/alerts-evaluator.mjs <dist directory> [frames per host]` (default ./dist, 40 frames).
import { resolve } from 'node:path';
const root = resolve(process.argv[2] ?? 'dist');
const { parseDuration } = await import(`${root}/config/duration.js`);
const FRAMES = Number(process.argv[3] ?? 40);
const { MetricEvaluator } = await import(`${root}/alerts/engine/metric-evaluator.js`);
const { compileRule } = await import(`${root}/alerts/engine/compiled-rule.js`);
// EPOCH_MS: the number the metrics handler keeps beside `ts` (builds before it have none).
const { isoMillis, EPOCH_MS } = await import(`${root}/common/timestamp.js`);
const HOSTS = 1000, CONTAINERS = 10, SAMPLES = 10, ORG = 'org-1';
const metrics = [['cpuPercent', 400], ['memoryPercent', 95], ['memoryUsed', 8e9], ['networkRxRate', 1e10], ['blockWriteRate', 1e10]];
const fors = ['10s', '30s', '1m', '2m', '5m'];
const scopes = [{}, { containerNames: ['app-*'] }, { labels: { tier: 'web' } }, { containerNames: ['app-*-1', 'app-*-2', 'app-1*'] }, { labels: { 'com.docker.compose.project': 'p3' } }];
const rules = [];
for (let i = 0; i < 70; i++) {
  const [metric, threshold] = metrics[i % metrics.length];
  const f = fors[Math.floor(i / 14) % fors.length];
  rules.push(compileRule({ id: `rule-${i}`, organizationId: ORG, name: `metric ${i}`, severity: 'warning', scope: scopes[Math.floor(i / 5) % scopes.length], condition: { type: 'container_metric', metric, op: '>', threshold: threshold * (1 + (i % 7) / 10), for: f }, windowMs: parseDuration(f), enabled: true, channelIds: [], updatedAt: new Date() }));
}
const ruleBook = { version: 1, of: () => rules, applicable: (_o, _t, facts) => rules.filter((r) => r.matches(facts)), enabledAtStartup: () => false };
const facts = new Map();
const hostIds = Array.from({ length: HOSTS }, (_, h) => `host-${h}`);
const containerIds = hostIds.map((hostId, h) => Array.from({ length: CONTAINERS }, (_, c) => {
  const id = `c-${h}-${c}-${'x'.repeat(20)}`;
  facts.set(id, { id, hostId, organizationId: ORG, hostName: hostId, name: `app-${h}-${c}`, labels: { tier: c % 2 ? 'web' : 'db', 'com.docker.compose.project': `p${h % 5}` }, state: 'running', removed: false });
  return id;
}));
const directory = { ensureContainers: async () => {}, container: (id) => facts.get(id) };
let verdicts = 0;
const lifecycle = { changes: 0, wantedKey: () => false, verdict: () => verdicts++ };
const evaluator = new MetricEvaluator({ onCommitted: () => () => {} }, ruleBook, directory, lifecycle, {});
const start = Date.now() - 2 * 3600_000;
function frame(h, f) {
  const rows = [];
  for (let s = 0; s < SAMPLES; s++) {
    const k = f * SAMPLES + s;
    const ms = start + k * 1000 + h;
    const ts = isoMillis(ms);
    for (let c = 0; c < CONTAINERS; c++) rows.push({ host_id: hostIds[h], container_id: containerIds[h][c], ts, ...(EPOCH_MS && { [EPOCH_MS]: ms }), cpu_percent: 5 + ((k * 7 + c * 13) % 45), memory_used: 2e8 + ((k * 1_000_003) % 5e7), memory_limit: 2e9, network_rx: k * 5000, network_tx: k * 3000, block_read: k * 100, block_write: k * 4096, pids: 7 });
  }
  return rows;
}
// Frames are built beforehand: only the evaluator is timed.
const agents = hostIds.map((hostId) => ({ organizationId: ORG, hostId }));
let rowsDone = 0, cpu = 0;
for (let f = 0; f < FRAMES; f++) {
  const frames = hostIds.map((_, h) => frame(h, f));
  JSON.stringify(frames); // as the insert does: the ts strings are flat afterwards
  const before = process.cpuUsage();
  for (let h = 0; h < HOSTS; h++) await evaluator.containers(agents[h], frames[h]);
  const used = process.cpuUsage(before);
  if (f >= 5) { cpu += used.user + used.system; rowsDone += HOSTS * CONTAINERS * SAMPLES; }
}
console.log(`${root.split('/').slice(-2).join('/')}: ${(cpu / rowsDone).toFixed(3)} µs CPU per row over ${rowsDone} rows (verdicts ${verdicts})`);
