import type { Metadata } from "next";
import { EmptyState } from "../_components/empty-state";
import { section } from "../_components/sections";

const page = section("/executions");
export const metadata: Metadata = { title: page.label };

export default function Page() {
  return <EmptyState section={page} />;
}
