-- CreateTable
CREATE TABLE "temporal_run_starts" (
    "execution_id" TEXT NOT NULL,
    "run_id" TEXT NOT NULL,
    "document" JSONB NOT NULL,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "temporal_run_starts_pkey" PRIMARY KEY ("execution_id")
);

-- AddForeignKey
ALTER TABLE "temporal_run_starts" ADD CONSTRAINT "temporal_run_starts_execution_id_fkey" FOREIGN KEY ("execution_id") REFERENCES "executions"("id") ON DELETE CASCADE ON UPDATE CASCADE;
