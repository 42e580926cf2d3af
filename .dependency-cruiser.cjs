// The import graph of the server (src/): no cycles, and no folder imports a folder of its own or a
// higher layer. `npm run lint:layers` checks it; test/layers.e2e-spec.ts makes CI fail on an arrow
// that points up. A module may import anything in a lower layer and anything in its own folder.
// Two folders in one layer are independent: when one needs the other, give it a layer above.

/** From the bottom up. */
const LAYERS = [
  // Validated environment and durations: reads nothing of the service.
  ['config'],
  // SqlClient (pg / PGlite), Prisma, migrator, partitions, what a database error means; the Redis connection.
  ['database', 'redis'],
  // Cross-cutting pieces: validation decorators, the fast validator, filters, guards' decorators, logger, intervals.
  ['common'],
  // Infrastructure every feature may use: tokens, the event bus, the batching buffer and its bulk
  // sink, tenant access checks, the time-series kit (range queries, buckets, windows, counters).
  ['tokens', 'events', 'buffer', 'access', 'time-series'],
  // The gap ledger (agent connections, refused frames): written by ingest and the transport, kept as long as the rollups.
  ['gap-ledger'],
  // The agent frame spine: protocol types, kind descriptions (describeKind, @HandlesKind), the registry
  // that finds handlers, processor, validation, rate limits, SeriesKindHandler and TelemetryKinds.
  ['ingest'],
  // The abstraction of this instance's agent sockets (implemented by agent/, used by commands and storage).
  ['agent-links'],
  // Features that depend on no other feature. Rollups are read by the metrics features.
  ['users', 'hosts', 'rollups'],
  // Features built on those: auth checks users and agent hosts; containers belong to hosts.
  ['auth', 'containers'],
  // Telemetry kinds and actions: they resolve containers and read rollups. Notification channels
  // (their senders, secrets and the SSRF rule) sit here too: they need users and auth only. Gaps read
  // the rollups and the gap ledger.
  ['metrics', 'host-metrics', 'logs', 'processes', 'commands', 'container-events', 'notifications', 'gaps'],
  // Alerts: rules evaluated on what those features accept, notifications sent through their channels.
  ['alerts'],
  // The edges: operations (storage, health), dashboards (live, web), the agent transport.
  ['storage', 'health', 'live', 'agent', 'web'],
];

const folders = (layers) => layers.flat().join('|');

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      comment: 'Modules that need each other cannot be understood, tested or moved one at a time.',
      severity: 'error',
      from: {},
      to: { circular: true },
    },
    ...LAYERS.map((layer, index) => ({
      name: `no-upward-import-from-${layer[0]}-layer`,
      comment: `A module of ${layer.join(', ')} imports a folder of its own layer or above: ${folders(LAYERS.slice(index))}.`,
      severity: 'error',
      from: { path: `^src/(${layer.join('|')})/` },
      to: { path: `^src/(${folders(LAYERS.slice(index))})/`, pathNot: '^src/$1/' },
    })),
    {
      name: 'no-import-of-the-root',
      comment: 'app.module.ts, app.setup.ts and main.ts assemble the service: nothing below imports them.',
      severity: 'error',
      from: { path: '^src/[^/]+/' },
      to: { path: '^src/[^/]+\\.ts$' },
    },
    {
      name: 'every-folder-has-a-layer',
      comment: 'A folder of src/ missing from LAYERS in .dependency-cruiser.cjs: give it its place in the order.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^src/[^/]+/', pathNot: `^src/(${folders(LAYERS)})/` },
    },
  ],
  options: {
    // The agent and simulator are separate programs; generated code is Prisma's; specs may exercise the layers above what they test.
    exclude: { path: '^src/(cli|generated)/|\\.spec\\.ts$' },
    doNotFollow: { path: 'node_modules' },
    // Type-only imports are arrows too.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
  },
};
