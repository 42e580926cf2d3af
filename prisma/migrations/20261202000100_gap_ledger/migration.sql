-- The gap ledger: what explains a minute without data (docs/gaps.md). agent_connections holds every
-- agent connection (a socket, or a run of HTTP frames) with the instance that held it; an open row
-- whose last_seen_at is stale belongs to an instance that died, and counts as ended then.
-- ingest_refusals counts, per host, frame type and minute, the frames answered with an error;
-- data_presence says which minutes have data (below).
-- No foreign key to hosts: the writers batch many hosts per statement, and one deleted host must not
-- fail the others' rows; retention prunes all three after RETENTION_ROLLUPS.

CREATE TABLE "agent_connections" (
    "id" UUID NOT NULL,
    "host_id" UUID NOT NULL,
    "instance_id" TEXT NOT NULL,
    "transport" TEXT NOT NULL,
    "connected_at" TIMESTAMPTZ(3) NOT NULL,
    "disconnected_at" TIMESTAMPTZ(3),
    "last_seen_at" TIMESTAMPTZ(3) NOT NULL,
    CONSTRAINT "agent_connections_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "agent_connections_host_id_connected_at_idx" ON "agent_connections" ("host_id", "connected_at");
CREATE INDEX "agent_connections_last_seen_at_idx" ON "agent_connections" ("last_seen_at");

CREATE TABLE "ingest_refusals" (
    "host_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "minute" TIMESTAMPTZ(3) NOT NULL,
    "frames" INTEGER NOT NULL,
    "rows" INTEGER NOT NULL,
    "last_code" TEXT NOT NULL,
    CONSTRAINT "ingest_refusals_pkey" PRIMARY KEY ("host_id", "kind", "minute")
);
CREATE INDEX "ingest_refusals_minute_idx" ON "ingest_refusals" ("minute");

-- data_presence: which minutes of each UTC hour have samples of a kind from a host (bit n = minute n;
-- for containers, any container of the host), OR-ed in from committed rows, so that several
-- instances and resent frames only ever set bits. A month of one host is 720 rows per kind, where
-- the per-minute rollups hold 43,200 (and 43,200 per container): the gaps read this instead.
CREATE TABLE "data_presence" (
    "host_id" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "minutes" BIGINT NOT NULL,
    CONSTRAINT "data_presence_pkey" PRIMARY KEY ("host_id", "kind", "hour")
);
CREATE INDEX "data_presence_hour_idx" ON "data_presence" ("hour");

-- What is already rolled up, so gaps do not claim that the history before this migration is missing.
INSERT INTO "data_presence" ("host_id", "kind", "hour", "minutes")
SELECT "host_id", 'host_metrics', date_trunc('hour', "ts" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       bit_or((1::int8) << extract(minute FROM "ts" AT TIME ZONE 'UTC')::int)
FROM "host_metrics_1m" GROUP BY 1, 3;
INSERT INTO "data_presence" ("host_id", "kind", "hour", "minutes")
SELECT "host_id", 'container_metrics', date_trunc('hour', "ts" AT TIME ZONE 'UTC') AT TIME ZONE 'UTC',
       bit_or((1::int8) << extract(minute FROM "ts" AT TIME ZONE 'UTC')::int)
FROM "container_metrics_1m" GROUP BY 1, 3;
