-- WhatsApp templates and the 24-hour customer service window (issue 5, item 5).

-- AlterTable
ALTER TABLE "ClientIdentity" ADD COLUMN     "lastInboundAt" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "OutboxMessage" ADD COLUMN     "triedChannels" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "MessageTemplate" (
    "tenantId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "kind" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "language" TEXT NOT NULL,
    "parameters" TEXT[],
    "quickReplies" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "MessageTemplate_pkey" PRIMARY KEY ("tenantId","channel","kind")
);

-- AddForeignKey
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- Hand-written: what core validates (notifications/templates.ts), kept true for every writer.
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_name_check" CHECK ("name" ~ '^[a-z0-9_]+$' AND char_length("name") <= 512);
ALTER TABLE "MessageTemplate" ADD CONSTRAINT "MessageTemplate_language_check" CHECK ("language" ~ '^[a-z]{2,3}(_[A-Z]{2,4})?$');
