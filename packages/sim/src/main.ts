import { parseArgs } from 'node:util';
import { causeIncidents, hasIncidents } from './cli-incidents.js';
import { parseDuration } from './duration.js';
import { SimulatedFleet } from './fleet.js';
import { progressLine, summary } from './report.js';

const USAGE = `Usage: dockpulse-sim [options]

Simulates a fleet of Docker hosts streaming telemetry to a DockPulse server.

  --server <url>       API base URL (default http://127.0.0.1:3000)
  --hosts <n>          simulated hosts (default 10)
  --containers <n>     containers per host (default 5)
  --interval <d>       time between telemetry rounds (default 5s)
  --window <n>         most unacknowledged frames per host (default 16)
  --crash-chance <p>   chance per container and interval that it crashes and restarts,
                       sent as container_events (default 0)
  --crash-loop <glob>  containers whose name matches (\`*-api-*\`, or \`<host>/<name>\`) crash-loop:
                       die with exit code 1 one round, restarted the next (repeatable)
  --oom <glob>         matching containers climb to their memory limit and are OOM-killed (repeatable)
  --unhealthy <glob>   matching containers with a healthcheck turn unhealthy (repeatable)
  --incidents-after <d>  when those start, after the fleet is enrolled (default 10s)
  --email <email>      log in as this user (signed up if unknown); default: a fresh organization
  --password <pw>      password for --email
  --token <jwt>        use this user access token instead of logging in
  --duration <d>       run this long, then stop (default: until Ctrl-C)
  --progress <d>       time between progress lines (default 5s)
  -h, --help

Durations: 500ms, 5s, 2m, 1h; a bare number is milliseconds.`;

const positive = (text: string, flag: string, min = 1): number => {
  const value = Number(text);
  if (!Number.isInteger(value) || value < min) throw new Error(`${flag} must be an integer >= ${min} (got ${JSON.stringify(text)})`);
  return value;
};

const probability = (text: string, flag: string): number => {
  const value = Number(text);
  if (!(text.trim() !== '' && value >= 0 && value <= 1)) throw new Error(`${flag} must be a number from 0 to 1 (got ${JSON.stringify(text)})`);
  return value;
};

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      server: { type: 'string', default: 'http://127.0.0.1:3000' },
      hosts: { type: 'string', default: '10' },
      containers: { type: 'string', default: '5' },
      interval: { type: 'string', default: '5s' },
      window: { type: 'string', default: '16' },
      'crash-chance': { type: 'string', default: '0' },
      'crash-loop': { type: 'string', multiple: true, default: [] },
      oom: { type: 'string', multiple: true, default: [] },
      unhealthy: { type: 'string', multiple: true, default: [] },
      'incidents-after': { type: 'string', default: '10s' },
      email: { type: 'string' },
      password: { type: 'string' },
      token: { type: 'string' },
      duration: { type: 'string' },
      progress: { type: 'string', default: '5s' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) return console.log(USAGE);
  if (values.email && !values.password) throw new Error('--email needs --password');
  const fleet = new SimulatedFleet({
    server: values.server,
    hosts: positive(values.hosts, '--hosts'),
    containersPerHost: positive(values.containers, '--containers', 0),
    intervalMs: parseDuration(values.interval, '--interval'),
    window: positive(values.window, '--window'),
    crashChance: probability(values['crash-chance'], '--crash-chance'),
    email: values.email,
    password: values.password,
    userToken: values.token,
    log: (line) => console.warn(line),
  });
  const incidents = { crashLoop: values['crash-loop'], oom: values.oom, unhealthy: values.unhealthy };
  const incidentsAfterMs = parseDuration(values['incidents-after'], '--incidents-after');
  const durationMs = values.duration ? parseDuration(values.duration, '--duration') : undefined;
  const progressMs = parseDuration(values.progress, '--progress');
  const startedAt = Date.now();

  let lastRows = 0;
  let lastAt = startedAt;
  const progress = setInterval(() => {
    const stats = fleet.stats();
    const now = Date.now();
    console.log(progressLine(stats, now - startedAt, ((stats.rowsAcked.total - lastRows) * 1000) / Math.max(1, now - lastAt)));
    [lastRows, lastAt] = [stats.rowsAcked.total, now];
  }, progressMs);

  let incidentTimer: NodeJS.Timeout | undefined;
  let stopping: Promise<void> | undefined;
  const stop = (reason: string) =>
    (stopping ??= (async () => {
      clearInterval(progress);
      clearTimeout(incidentTimer);
      console.log(`${reason}: stopping, waiting for the last answers…`);
      await fleet.stop();
      console.log(summary(fleet.stats(), Date.now() - startedAt));
    })());
  for (const [signal, reason] of [['SIGINT', 'Interrupted'], ['SIGTERM', 'Terminated']] as const) {
    process.once(signal, () => void stop(reason).then(() => process.exit(0)));
  }

  console.log(`Setting up ${values.hosts} hosts × ${values.containers} containers against ${values.server} …`);
  await fleet.start();
  if (hasIncidents(incidents)) {
    console.log(`Incidents start in ${values['incidents-after']}.`);
    incidentTimer = setTimeout(() => causeIncidents(fleet, incidents, (line) => console.log(line)), incidentsAfterMs);
  }
  console.log(`Fleet enrolled; streaming every ${values.interval}${durationMs === undefined ? ' until Ctrl-C' : ` for ${values.duration}`}.`);
  if (durationMs === undefined) return;
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, startedAt + durationMs - Date.now())));
  await stop(`Ran ${values.duration}`);
  process.exit(0);
}

main().catch((error: Error) => {
  console.error(`dockpulse-sim: ${error.message}`);
  process.exit(1);
});
