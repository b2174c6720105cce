-- CreateTable
CREATE TABLE "tenant_blueprints" (
    "id" TEXT NOT NULL,
    "tenant_id" TEXT NOT NULL,
    "title" TEXT NOT NULL,
    "description" TEXT NOT NULL DEFAULT '',
    "tags" TEXT[] DEFAULT ARRAY[]::TEXT[],
    "source" TEXT NOT NULL,
    "created_by" TEXT,
    "created_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" TIMESTAMPTZ(3) NOT NULL,

    CONSTRAINT "tenant_blueprints_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "tenant_blueprints_tenant_id_updated_at_idx" ON "tenant_blueprints"("tenant_id", "updated_at");

-- AddForeignKey
ALTER TABLE "tenant_blueprints" ADD CONSTRAINT "tenant_blueprints_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;
