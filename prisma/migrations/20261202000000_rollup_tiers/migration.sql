-- Hourly and daily rollup tiers of container and host metrics (docs/storage.md). Same columns as
-- the per-minute tables; each row folds the finer tier's rows of its hour (≤ 60 minutes) or day
-- (≤ 24 hours): means weighted by samples, maxima of maxima, sums of counter deltas. Kept for
-- RETENTION_ROLLUPS_HOURLY and RETENTION_ROLLUPS_DAILY, range-partitioned by ts in wide partitions
-- (30 and 180 days, created by the PartitionManager) so years of data are tens of partitions.
-- The daily tables' primary keys INCLUDE what bucketed reads aggregate, as for the per-minute
-- tables. The hourly ones do not: there the INCLUDE doubled the on-disk size (measured: 1.3 MB of
-- heap and 1.9 MB of index per container per year, past the 2 MB goal), while a 90-day read is
-- 2,160 rows, whose heap fetches cost little next to a week of minutes (10,080) without it.

CREATE TABLE "container_metrics_1h" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_avg" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "memory_avg" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_limit" BIGINT NOT NULL,
    "network_rx" NUMERIC(40, 0) NOT NULL,
    "network_tx" NUMERIC(40, 0) NOT NULL,
    "block_read" NUMERIC(40, 0) NOT NULL,
    "block_write" NUMERIC(40, 0) NOT NULL,
    "pids_max" INTEGER NOT NULL,
    CONSTRAINT "container_metrics_1h_pkey" PRIMARY KEY ("container_id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "container_metrics_1d" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_avg" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "memory_avg" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_limit" BIGINT NOT NULL,
    "network_rx" NUMERIC(40, 0) NOT NULL,
    "network_tx" NUMERIC(40, 0) NOT NULL,
    "block_read" NUMERIC(40, 0) NOT NULL,
    "block_write" NUMERIC(40, 0) NOT NULL,
    "pids_max" INTEGER NOT NULL,
    CONSTRAINT "container_metrics_1d_pkey" PRIMARY KEY ("container_id", "ts")
        INCLUDE ("samples", "cpu_avg", "cpu_max", "memory_avg", "memory_max", "network_rx", "network_tx", "block_read", "block_write")
) PARTITION BY RANGE ("ts");

CREATE TABLE "host_metrics_1h" (
    "host_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_avg" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "load1_avg" DOUBLE PRECISION NOT NULL,
    "load5_avg" DOUBLE PRECISION NOT NULL,
    "load15_avg" DOUBLE PRECISION NOT NULL,
    "memory_avg" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_total" BIGINT NOT NULL,
    "disk_used_last" BIGINT NOT NULL,
    "disk_used_max" BIGINT NOT NULL,
    "disk_total" BIGINT NOT NULL,
    "network_rx" NUMERIC(40, 0) NOT NULL,
    "network_tx" NUMERIC(40, 0) NOT NULL,
    CONSTRAINT "host_metrics_1h_pkey" PRIMARY KEY ("host_id", "ts")
) PARTITION BY RANGE ("ts");

CREATE TABLE "host_metrics_1d" (
    "host_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(3) NOT NULL,
    "samples" INTEGER NOT NULL,
    "cpu_avg" DOUBLE PRECISION NOT NULL,
    "cpu_max" DOUBLE PRECISION NOT NULL,
    "load1_avg" DOUBLE PRECISION NOT NULL,
    "load5_avg" DOUBLE PRECISION NOT NULL,
    "load15_avg" DOUBLE PRECISION NOT NULL,
    "memory_avg" DOUBLE PRECISION NOT NULL,
    "memory_max" BIGINT NOT NULL,
    "memory_total" BIGINT NOT NULL,
    "disk_used_last" BIGINT NOT NULL,
    "disk_used_max" BIGINT NOT NULL,
    "disk_total" BIGINT NOT NULL,
    "network_rx" NUMERIC(40, 0) NOT NULL,
    "network_tx" NUMERIC(40, 0) NOT NULL,
    CONSTRAINT "host_metrics_1d_pkey" PRIMARY KEY ("host_id", "ts")
        INCLUDE ("samples", "cpu_avg", "cpu_max", "load1_avg", "load5_avg", "load15_avg", "memory_avg", "memory_max",
                 "memory_total", "disk_used_last", "disk_used_max", "disk_total", "network_rx", "network_tx")
) PARTITION BY RANGE ("ts");
