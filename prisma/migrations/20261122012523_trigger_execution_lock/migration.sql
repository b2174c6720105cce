-- AlterTable
ALTER TABLE "trigger_states" ADD COLUMN     "allow_concurrent" BOOLEAN NOT NULL DEFAULT false,
ADD COLUMN     "execution_id" TEXT;
