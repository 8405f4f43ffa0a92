/**
 * Runs once when the server starts: validates configuration, opens the database (applying
 * migrations) and says which mode the app is in. A bad configuration stops the process with a
 * message naming the variable, rather than failing later on the first request.
 */
export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { startServer } = await import("@/lib/startup");
  await startServer();
}
