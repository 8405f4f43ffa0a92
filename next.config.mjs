/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and worker-thread packages stay outside the server bundle; prom-client too, loaded once
  // from node_modules rather than copied into every route bundle.
  serverExternalPackages: ["better-sqlite3", "pino", "prom-client"],
  typedRoutes: false,
};

export default nextConfig;
