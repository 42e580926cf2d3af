-- Engine events of containers, one partition per UTC day (created by the partition manager).
CREATE TABLE "container_events" (
    "host_id" UUID NOT NULL,
    "container_id" UUID NOT NULL,
    "ts" TIMESTAMPTZ(6) NOT NULL,
    "action" TEXT NOT NULL,
    "exit_code" INTEGER,
    "health" TEXT,
    CONSTRAINT "container_events_pkey" PRIMARY KEY ("container_id", "ts", "action")
) PARTITION BY RANGE ("ts");

CREATE INDEX "container_events_host_id_ts_idx" ON "container_events"("host_id", "ts");
