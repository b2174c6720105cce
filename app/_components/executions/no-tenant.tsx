import Link from "next/link";
import { Card } from "../ui";

/** What a page says to someone who belongs to no tenant yet. */
export function NoTenant() {
  return (
    <Card>
      You belong to no tenant yet:{" "}
      <Link href="/tenants/new" className="text-brand-600 underline">
        create one
      </Link>
      , or use an invitation link.
    </Card>
  );
}
