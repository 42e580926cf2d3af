-- Where notifications go. `config` holds what may be shown (recipients, masked URLs); `secrets`
-- holds the URL, secret and token encrypted (AES-256-GCM, see src/notifications/secret-box.ts).
CREATE TABLE "notification_channels" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL,
    "name" TEXT NOT NULL,
    "type" TEXT NOT NULL,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "notification_channels_pkey" PRIMARY KEY ("id"),
    CONSTRAINT "notification_channels_type_check" CHECK ("type" IN ('webhook', 'slack', 'discord', 'ntfy', 'email')),
    CONSTRAINT "notification_channels_organization_id_fkey" FOREIGN KEY ("organization_id") REFERENCES "organizations"("id") ON DELETE CASCADE ON UPDATE CASCADE
);

CREATE INDEX "notification_channels_organization_id_created_at_idx" ON "notification_channels"("organization_id", "created_at");
