-- The container object's optional health, exit code, restart count and finish time.
ALTER TABLE "containers" ADD COLUMN "health" TEXT;
ALTER TABLE "containers" ADD COLUMN "exit_code" INTEGER;
ALTER TABLE "containers" ADD COLUMN "restart_count" INTEGER;
ALTER TABLE "containers" ADD COLUMN "finished_at" TIMESTAMPTZ(3);
