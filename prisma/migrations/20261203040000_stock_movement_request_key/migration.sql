-- A delivery confirmed in the owner's Telegram may reach the server twice (a re-delivered update
-- after a crash): the caller's key makes it one movement.
ALTER TABLE "StockMovement" ADD COLUMN "requestKey" TEXT;

CREATE UNIQUE INDEX "StockMovement_tenantId_requestKey_key" ON "StockMovement"("tenantId", "requestKey");
