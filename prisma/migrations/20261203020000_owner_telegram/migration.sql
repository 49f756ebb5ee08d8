-- The owner's Telegram (issue 5): chats linked to staff accounts by a one-time pairing code, and
-- each salon's owner-message settings (the daily summary, off by default).
-- CreateTable
CREATE TABLE "StaffChatLink" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "channel" TEXT NOT NULL,
    "chatId" TEXT NOT NULL,
    "label" TEXT,
    "linkedAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "StaffChatLink_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnerPairingCode" (
    "id" UUID NOT NULL,
    "tenantId" UUID NOT NULL,
    "accountId" UUID NOT NULL,
    "codeHash" TEXT NOT NULL,
    "expiresAt" TIMESTAMPTZ(3) NOT NULL,
    "usedAt" TIMESTAMPTZ(3),
    "createdAt" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "OwnerPairingCode_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "OwnerSettings" (
    "tenantId" UUID NOT NULL,
    "dailySummary" BOOLEAN NOT NULL DEFAULT false,
    "updatedAt" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "OwnerSettings_pkey" PRIMARY KEY ("tenantId")
);

-- CreateIndex
CREATE INDEX "StaffChatLink_tenantId_accountId_idx" ON "StaffChatLink"("tenantId", "accountId");

-- CreateIndex
CREATE UNIQUE INDEX "StaffChatLink_tenantId_channel_chatId_key" ON "StaffChatLink"("tenantId", "channel", "chatId");

-- CreateIndex
CREATE UNIQUE INDEX "OwnerPairingCode_codeHash_key" ON "OwnerPairingCode"("codeHash");

-- CreateIndex
CREATE INDEX "OwnerPairingCode_tenantId_accountId_idx" ON "OwnerPairingCode"("tenantId", "accountId");

-- AddForeignKey
ALTER TABLE "StaffChatLink" ADD CONSTRAINT "StaffChatLink_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "StaffChatLink" ADD CONSTRAINT "StaffChatLink_tenantId_accountId_fkey" FOREIGN KEY ("tenantId", "accountId") REFERENCES "StaffAccount"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnerPairingCode" ADD CONSTRAINT "OwnerPairingCode_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnerPairingCode" ADD CONSTRAINT "OwnerPairingCode_tenantId_accountId_fkey" FOREIGN KEY ("tenantId", "accountId") REFERENCES "StaffAccount"("tenantId", "id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "OwnerSettings" ADD CONSTRAINT "OwnerSettings_tenantId_fkey" FOREIGN KEY ("tenantId") REFERENCES "Tenant"("id") ON DELETE CASCADE ON UPDATE CASCADE;


-- Channel names are lower-case words ("telegram"); chat ids are short.
ALTER TABLE "StaffChatLink" ADD CONSTRAINT "StaffChatLink_channel_check" CHECK (channel ~ '^[a-z]{1,20}$' AND length("chatId") BETWEEN 1 AND 64);
