-- DropIndex
DROP INDEX "log_entries_execution_id_timestamp_idx";

-- CreateIndex
CREATE INDEX "log_entries_execution_id_timestamp_id_idx" ON "log_entries"("execution_id", "timestamp", "id");

-- CreateIndex
CREATE INDEX "log_entries_execution_id_level_timestamp_id_idx" ON "log_entries"("execution_id", "level", "timestamp", "id");
