-- Log ordinals (`n` in the logs frame). Engines that stamp logs to the second (Podman) give many
-- lines one timestamp: with `n`, a line is identified by (container, ts, stream, n), so identical
-- lines of one second are all kept and read back in the order written. Lines without `n` (older
-- agents) keep their old identity, the md5 of the text. One primary key serves both, and the read
-- order: `n` is -1 for lines without one, and line_hash is the nil UUID for lines with one.
ALTER TABLE "container_logs" ADD COLUMN "n" INTEGER NOT NULL DEFAULT -1;
ALTER TABLE "container_logs" DROP CONSTRAINT "container_logs_pkey";
ALTER TABLE "container_logs" ADD CONSTRAINT "container_logs_pkey" PRIMARY KEY ("container_id", "ts", "nanos", "stream", "n", "line_hash");
