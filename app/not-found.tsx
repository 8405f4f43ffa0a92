import Link from "next/link";

export default function NotFound() {
  return (
    <div className="card mx-auto max-w-xl space-y-3 text-center">
      <title>Page not found · Interaction Inspector</title>
      <h1 className="text-xl font-semibold">Page not found</h1>
      <p className="text-muted">There is no page at this address.</p>
      <p>
        <Link href="/" className="text-accent underline">
          Go to the start page
        </Link>
      </p>
    </div>
  );
}
