// The list alone shows a loading skeleton: a boundary above /executions/[id] would start streaming before
// that page can answer 404 for another tenant's execution.
import { PageLoading } from "../../_components/executions/page-states";

export default function Loading() {
  return <PageLoading title="Executions" />;
}
