-- AlterTable
-- The column is added with a constant default first, so PostgreSQL records it in the catalog instead of
-- rewriting the whole table (a volatile default would rewrite every row). Rows already there read as
-- transaction 0, committed long ago. New rows then get the transaction that writes them.
ALTER TABLE "log_entries" ADD COLUMN     "tx" xid8 NOT NULL DEFAULT '0';
ALTER TABLE "log_entries" ALTER COLUMN "tx" SET DEFAULT pg_current_xact_id();

-- CreateIndex
CREATE INDEX "log_entries_execution_id_tx_idx" ON "log_entries"("execution_id", "tx");
