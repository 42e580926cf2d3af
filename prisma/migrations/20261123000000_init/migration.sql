-- Accounts, tenants, hosts, enrollment, containers and commands.
CREATE TYPE "Role" AS ENUM ('owner', 'admin', 'operator', 'viewer');
CREATE TYPE "CommandAction" AS ENUM ('start', 'stop', 'restart');
CREATE TYPE "CommandStatus" AS ENUM ('pending', 'sent', 'succeeded', 'failed', 'timeout');

CREATE TABLE "organizations" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "name" TEXT NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "organizations_pkey" PRIMARY KEY ("id")
);

CREATE TABLE "users" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "email" TEXT NOT NULL,
    "password_hash" TEXT NOT NULL,
    "role" "Role" NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "users_email_key" ON "users"("email");
CREATE INDEX "users_organization_id_idx" ON "users"("organization_id");

CREATE TABLE "hosts" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "name" TEXT NOT NULL,
    "hostname" TEXT,
    "agent_version" TEXT,
    "os" TEXT,
    "kernel" TEXT,
    "docker_version" TEXT,
    "cpus" INTEGER,
    "memory_total" BIGINT,
    "online" BOOLEAN NOT NULL DEFAULT false,
    "last_seen_at" TIMESTAMPTZ(3),
    "token_generation" INTEGER NOT NULL DEFAULT 0,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "hosts_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "hosts_organization_id_idx" ON "hosts"("organization_id");

CREATE TABLE "enrollment_tokens" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "host_id" UUID NOT NULL REFERENCES "hosts"("id") ON DELETE CASCADE,
    "token_hash" TEXT NOT NULL,
    "expires_at" TIMESTAMPTZ(3) NOT NULL,
    "used_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "enrollment_tokens_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "enrollment_tokens_token_hash_key" ON "enrollment_tokens"("token_hash");
CREATE INDEX "enrollment_tokens_host_id_idx" ON "enrollment_tokens"("host_id");
CREATE INDEX "enrollment_tokens_expires_at_idx" ON "enrollment_tokens"("expires_at");

CREATE TABLE "containers" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "host_id" UUID NOT NULL REFERENCES "hosts"("id") ON DELETE CASCADE,
    "docker_id" TEXT NOT NULL,
    "short_id" TEXT NOT NULL,
    "name" TEXT,
    "image" TEXT,
    "image_id" TEXT,
    "command" TEXT,
    "state" TEXT NOT NULL DEFAULT 'unknown',
    "status" TEXT,
    "ports" JSONB,
    "labels" JSONB,
    "started_at" TIMESTAMPTZ(3),
    "removed_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "containers_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "containers_host_id_docker_id_key" ON "containers"("host_id", "docker_id");
CREATE UNIQUE INDEX "containers_host_id_short_id_key" ON "containers"("host_id", "short_id");

CREATE TABLE "commands" (
    "id" UUID NOT NULL DEFAULT gen_random_uuid(),
    "organization_id" UUID NOT NULL REFERENCES "organizations"("id") ON DELETE CASCADE,
    "host_id" UUID NOT NULL REFERENCES "hosts"("id") ON DELETE CASCADE,
    "container_id" UUID NOT NULL REFERENCES "containers"("id") ON DELETE CASCADE,
    "action" "CommandAction" NOT NULL,
    "status" "CommandStatus" NOT NULL DEFAULT 'pending',
    "message" TEXT,
    "requested_by" UUID,
    "idempotency_key" TEXT,
    "timeout_ms" INTEGER NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "sent_at" TIMESTAMPTZ(3),
    "finished_at" TIMESTAMPTZ(3),
    CONSTRAINT "commands_pkey" PRIMARY KEY ("id")
);
CREATE UNIQUE INDEX "commands_organization_id_idempotency_key_key" ON "commands"("organization_id", "idempotency_key");
CREATE INDEX "commands_host_id_created_at_idx" ON "commands"("host_id", "created_at");
