-- AlterTable
ALTER TABLE "namespaces" ADD COLUMN     "allowed_namespaces" TEXT[] DEFAULT ARRAY[]::TEXT[];
