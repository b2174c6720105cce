import { PageLoading } from "../../_components/executions/page-states";

export default function Loading() {
  return <PageLoading title="Executions" />;
}
