-- Rollups hold any accepted value. A sum of two accepted doubles near 1.8e308 overflows float8,
-- so the per-minute rollups keep means (computed without overflow, see src/rollups/means.ts)
-- instead of sums, and wider buckets weigh them by `samples`. Counter deltas of one minute can
-- sum past int8 (60,000 samples rising by 2^53 each), so those columns become numeric.
-- Each table is rewritten once (one ALTER TABLE per table).

ALTER TABLE "container_metrics_1m" RENAME COLUMN "cpu_sum" TO "cpu_avg";
ALTER TABLE "container_metrics_1m" RENAME COLUMN "memory_sum" TO "memory_avg";
ALTER TABLE "container_metrics_1m"
    ALTER COLUMN "cpu_avg" TYPE DOUBLE PRECISION USING "cpu_avg" / "samples",
    ALTER COLUMN "memory_avg" TYPE DOUBLE PRECISION USING "memory_avg" / "samples",
    ALTER COLUMN "network_rx" TYPE NUMERIC(40, 0),
    ALTER COLUMN "network_tx" TYPE NUMERIC(40, 0),
    ALTER COLUMN "block_read" TYPE NUMERIC(40, 0),
    ALTER COLUMN "block_write" TYPE NUMERIC(40, 0);

ALTER TABLE "host_metrics_1m" RENAME COLUMN "cpu_sum" TO "cpu_avg";
ALTER TABLE "host_metrics_1m" RENAME COLUMN "load1_sum" TO "load1_avg";
ALTER TABLE "host_metrics_1m" RENAME COLUMN "load5_sum" TO "load5_avg";
ALTER TABLE "host_metrics_1m" RENAME COLUMN "load15_sum" TO "load15_avg";
ALTER TABLE "host_metrics_1m" RENAME COLUMN "memory_sum" TO "memory_avg";
ALTER TABLE "host_metrics_1m"
    ALTER COLUMN "cpu_avg" TYPE DOUBLE PRECISION USING "cpu_avg" / "samples",
    ALTER COLUMN "load1_avg" TYPE DOUBLE PRECISION USING "load1_avg" / "samples",
    ALTER COLUMN "load5_avg" TYPE DOUBLE PRECISION USING "load5_avg" / "samples",
    ALTER COLUMN "load15_avg" TYPE DOUBLE PRECISION USING "load15_avg" / "samples",
    ALTER COLUMN "memory_avg" TYPE DOUBLE PRECISION USING "memory_avg" / "samples",
    ALTER COLUMN "network_rx" TYPE NUMERIC(40, 0),
    ALTER COLUMN "network_tx" TYPE NUMERIC(40, 0);
