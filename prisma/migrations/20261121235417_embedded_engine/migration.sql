-- AlterTable
ALTER TABLE "flows" ADD COLUMN     "trigger_types" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "dedupe_key" TEXT,
ADD COLUMN     "document" JSONB NOT NULL DEFAULT '{}',
ADD COLUMN     "parent_link" JSONB,
ADD COLUMN     "schedule_date" TIMESTAMPTZ(3);

-- AlterTable
ALTER TABLE "service_instances" ADD COLUMN     "worker_ids" TEXT[] DEFAULT ARRAY[]::TEXT[];

-- CreateTable
CREATE TABLE "kv_entries" (
    "tenant_id" TEXT NOT NULL,
    "namespace" TEXT NOT NULL,
    "key" TEXT NOT NULL,
    "value" JSONB NOT NULL,
    "type" TEXT,
    "description" TEXT,
    "expires_at" TIMESTAMPTZ(3),
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "kv_entries_pkey" PRIMARY KEY ("tenant_id","namespace","key")
);

-- CreateTable
CREATE TABLE "flow_trigger_states" (
    "key" TEXT NOT NULL,
    "state" JSONB NOT NULL,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "flow_trigger_states_pkey" PRIMARY KEY ("key")
);

-- CreateIndex
CREATE INDEX "kv_entries_expires_at_idx" ON "kv_entries"("expires_at");

-- CreateIndex
CREATE INDEX "flows_trigger_types_idx" ON "flows" USING GIN ("trigger_types" array_ops);

-- CreateIndex
CREATE UNIQUE INDEX "executions_dedupe_key_key" ON "executions"("dedupe_key");

-- CreateIndex
CREATE INDEX "executions_end_date_idx" ON "executions"("end_date");

-- CreateIndex
CREATE INDEX "log_entries_timestamp_idx" ON "log_entries"("timestamp");

-- AddForeignKey
ALTER TABLE "kv_entries" ADD CONSTRAINT "kv_entries_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
