import Link from "next/link";
import { getDb } from "@/server/db/client";
import { checkHealth, type HealthReport } from "@/server/health";
import { Dashboard } from "./_components/dashboard/dashboard";
import { Inline } from "./_components/inline";
import { sections } from "./_components/sections";
import { PageTitle } from "./_components/ui";
import { viewer } from "./_lib/viewer";

// The status card reads the database on every request.
export const dynamic = "force-dynamic";

export default async function Home() {
  // A signed-in person working in a tenant lands on its dashboard.
  const current = await viewer();
  if (current?.tenant)
    return (
      <div className="mx-auto max-w-7xl">
        <PageTitle title="Dashboard">The health of your flows in {current.tenant.name}.</PageTitle>
        <Dashboard tenant={current.tenant.slug} />
      </div>
    );
  const { report } = await checkHealth(getDb);
  return (
    <div className="mx-auto max-w-4xl">
      <h1 className="text-3xl font-semibold tracking-tight">Welcome to Cadenza</h1>
      <p className="mt-2 max-w-2xl text-zinc-600 dark:text-zinc-400">
        Declarative, event-driven workflow orchestration. Write flows in Kestra&apos;s YAML, edit them in the
        browser with completion and a live topology, and run them durably on PostgreSQL — on schedules,
        webhooks, other flows&apos; results or the API. Sign in to see your tenant&apos;s dashboard.
      </p>

      <Status report={report} />

      <h2 className="mt-10 text-lg font-semibold">What is inside</h2>
      <ul className="mt-3 grid gap-3 sm:grid-cols-2">
        {sections.map((s) => (
          <li key={s.href}>
            <Link
              href={s.href}
              className="block h-full rounded-lg border border-zinc-200 bg-white p-4 transition-colors hover:border-brand-500 dark:border-zinc-800 dark:bg-zinc-900"
            >
              <span className="font-medium">{s.label}</span>
              <span className="mt-1 block text-sm text-zinc-600 dark:text-zinc-400">
                <Inline text={s.purpose} />
              </span>
            </Link>
          </li>
        ))}
      </ul>
    </div>
  );
}

const engineText: Record<HealthReport["engine"], string> = {
  running: "running",
  down: "not running",
  unknown: "unknown (no database)",
};

function Status({ report }: { report: HealthReport }) {
  type Row = [label: string, value: string, good: boolean | undefined];
  const temporal: Row[] = report.temporal
    ? [["Temporal", report.temporal === "ok" ? "reachable" : "not reachable", report.temporal === "ok"]]
    : [];
  const rows: Row[] = [
    ["Database", report.db === "ok" ? "connected" : "not reachable", report.db === "ok"],
    ["Engine", engineText[report.engine], report.engine === "running"],
    ...temporal,
    ["Version", report.version, undefined],
  ];
  return (
    <section
      aria-label="System status"
      className="mt-8 rounded-xl border border-zinc-200 bg-white p-5 dark:border-zinc-800 dark:bg-zinc-900"
    >
      <div className="flex items-center justify-between">
        <h2 className="font-semibold">System status</h2>
        <a href="/api/health" className="text-sm text-brand-700 hover:underline dark:text-brand-100">
          /api/health
        </a>
      </div>
      <dl className="mt-3 grid grid-cols-[8rem_1fr] gap-y-1.5 text-sm">
        {rows.map(([label, value, good]) => (
          <div key={label} className="contents">
            <dt className="text-zinc-500 dark:text-zinc-400">{label}</dt>
            <dd className="flex items-center gap-2">
              {/* A value that is not a health check (the version) gets no dot. */}
              {good === undefined ? null : (
                <span
                  className={`inline-block size-2 rounded-full ${good ? "bg-emerald-500" : "bg-red-500"}`}
                />
              )}
              {value}
            </dd>
          </div>
        ))}
      </dl>
    </section>
  );
}
