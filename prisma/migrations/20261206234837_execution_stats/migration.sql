-- CreateTable
CREATE TABLE "execution_stats" (
    "tenant_id" TEXT NOT NULL,
    "hour" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT NOT NULL,
    "state" "state" NOT NULL,
    "executions" INTEGER NOT NULL,

    CONSTRAINT "execution_stats_pkey" PRIMARY KEY ("tenant_id","hour","namespace","state")
);

-- CreateTable
CREATE TABLE "execution_duration_stats" (
    "tenant_id" TEXT NOT NULL,
    "day" TIMESTAMPTZ(3) NOT NULL,
    "namespace" TEXT NOT NULL,
    "flow_id" TEXT NOT NULL,
    "bucket" SMALLINT NOT NULL,
    "executions" INTEGER NOT NULL,

    CONSTRAINT "execution_duration_stats_pkey" PRIMARY KEY ("tenant_id","day","namespace","flow_id","bucket")
);

-- AddForeignKey
ALTER TABLE "execution_stats" ADD CONSTRAINT "execution_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "execution_duration_stats" ADD CONSTRAINT "execution_duration_stats_tenant_id_fkey" FOREIGN KEY ("tenant_id") REFERENCES "tenants"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- The dashboard's counts and durations come from these two tables instead of counting executions: whole
-- hours (whole UTC days for durations) from them, the partial first hour (day) of a range from executions.
-- Counts are per namespace, not per flow: a tenant with many flows that each run a few times an hour would
-- have about one row per execution (the bench's 600 flows: 1,000,000 rows for 1,000,000 executions).
-- They are kept exact by the triggers below, whoever writes executions (both engines' execution store, the
-- bulk delete, the purges, a tenant's deletion), and rebuilt from executions by execution_stats_rebuild().
-- No semicolon may appear in this file outside statement ends, comments included: the driver adapter that
-- applies migrations splits the script at each one. The PL/pgSQL bodies are therefore E'' strings that
-- write their statement ends as \073 (octal for the semicolon) and double their quotes.

-- Where an execution is counted: the UTC hour and day of its start (date_bin: the session's time zone
-- plays no part) and its duration's bucket (0 under 1 ms, b >= 1 for [2^((b-1)/8), 2^(b/8)) ms). The
-- triggers, the rebuild and the dashboard's queries on the partial first hour or day all use these.
CREATE FUNCTION execution_stats_hour(start_date TIMESTAMPTZ) RETURNS TIMESTAMPTZ
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_bin('1 hour', start_date, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;

CREATE FUNCTION execution_stats_day(start_date TIMESTAMPTZ) RETURNS TIMESTAMPTZ
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT date_bin('1 day', start_date, TIMESTAMPTZ '2000-01-01 00:00:00+00') $$;

CREATE FUNCTION execution_duration_bucket(start_date TIMESTAMPTZ, end_date TIMESTAMPTZ) RETURNS SMALLINT
  LANGUAGE sql IMMUTABLE PARALLEL SAFE
  AS $$ SELECT CASE WHEN end_date - start_date < INTERVAL '1 millisecond' THEN 0
    ELSE least(32767, 1 + floor(8 * ln(extract(epoch FROM end_date - start_date)::float8 * 1000) / ln(2)))
  END::smallint $$;

-- One execution row inserted, changed or deleted: its old place loses one, its new place gains one. The
-- triggers are deferred to the commit of the writer's transaction: the rows of these tables are shared by
-- every execution of a flow's hour, so their locks are taken last and held only while committing, and an
-- execution changed several times in one transaction is counted once per change in order. A row that
-- reaches 0 is deleted (a RUNNING hour empties as its executions end).
CREATE FUNCTION execution_stats_count() RETURNS trigger LANGUAGE plpgsql AS E'
BEGIN
  IF TG_OP <> ''INSERT'' THEN
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
  IF TG_OP <> ''DELETE'' THEN
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

CREATE CONSTRAINT TRIGGER execution_stats_insert AFTER INSERT ON executions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION execution_stats_count();

-- Most updates of an execution change its task runs only: those do not reach the function at all.
CREATE CONSTRAINT TRIGGER execution_stats_update AFTER UPDATE ON executions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW
  WHEN (OLD.state IS DISTINCT FROM NEW.state OR OLD.start_date IS DISTINCT FROM NEW.start_date
        OR OLD.end_date IS DISTINCT FROM NEW.end_date OR OLD.namespace IS DISTINCT FROM NEW.namespace
        OR OLD.flow_id IS DISTINCT FROM NEW.flow_id OR OLD.tenant_id IS DISTINCT FROM NEW.tenant_id)
  EXECUTE FUNCTION execution_stats_count();

CREATE CONSTRAINT TRIGGER execution_stats_delete AFTER DELETE ON executions
  DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION execution_stats_count();

-- Both tables recomputed from executions, which are locked against writes meanwhile. Run it in a
-- transaction of its own (changes made earlier in the same transaction would be counted twice, once here
-- and once by their deferred triggers). Loaders that write many executions at once with the triggers
-- disabled call it afterwards (bench/executions-list.ts).
CREATE FUNCTION execution_stats_rebuild() RETURNS void LANGUAGE plpgsql AS E'
BEGIN
  LOCK TABLE executions IN SHARE MODE\073
  DELETE FROM execution_stats\073
  DELETE FROM execution_duration_stats\073
  INSERT INTO execution_stats (tenant_id, hour, namespace, state, executions)
  SELECT tenant_id, execution_stats_hour(start_date), namespace, state, count(*)
    FROM executions GROUP BY 1, 2, 3, 4\073
  INSERT INTO execution_duration_stats (tenant_id, day, namespace, flow_id, bucket, executions)
  SELECT tenant_id, execution_stats_day(start_date), namespace, flow_id,
         execution_duration_bucket(start_date, end_date), count(*)
    FROM executions WHERE end_date IS NOT NULL GROUP BY 1, 2, 3, 4, 5\073
END';

-- The executions already there, and the planner's statistics of what was just written.
SELECT execution_stats_rebuild();
ANALYZE execution_stats;
ANALYZE execution_duration_stats;
