import { Loading } from "@/app/_components/admin/states";

export default function PageLoading() {
  return <Loading what="Loading the page" />;
}
