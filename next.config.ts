import type { NextConfig } from "next";

const config: NextConfig = {
  // Native modules and driver adapters load from node_modules at run time instead of being bundled.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "onnxruntime-node",
    // The graph worker threads (server/graph-work) are started by piscina from its own files.
    "piscina",
  ],
  // The shared module (graph format, job payloads) is TypeScript source, compiled with the app.
  transpilePackages: ["@circuitboard/shared"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository (web app, worker, scripts) with tsc; building the app
  // need not repeat it, and must not fail on the worker's code.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  // Security headers (CSP with nonces, frame-ancestors, nosniff, referrer policy) are set per request by the
  // front server (server/http/front-server.ts), which `npm start` and `npm run dev` run around Next.
};

export default config;
