/** @type {import('next').NextConfig} */
const nextConfig = {
  poweredByHeader: false,
  reactStrictMode: true,
  // Native and worker-thread packages stay outside the server bundle.
  serverExternalPackages: ["better-sqlite3", "pino"],
  typedRoutes: false,
};

export default nextConfig;
