-- Time-series tables, range-partitioned by ts. Partitions (one per UTC day) are created ahead of
-- time by the PartitionManager, and expiring data is dropping a partition, never a DELETE.
-- No foreign keys: the hot path must not pay for them, and rows of a deleted host simply age out.

CREATE TABLE "container_metrics" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "cpu_percent" DOUBLE PRECISION NOT NULL,
    "memory_used" BIGINT NOT NULL,
    "memory_limit" BIGINT NOT NULL,
    "network_rx" BIGINT NOT NULL,
    "network_tx" BIGINT NOT NULL,
    "block_read" BIGINT NOT NULL,
    "block_write" BIGINT NOT NULL,
    "pids" INTEGER NOT NULL,
    CONSTRAINT "container_metrics_pkey" PRIMARY KEY ("container_id", "ts")
) PARTITION BY RANGE ("ts");
CREATE INDEX "container_metrics_host_id_ts_idx" ON "container_metrics"("host_id", "ts");

CREATE TABLE "host_metrics" (
    "host_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "cpu_percent" DOUBLE PRECISION NOT NULL,
    "load1" DOUBLE PRECISION NOT NULL,
    "load5" DOUBLE PRECISION NOT NULL,
    "load15" DOUBLE PRECISION NOT NULL,
    "memory_used" BIGINT NOT NULL,
    "memory_total" BIGINT NOT NULL,
    "disk_used" BIGINT NOT NULL,
    "disk_total" BIGINT NOT NULL,
    "network_rx" BIGINT NOT NULL,
    "network_tx" BIGINT NOT NULL,
    CONSTRAINT "host_metrics_pkey" PRIMARY KEY ("host_id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "container_logs" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "nanos" INTEGER NOT NULL DEFAULT 0,
    "stream" TEXT NOT NULL,
    "line" TEXT NOT NULL,
    "truncated" BOOLEAN NOT NULL DEFAULT false,
    "line_hash" UUID NOT NULL,
    CONSTRAINT "container_logs_pkey" PRIMARY KEY ("container_id", "ts", "nanos", "stream", "line_hash")
) PARTITION BY RANGE ("ts");
CREATE INDEX "container_logs_host_id_ts_idx" ON "container_logs"("host_id", "ts");

CREATE TABLE "process_samples" (
    "host_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "pid" INTEGER NOT NULL,
    "ppid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "command" TEXT NOT NULL,
    "user" TEXT NOT NULL,
    "cpu_percent" DOUBLE PRECISION NOT NULL,
    "memory_rss" BIGINT NOT NULL,
    "memory_percent" DOUBLE PRECISION NOT NULL,
    "threads" INTEGER NOT NULL,
    "state" TEXT NOT NULL,
    CONSTRAINT "process_samples_pkey" PRIMARY KEY ("host_id", "ts", "pid")
) PARTITION BY RANGE ("ts");
