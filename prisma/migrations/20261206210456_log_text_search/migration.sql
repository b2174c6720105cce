-- Text search in an execution's logs uses a trigram index keyed by execution: the extensions pg_trgm
-- (trigram operator classes) and btree_gin (execution_id in a GIN index). Both ship with PostgreSQL's
-- contrib and are trusted since PostgreSQL 13: whoever may CREATE in the database (its owner) may create
-- them. When that is refused, or contrib is not installed, this migration stops at that statement with
-- PostgreSQL's error ('permission denied to create extension "pg_trgm"', 'extension "pg_trgm" is not
-- available') before the index, and the next start tries it again. (No DO block to word the error: the
-- driver adapter runs a script statement by statement, split at each semicolon.)
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

-- CreateIndex
CREATE INDEX "log_entries_execution_id_message_task_id_idx" ON "log_entries" USING GIN ("execution_id" text_ops, "message" gin_trgm_ops, "task_id" gin_trgm_ops);
