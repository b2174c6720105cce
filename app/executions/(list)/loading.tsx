import { RouteLoading } from "@/app/_components/route-states";

export default function Loading() {
  return <RouteLoading title="Executions" />;
}
