-- Kestra's execution kind (null for a normal execution, LOOP for one iteration of a Kestra 2.0 Loop,
-- PLAYGROUND, TEST). The executions list and the dashboard leave LOOP executions out unless asked for, so
-- the list's covering index carries the column (its queries stay index-only) and the stats tables, which
-- answer the dashboard's whole hours and days, no longer count LOOP executions.
-- No semicolon may appear in this file outside statement ends, comments included (see execution_stats).

-- DropIndex
DROP INDEX "executions_tenant_id_start_date_id_state_namespace_flow_id__idx";

-- AlterTable
ALTER TABLE "executions" ADD COLUMN     "kind" TEXT;

-- CreateIndex
CREATE INDEX "executions_tenant_id_start_date_id_state_namespace_flow_id__idx" ON "executions"("tenant_id", "start_date" DESC, "id" DESC, "state", "namespace", "flow_id", "end_date", "kind");

-- The stats triggers and their rebuild skip LOOP executions (a kind never changes once written).
CREATE OR REPLACE FUNCTION execution_stats_count() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP <> ''INSERT'' AND OLD.kind IS DISTINCT FROM ''LOOP'' THEN
    UPDATE execution_stats SET executions = executions - 1
     WHERE tenant_id = OLD.tenant_id AND hour = execution_stats_hour(OLD.start_date)
       AND namespace = OLD.namespace AND state = OLD.state\073
    DELETE FROM execution_stats
     WHERE tenant_id = OLD.tenant_id AND hour = execution_stats_hour(OLD.start_date)
       AND namespace = OLD.namespace AND state = OLD.state AND executions = 0\073
    IF OLD.end_date IS NOT NULL THEN
      UPDATE execution_duration_stats SET executions = executions - 1
       WHERE tenant_id = OLD.tenant_id AND day = execution_stats_day(OLD.start_date)
         AND namespace = OLD.namespace AND flow_id = OLD.flow_id
         AND bucket = execution_duration_bucket(OLD.start_date, OLD.end_date)\073
      DELETE FROM execution_duration_stats
       WHERE tenant_id = OLD.tenant_id AND day = execution_stats_day(OLD.start_date)
         AND namespace = OLD.namespace AND flow_id = OLD.flow_id
         AND bucket = execution_duration_bucket(OLD.start_date, OLD.end_date) AND executions = 0\073
    END IF\073
  END IF\073
  IF TG_OP <> ''DELETE'' AND NEW.kind IS DISTINCT FROM ''LOOP'' THEN
    INSERT INTO execution_stats AS s (tenant_id, hour, namespace, state, executions)
    VALUES (NEW.tenant_id, execution_stats_hour(NEW.start_date), NEW.namespace, NEW.state, 1)
    ON CONFLICT (tenant_id, hour, namespace, state) DO UPDATE SET executions = s.executions + 1\073
    IF NEW.end_date IS NOT NULL THEN
      INSERT INTO execution_duration_stats AS s (tenant_id, day, namespace, flow_id, bucket, executions)
      VALUES (NEW.tenant_id, execution_stats_day(NEW.start_date), NEW.namespace, NEW.flow_id,
              execution_duration_bucket(NEW.start_date, NEW.end_date), 1)
      ON CONFLICT (tenant_id, day, namespace, flow_id, bucket) DO UPDATE SET executions = s.executions + 1\073
    END IF\073
  END IF\073
  RETURN NULL\073
END';

CREATE OR REPLACE FUNCTION execution_stats_rebuild() RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  LOCK TABLE executions IN SHARE MODE\073
  DELETE FROM execution_stats\073
  DELETE FROM execution_duration_stats\073
  INSERT INTO execution_stats (tenant_id, hour, namespace, state, executions)
  SELECT tenant_id, execution_stats_hour(start_date), namespace, state, count(*)
    FROM executions WHERE kind IS DISTINCT FROM ''LOOP'' GROUP BY 1, 2, 3, 4\073
  INSERT INTO execution_duration_stats (tenant_id, day, namespace, flow_id, bucket, executions)
  SELECT tenant_id, execution_stats_day(start_date), namespace, flow_id,
         execution_duration_bucket(start_date, end_date), count(*)
    FROM executions WHERE end_date IS NOT NULL AND kind IS DISTINCT FROM ''LOOP'' GROUP BY 1, 2, 3, 4, 5\073
END';
