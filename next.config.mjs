/** @type {import('next').NextConfig} */
const nextConfig = {
  // A self-contained server (traced node_modules included) that scripts/assemble-standalone.sh
  // completes and the Dockerfile copies: what the image runs is what the end-to-end tests run.
  output: "standalone",
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and worker-thread packages stay outside the server bundle; prom-client too, loaded once
  // from node_modules rather than copied into every route bundle.
  serverExternalPackages: ["better-sqlite3", "pino", "prom-client"],
  typedRoutes: false,
};

export default nextConfig;
