-- Notifications (issue 5): the outbox, per-salon sequence settings, the client's preferred channel and
-- STOP flag, and the "agenda" schema for the job scheduler's tables. Generated with
-- `prisma migrate diff`, then the hand-written part at the end.

-- CreateEnum
CREATE TYPE "OutboxCategory" AS ENUM ('utility', 'marketing', 'owner');

-- CreateEnum
CREATE TYPE "OutboxStatus" AS ENUM ('pending', 'sending', 'sent', 'delivered', 'read', 'failed', 'cancelled');

-- AlterTable
ALTER TABLE "Client" ADD COLUMN     "preferredChannel" TEXT,
ADD COLUMN     "remindersOptOut" BOOLEAN NOT NULL DEFAULT false;

-- CreateTable
CREATE TABLE "OutboxMessage" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "kind" TEXT NOT NULL,
    "category" "OutboxCategory" NOT NULL,
    "clientId" UUID,
    "bookingId" UUID,
    "channel" TEXT,
    "recipient" TEXT,
    "template" TEXT,
    "data" JSONB NOT NULL,
    "idempotencyKey" TEXT NOT NULL,
    "status" "OutboxStatus" NOT NULL DEFAULT 'pending',
    "notBefore" TIMESTAMPTZ(3) NOT NULL,
    "attempts" INTEGER NOT NULL DEFAULT 0,
    "nextAttemptAt" TIMESTAMPTZ(3) NOT NULL,
    "leaseUntil" TIMESTAMPTZ(3),
    "attemptToken" UUID,
    "lastError" TEXT,
    "providerMessageId" TEXT,
    "sentAt" TIMESTAMPTZ(3),
    "deliveredAt" TIMESTAMPTZ(3),
    "readAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OutboxMessage_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "NotificationSettings" (
    "tenantId" UUID NOT NULL,
    "settings" JSONB NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "NotificationSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE INDEX "OutboxMessage_tenantId_status_createdAt_idx" ON "OutboxMessage"("tenantId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "OutboxMessage_tenantId_bookingId_idx" ON "OutboxMessage"("tenantId", "bookingId");

-- CreateIndex
CREATE INDEX "OutboxMessage_tenantId_clientId_idx" ON "OutboxMessage"("tenantId", "clientId");

-- CreateIndex
CREATE INDEX "OutboxMessage_channel_providerMessageId_idx" ON "OutboxMessage"("channel", "providerMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "OutboxMessage_tenantId_idempotencyKey_key" ON "OutboxMessage"("tenantId", "idempotencyKey");

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_tenantId_clientId_fkey" FOREIGN KEY ("tenantId", "clientId") REFERENCES "Client"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_tenantId_bookingId_fkey" FOREIGN KEY ("tenantId", "bookingId") REFERENCES "Booking"("tenantId", "id") ON DELETE RESTRICT ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "NotificationSettings" ADD CONSTRAINT "NotificationSettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- ---------------------------------------------------------------------------------------------
-- Hand-written.
-- ---------------------------------------------------------------------------------------------

ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_values_check"
  CHECK ("attempts" >= 0 AND "kind" ~ '^[a-z][a-z0-9_]{0,39}$' AND "nextAttemptAt" >= "notBefore");
-- A claim (lease + attempt token) exists exactly while a row is being sent.
ALTER TABLE "OutboxMessage" ADD CONSTRAINT "OutboxMessage_claim_check"
  CHECK (("status" = 'sending') = ("leaseUntil" IS NOT NULL AND "attemptToken" IS NOT NULL));

-- What the delivery worker scans: due pending rows, and claims whose lease expired.
CREATE INDEX "OutboxMessage_due_idx" ON "OutboxMessage" ("nextAttemptAt") WHERE "status" = 'pending';
CREATE INDEX "OutboxMessage_lease_idx" ON "OutboxMessage" ("leaseUntil") WHERE "status" = 'sending';

-- The job scheduler (Agenda 6 with @agendajs/postgres-backend 3.0.6) keeps its jobs in their own
-- schema; its connections set search_path=agenda. The table is the backend's own DDL
-- (dist/schema.js), created here so that several processes starting at once never race to create
-- it (the backend runs with ensureSchema: false).
CREATE SCHEMA IF NOT EXISTS agenda;

CREATE TABLE agenda.agenda_jobs (
  id UUID PRIMARY KEY DEFAULT gen_random_uuid(),
  name VARCHAR(255) NOT NULL,
  priority INTEGER NOT NULL DEFAULT 0,
  next_run_at TIMESTAMPTZ,
  type VARCHAR(10) NOT NULL DEFAULT 'normal' CHECK (type IN ('normal', 'single')),
  locked_at TIMESTAMPTZ,
  last_finished_at TIMESTAMPTZ,
  failed_at TIMESTAMPTZ,
  fail_count INTEGER DEFAULT NULL,
  fail_reason TEXT,
  repeat_timezone VARCHAR(100),
  last_run_at TIMESTAMPTZ,
  repeat_interval VARCHAR(255),
  data JSONB DEFAULT '{}'::jsonb,
  repeat_at VARCHAR(255),
  disabled BOOLEAN DEFAULT FALSE,
  progress REAL,
  fork BOOLEAN DEFAULT FALSE,
  last_modified_by VARCHAR(255),
  debounce_started_at TIMESTAMPTZ,
  start_date TIMESTAMPTZ,
  end_date TIMESTAMPTZ,
  skip_days JSONB,
  created_at TIMESTAMPTZ DEFAULT NOW(),
  updated_at TIMESTAMPTZ DEFAULT NOW()
);
CREATE INDEX agenda_jobs_find_and_lock_idx ON agenda.agenda_jobs (name, next_run_at, priority DESC, locked_at, disabled)
  WHERE disabled = FALSE;
CREATE UNIQUE INDEX agenda_jobs_single_job_idx ON agenda.agenda_jobs (name) WHERE type = 'single';
CREATE INDEX agenda_jobs_locked_at_idx ON agenda.agenda_jobs (locked_at) WHERE locked_at IS NOT NULL;
CREATE INDEX agenda_jobs_next_run_at_idx ON agenda.agenda_jobs (next_run_at) WHERE next_run_at IS NOT NULL;

CREATE FUNCTION agenda.update_agenda_jobs_updated_at() RETURNS TRIGGER AS $$
BEGIN
  NEW.updated_at = NOW();
  RETURN NEW;
END;
$$ LANGUAGE plpgsql;

CREATE TRIGGER agenda_jobs_updated_at_trigger BEFORE UPDATE ON agenda.agenda_jobs
  FOR EACH ROW EXECUTE FUNCTION agenda.update_agenda_jobs_updated_at();
