-- Per-minute rollups of container and host metrics, kept for RETENTION_ROLLUPS (longer than the raw
-- samples) so long-range charts read one row per minute instead of sixty. Range-partitioned by ts
-- (one partition per UTC day, created by the PartitionManager, dropped by retention) like the raw
-- tables. Every row is recomputed from raw samples (never incremented), so the natural key makes a
-- replay or a late sample an idempotent upsert. Counter columns hold the sum of per-sample deltas
-- in the minute, with a counter reset counted as a new series starting from zero.
--
-- The primary keys INCLUDE what the bucketed reads aggregate: one series' minutes are spread one
-- per heap page (every minute writes a row per series), so without it a week of one container
-- reads ~10,000 heap pages; with it an index-only scan reads ~150 index pages.

CREATE TABLE "container_metrics_1m" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_sum" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "memory_sum" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_limit" BIGINT NOT NULL,
    "network_rx" BIGINT NOT NULL,
    "network_tx" BIGINT NOT NULL,
    "block_read" BIGINT NOT NULL,
    "block_write" BIGINT NOT NULL,
    "pids_max" INTEGER NOT NULL,
    CONSTRAINT "container_metrics_1m_pkey" PRIMARY KEY ("container_id", "ts")
        INCLUDE ("samples", "cpu_sum", "cpu_max", "memory_sum", "memory_max", "network_rx", "network_tx", "block_read", "block_write")
) PARTITION BY RANGE ("ts");

CREATE TABLE "host_metrics_1m" (
    "host_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_sum" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "load1_sum" DOUBLE PRECISION NOT NULL,
    "load5_sum" DOUBLE PRECISION NOT NULL,
    "load15_sum" DOUBLE PRECISION NOT NULL,
    "memory_sum" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_total" BIGINT NOT NULL,
    "disk_used_last" BIGINT NOT NULL,
    "disk_used_max" BIGINT NOT NULL,
    "disk_total" BIGINT NOT NULL,
    "network_rx" BIGINT NOT NULL,
    "network_tx" BIGINT NOT NULL,
    CONSTRAINT "host_metrics_1m_pkey" PRIMARY KEY ("host_id", "ts")
        INCLUDE ("samples", "cpu_sum", "cpu_max", "load1_sum", "load5_sum", "load15_sum", "memory_sum", "memory_max",
                 "memory_total", "disk_used_last", "disk_used_max", "disk_total", "network_rx", "network_tx")
) PARTITION BY RANGE ("ts");
