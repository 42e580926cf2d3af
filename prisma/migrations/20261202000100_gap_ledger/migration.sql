-- The gap ledger: what explains a minute without data (docs/gaps.md). agent_connections holds every
-- agent connection (a socket, or a run of HTTP frames) with the instance that held it; an open row
-- whose last_seen_at is stale belongs to an instance that died, and counts as ended then.
-- ingest_refusals counts, per host, frame type and minute, the frames answered with an error.
-- No foreign key to hosts: the writers batch many hosts per statement, and one deleted host must not
-- fail the others' rows; retention prunes both tables after RETENTION_ROLLUPS.

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

-- Whether any container of a host has a minute: without it, the gaps of a host read every container's
-- rows through a join on containers.
CREATE INDEX "container_metrics_1m_host_id_ts_idx" ON "container_metrics_1m" ("host_id", "ts");
