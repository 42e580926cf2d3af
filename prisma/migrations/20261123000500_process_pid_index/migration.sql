-- The history of one process (GET /api/hosts/:hostId/processes?pid=…) reads (host, pid) over a time
-- range; the primary key (host_id, ts, pid) would make it read every process of every snapshot.
CREATE INDEX "process_samples_host_id_pid_ts_idx" ON "process_samples"("host_id", "pid", "ts");
