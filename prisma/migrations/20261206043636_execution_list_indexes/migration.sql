-- DropIndex
DROP INDEX "executions_tenant_id_start_date_idx";

-- DropIndex
DROP INDEX "executions_tenant_id_state_idx";

-- CreateIndex
CREATE INDEX "executions_tenant_id_start_date_id_state_namespace_flow_id__idx" ON "executions"("tenant_id", "start_date" DESC, "id" DESC, "state", "namespace", "flow_id", "end_date");

-- CreateIndex
CREATE INDEX "executions_tenant_id_state_start_date_idx" ON "executions"("tenant_id", "state", "start_date" DESC);

-- CreateIndex
CREATE INDEX "executions_tenant_id_namespace_start_date_idx" ON "executions"("tenant_id", "namespace" text_pattern_ops, "start_date" DESC);

-- CreateIndex
CREATE INDEX "executions_tenant_id_updated_at_idx" ON "executions"("tenant_id", "updated_at");

-- CreateIndex
CREATE INDEX "executions_parent_id_idx" ON "executions"("parent_id");

-- CreateIndex
CREATE INDEX "log_entries_tenant_id_level_timestamp_idx" ON "log_entries"("tenant_id", "level", "timestamp" DESC);
