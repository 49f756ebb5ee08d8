-- The inventory service never takes stock below zero (a conditional update in the same
-- statement); this is the database's backstop for any other writer.
ALTER TABLE "Product" ADD CONSTRAINT "Product_stock_nonnegative" CHECK ("stockOnHand" >= 0);
