-- The command timeout sweeper runs every second on every instance and only looks at open
-- commands: a partial index keeps that a few-row scan however many finished commands pile up.
CREATE INDEX "commands_open_created_at_idx" ON "commands" ("created_at") WHERE "status" IN ('pending', 'sent');
