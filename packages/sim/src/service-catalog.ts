/**
 * What simulated containers run: a handful of services as seen on real Docker hosts, each with
 * its image, command, ports, typical resource use, log lines and processes, so that a dashboard
 * fed by the simulator looks like a dashboard fed by a real fleet.
 */
export interface ServiceTemplate {
  service: string;
  image: string;
  command: string;
  ports: { privatePort: number; publicPort?: number; type: 'tcp' | 'udp' }[];
  /** Typical CPU (percent of one core) and resident memory (bytes) to random-walk around. */
  cpu: number;
  memory: number;
  /** Log lines; `{n}` becomes a small random number, `{id}` a random hex id. */
  logs: string[];
  /** Share of lines written to stderr. */
  stderrShare: number;
  /** Process names inside the container: [name, command]. */
  processes: [string, string][];
  /** Whether the image declares a HEALTHCHECK (the engine then reports `health`). */
  healthcheck?: boolean;
}

const MiB = 1024 * 1024;

export const SERVICES: ServiceTemplate[] = [
  {
    service: 'web',
    healthcheck: true,
    image: 'nginx:1.27-alpine',
    command: 'nginx -g daemon off;',
    ports: [{ privatePort: 80, publicPort: 8080, type: 'tcp' }],
    cpu: 3,
    memory: 24 * MiB,
    logs: [
      '10.0.{n}.{n} - - "GET /api/orders?page={n} HTTP/1.1" 200 {n}{n} "-" "Mozilla/5.0"',
      '10.0.{n}.{n} - - "GET /static/app.{id}.js HTTP/1.1" 304 0 "-" "Mozilla/5.0"',
      '10.0.{n}.{n} - - "POST /api/checkout HTTP/1.1" 201 {n}{n} "-" "okhttp/4.12.0"',
      '[warn] {n}#{n}: *{n}{n} upstream response is buffered to a temporary file',
    ],
    stderrShare: 0.1,
    processes: [['nginx', 'nginx: master process nginx -g daemon off;'], ['nginx', 'nginx: worker process']],
  },
  {
    service: 'api',
    healthcheck: true,
    image: 'ghcr.io/acme/orders-api:2.14.3',
    command: 'node dist/main.js',
    ports: [{ privatePort: 3000, type: 'tcp' }],
    cpu: 18,
    memory: 180 * MiB,
    logs: [
      '{"level":"info","msg":"request completed","method":"GET","path":"/orders/{n}","status":200,"ms":{n}}',
      '{"level":"info","msg":"order created","orderId":"{id}","items":{n}}',
      '{"level":"warn","msg":"slow query","table":"orders","ms":{n}{n}}',
      '{"level":"error","msg":"payment provider timeout","attempt":{n},"traceId":"{id}"}',
    ],
    stderrShare: 0.15,
    processes: [['node', 'node dist/main.js']],
  },
  {
    service: 'worker',
    image: 'ghcr.io/acme/orders-worker:2.14.3',
    command: 'python -m worker --queue orders',
    ports: [],
    cpu: 25,
    memory: 120 * MiB,
    logs: [
      'INFO  worker: job {id} done in {n}.{n}s',
      'INFO  worker: picked up job {id} from queue orders',
      'WARNING worker: retrying job {id} (attempt {n})',
    ],
    stderrShare: 0.3,
    processes: [['python', 'python -m worker --queue orders'], ['python', 'python -m worker --queue orders (child)']],
  },
  {
    service: 'db',
    healthcheck: true,
    image: 'postgres:17.2',
    command: 'postgres -c shared_buffers=256MB',
    ports: [{ privatePort: 5432, type: 'tcp' }],
    cpu: 8,
    memory: 320 * MiB,
    logs: [
      'LOG:  checkpoint starting: time',
      'LOG:  checkpoint complete: wrote {n}{n} buffers ({n}.{n}%); write={n}.{n} s',
      'LOG:  duration: {n}{n}.{n} ms  statement: SELECT * FROM orders WHERE id = ${n}',
      'LOG:  automatic vacuum of table "app.public.orders": index scans: {n}',
    ],
    stderrShare: 1,
    processes: [
      ['postgres', 'postgres -c shared_buffers=256MB'],
      ['postgres', 'postgres: checkpointer'],
      ['postgres', 'postgres: background writer'],
      ['postgres', 'postgres: walwriter'],
      ['postgres', 'postgres: autovacuum launcher'],
    ],
  },
  {
    service: 'cache',
    image: 'redis:7.4-alpine',
    command: 'redis-server --appendonly yes',
    ports: [{ privatePort: 6379, type: 'tcp' }],
    cpu: 2,
    memory: 40 * MiB,
    logs: ['1:M * {n}{n} changes in 60 seconds. Saving...', '1:M * Background saving started by pid {n}{n}', '1:M * DB saved on disk'],
    stderrShare: 0,
    processes: [['redis-server', 'redis-server *:6379']],
  },
  {
    service: 'queue',
    image: 'rabbitmq:4.0-management',
    command: 'rabbitmq-server',
    ports: [{ privatePort: 5672, type: 'tcp' }, { privatePort: 15672, publicPort: 15672, type: 'tcp' }],
    cpu: 6,
    memory: 150 * MiB,
    logs: ['[info] <0.{n}{n}.0> accepting AMQP connection 10.0.{n}.{n}:{n}{n}', '[info] <0.{n}{n}.0> closing AMQP connection (vhost: /)'],
    stderrShare: 0,
    processes: [['beam.smp', '/usr/lib/erlang/erts/bin/beam.smp -- -root /usr/lib/erlang'], ['epmd', 'epmd -daemon']],
  },
  {
    service: 'metrics',
    image: 'prom/prometheus:v3.1.0',
    command: '/bin/prometheus --config.file=/etc/prometheus/prometheus.yml',
    ports: [{ privatePort: 9090, publicPort: 9090, type: 'tcp' }],
    cpu: 4,
    memory: 90 * MiB,
    logs: ['ts=now caller=compact.go level=info msg="write block" duration={n}{n}ms', 'ts=now caller=head.go level=info msg="Head GC completed" duration={n}ms'],
    stderrShare: 1,
    processes: [['prometheus', '/bin/prometheus --config.file=/etc/prometheus/prometheus.yml']],
  },
];

/** Host-level processes every simulated host runs besides its containers'. */
export const HOST_PROCESSES: [string, string, string][] = [
  ['systemd', '/sbin/init', 'root'],
  ['dockerd', '/usr/bin/dockerd -H fd:// --containerd=/run/containerd/containerd.sock', 'root'],
  ['containerd', '/usr/bin/containerd', 'root'],
  ['sshd', 'sshd: /usr/sbin/sshd -D [listener]', 'root'],
  ['journald', '/lib/systemd/systemd-journald', 'root'],
  ['cron', '/usr/sbin/cron -f', 'root'],
  ['node_exporter', '/usr/local/bin/node_exporter', 'nobody'],
  ['dockpulse-agent', '/usr/local/bin/dockpulse-agent run', 'root'],
];
