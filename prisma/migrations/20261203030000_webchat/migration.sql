-- Web chat (issue 4): conversations of the booking page's widget (id and token issued by the server)
-- or of Azure Bot Service (their conversation reference), and the bot's outgoing activities that
-- the widget polls by watermark. Generated with `prisma migrate diff` from the schema before and after.
-- CreateTable
CREATE TABLE "WebchatConversation" (
    "tenantId" UUID NOT NULL,
    "id" TEXT NOT NULL,
    "tokenHash" TEXT,
    "reference" JSONB,
    "lastSeq" INTEGER NOT NULL DEFAULT 0,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "lastActiveAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebchatConversation_pkey" PRIMARY KEY ("tenantId","id")
);

-- CreateTable
CREATE TABLE "WebchatActivity" (
    "tenantId" UUID NOT NULL,
    "conversationId" TEXT NOT NULL,
    "seq" INTEGER NOT NULL,
    "activity" JSONB NOT NULL,
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "WebchatActivity_pkey" PRIMARY KEY ("tenantId","conversationId","seq")
);

-- CreateIndex
CREATE INDEX "WebchatConversation_lastActiveAt_idx" ON "WebchatConversation"("lastActiveAt");

-- AddForeignKey
ALTER TABLE "WebchatConversation" ADD CONSTRAINT "WebchatConversation_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "WebchatActivity" ADD CONSTRAINT "WebchatActivity_tenantId_conversationId_fkey" FOREIGN KEY ("tenantId", "conversationId") REFERENCES "WebchatConversation"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

