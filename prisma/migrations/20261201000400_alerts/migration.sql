-- Alert rules, the alerts they open, the notification outbox and silences (CONTRACT.md, "Alerts").

CREATE TABLE "alert_rules" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "severity" TEXT NOT NULL,
    "scope" JSONB NOT NULL DEFAULT '{}',
    "condition" JSONB NOT NULL,
    "channel_ids" UUID[] NOT NULL DEFAULT '{}',
    -- As written (`30m`) and in milliseconds; null means no reminders.
    "repeat_every" TEXT,
    "repeat_every_ms" BIGINT,
    "notify_resolved" BOOLEAN NOT NULL DEFAULT true,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "alert_rules_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_rules_severity_check" CHECK ("severity" IN ('info', 'warning', 'critical')),
    CONSTRAINT "alert_rules_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "alert_rules_organization_id_created_at_idx" ON "alert_rules"("organization_id", "created_at");

-- One row per episode of a rule's condition holding for one subject (a host or a container).
CREATE TABLE "alerts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "rule_id" UUID,
    "rule_name" TEXT NOT NULL,
    "severity" TEXT NOT NULL,
    "state" TEXT NOT NULL,
    "subject_key" TEXT NOT NULL,
    "host_id" UUID NOT NULL,
    "container_id" UUID,
    "subject_name" TEXT NOT NULL,
    "started_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "resolved_at" TIMESTAMPTZ(3),
    "value" DOUBLE PRECISION,
    "message" TEXT NOT NULL,
    -- Why it notifies nobody: `silence` (a matching silence) or `host_offline` (its host is down).
    "muted_by" TEXT,
    "context" JSONB,
    "last_notified_at" TIMESTAMPTZ(3),
    CONSTRAINT "alerts_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alerts_state_check" CHECK ("state" IN ('firing', 'resolved')),
    CONSTRAINT "alerts_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alerts_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE SET NULL ON UPDATE CASCADE,
    CONSTRAINT "alerts_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "alerts_container_id_fkey" FOREIGN KEY ("container_id") REFERENCES "containers"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
-- Exactly one firing alert per rule and subject, whichever instance opens it.
CREATE UNIQUE INDEX "alerts_one_firing_idx" ON "alerts"("rule_id", "subject_key") WHERE "state" = 'firing';
CREATE INDEX "alerts_organization_id_started_at_idx" ON "alerts"("organization_id", "started_at" DESC, "id" DESC);
CREATE INDEX "alerts_rule_id_subject_key_resolved_at_idx" ON "alerts"("rule_id", "subject_key", "resolved_at");

-- The outbox: one row per (alert event, channel); its id is the delivery id receivers see.
CREATE TABLE "alert_notifications" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "alert_id" UUID NOT NULL,
    "channel_id" UUID NOT NULL,
    "event" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'pending',
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "last_error" TEXT,
    "next_attempt_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- While set and in the future, one instance is delivering it.
    "lease_until" TIMESTAMPTZ(3),
    "sent_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    -- The alert event as it was when queued: every retry sends the same body.
    "payload" JSONB NOT NULL,
    CONSTRAINT "alert_notifications_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "alert_notifications_event_check" CHECK ("event" IN ('firing', 'resolved', 'repeat')),
    CONSTRAINT "alert_notifications_status_check" CHECK ("status" IN ('pending', 'sent', 'failed')),
    CONSTRAINT "alert_notifications_alert_id_fkey" FOREIGN KEY ("alert_id") REFERENCES "alerts"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "alert_notifications_alert_id_idx" ON "alert_notifications"("alert_id", "created_at");
CREATE INDEX "alert_notifications_due_idx" ON "alert_notifications"("next_attempt_at") WHERE "status" = 'pending';

CREATE TABLE "silences" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "host_id" UUID,
    "container_id" UUID,
    "rule_id" UUID,
    "starts_at" TIMESTAMPTZ(3) NOT NULL,
    "ends_at" TIMESTAMPTZ(3) NOT NULL,
    "comment" TEXT NOT NULL,
    "created_by" UUID,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "silences_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "silences_window_check" CHECK ("ends_at" > "starts_at"),
    CONSTRAINT "silences_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "silences_host_id_fkey" FOREIGN KEY ("host_id") REFERENCES "hosts"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "silences_container_id_fkey" FOREIGN KEY ("container_id") REFERENCES "containers"("id") ON DELETE CASCADE ON UPDATE CASCADE,
    CONSTRAINT "silences_rule_id_fkey" FOREIGN KEY ("rule_id") REFERENCES "alert_rules"("id") ON DELETE CASCADE ON UPDATE CASCADE
);
CREATE INDEX "silences_organization_id_ends_at_idx" ON "silences"("organization_id", "ends_at");
