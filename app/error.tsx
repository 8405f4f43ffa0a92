"use client";

export default function ErrorPage({ reset }: { error: Error & { digest?: string }; reset: () => void }) {
  return (
    <div className="card mx-auto max-w-xl space-y-3 text-center">
      <h1 className="text-xl font-semibold">Something went wrong</h1>
      <p className="text-muted">The page could not be shown. Nothing was lost; try again.</p>
      <button type="button" className="btn btn-primary" onClick={reset}>
        Try again
      </button>
    </div>
  );
}
