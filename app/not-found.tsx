import Link from "next/link";

export default function NotFound() {
  return (
    <div className="mx-auto max-w-xl py-16 text-center">
      <h1 className="text-2xl font-semibold">Page not found</h1>
      <p className="mt-2 text-zinc-600 dark:text-zinc-400">There is nothing at this address.</p>
      <Link href="/" className="mt-6 inline-block text-brand-600 hover:underline">
        Back to the home page
      </Link>
    </div>
  );
}
