/**
 * Runs once when the server starts: validates configuration, opens the database (applying
 * migrations) and says which mode the app is in. A bad configuration stops the process with a
 * message naming the variable, rather than failing later on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/startup");
  try {
    await startServer();
  } catch (error) {
    // server.mjs waits for the start to finish before serving: a start that failed unexpectedly
    // must end the process, not leave it waiting.
    console.error("Interaction Inspector cannot start:", error);
    process.exit(1);
  }
}

/**
 * Next reports every error a render or route could not handle here. One that says the database is
 * unreachable marks it lost, so the next request is answered by proxy.ts's 503 page (until the
 * database answers again) instead of failing halfway through a render.
 */
export async function onRequestError(error: unknown) {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { isStoreUnreachable } = await import("@/db/availability");
  isStoreUnreachable(error);
}
