-- Channels (issue 4): per-salon credentials (encrypted), the persist-first inbox (InboundEvent
-- extended with chat, payload and processing state), per-chat leases of the inbox worker,
-- delivery statuses and subscriptions. Generated with `prisma migrate diff`, then edited by hand
-- (marked "hand-written").

-- CreateEnum
CREATE TYPE "InboundStatus" AS ENUM ('pending', 'done', 'failed');

-- CreateEnum
CREATE TYPE "ChannelDeliveryStatus" AS ENUM ('sent', 'delivered', 'read', 'failed');

-- AlterTable (hand-edited: defaults for existing ledger rows)
-- Rows of the old ledger were handled already: they become "done" inbox rows without a payload.
ALTER TABLE "InboundEvent" ADD COLUMN     "attempts" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "chatId" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "lastError" TEXT,
ADD COLUMN     "payload" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "processedAt" TIMESTAMPTZ(3),
ADD COLUMN     "replyMessageIds" TEXT[] DEFAULT ARRAY[]::TEXT[],
ADD COLUMN     "seq" BIGSERIAL NOT NULL,
ADD COLUMN     "status" "InboundStatus" NOT NULL DEFAULT 'done',
ADD COLUMN     "userId" TEXT NOT NULL DEFAULT '';
ALTER TABLE "InboundEvent" ALTER COLUMN "chatId" DROP DEFAULT,
ALTER COLUMN "userId" DROP DEFAULT,
ALTER COLUMN "payload" DROP DEFAULT,
ALTER COLUMN "status" SET DEFAULT 'pending';
UPDATE "InboundEvent" SET "processedAt" = "receivedAt";

-- CreateTable
CREATE TABLE "ChannelConnection" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "enabled" BOOLEAN NOT NULL DEFAULT true,
    "config" JSONB NOT NULL DEFAULT '{}',
    "secrets" TEXT NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChannelConnection_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChatLease" (
    "tenantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "holder" TEXT NOT NULL,
    "instanceKey" INTEGER NOT NULL DEFAULT 0,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChatLease_pkey" PRIMARY KEY ("tenantId","channel","chatId")
);

-- CreateTable
CREATE TABLE "ChannelStatusEvent" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "providerMessageId" TEXT NOT NULL,
    "status" "ChannelDeliveryStatus" NOT NULL,
    "recipientId" TEXT NOT NULL,
    "at" TIMESTAMPTZ(3) NOT NULL,
    "error" JSONB,
    "eventId" TEXT NOT NULL,
    "receivedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "ChannelStatusEvent_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ChannelSubscription" (
    "tenantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "userId" TEXT NOT NULL,
    "subscribed" BOOLEAN NOT NULL,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "ChannelSubscription_pkey" PRIMARY KEY ("tenantId","channel","userId")
);

-- CreateIndex
CREATE UNIQUE INDEX "ChannelConnection_tenantId_channel_key" ON "ChannelConnection"("tenantId", "channel");

-- CreateIndex
CREATE INDEX "ChannelStatusEvent_tenantId_channel_providerMessageId_idx" ON "ChannelStatusEvent"("tenantId", "channel", "providerMessageId");

-- CreateIndex
CREATE UNIQUE INDEX "ChannelStatusEvent_tenantId_channel_eventId_key" ON "ChannelStatusEvent"("tenantId", "channel", "eventId");

-- CreateIndex
CREATE INDEX "InboundEvent_tenantId_channel_chatId_status_receivedAt_idx" ON "InboundEvent"("tenantId", "channel", "chatId", "status", "receivedAt");

-- CreateIndex
CREATE INDEX "InboundEvent_status_receivedAt_idx" ON "InboundEvent"("status", "receivedAt");

-- AddForeignKey
ALTER TABLE "ChannelConnection" ADD CONSTRAINT "ChannelConnection_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChatLease" ADD CONSTRAINT "ChatLease_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelStatusEvent" ADD CONSTRAINT "ChannelStatusEvent_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ChannelSubscription" ADD CONSTRAINT "ChannelSubscription_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- hand-written: constraints Prisma cannot express.
ALTER TABLE "InboundEvent" ADD CONSTRAINT "InboundEvent_attempts_check" CHECK ("attempts" >= 0);
ALTER TABLE "InboundEvent" ADD CONSTRAINT "InboundEvent_processed_check"
  CHECK (("status" = 'pending') = ("processedAt" IS NULL));
ALTER TABLE "ChannelConnection" ADD CONSTRAINT "ChannelConnection_channel_check" CHECK ("channel" ~ '^[a-z][a-z0-9_-]{0,31}$');
