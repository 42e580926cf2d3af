-- Substring search over container log lines (GET /api/containers/:id/logs?q=). Common terms are
-- found by walking the primary key backwards; rare ones through this trigram index, which also
-- keys the container (btree_gin) so a lookup reads only that container's matches. The container
-- is keyed as text on purpose: a query on `container_id::text` can only be served by this index,
-- never by the primary key, so the search decides which index it uses (see src/logs/log-search.plan.ts).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "container_logs_search_idx" ON "container_logs" USING gin (("container_id"::text), "line" gin_trgm_ops);
