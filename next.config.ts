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
  ],
  // The shared module (graph format, job payloads) is TypeScript source, compiled with the app.
  transpilePackages: ["@circuitboard/shared"],
  poweredByHeader: false,
  // `npm test` type-checks the whole repository (web app, worker, scripts) with tsc; building the app
  // need not repeat it, and must not fail on the worker's code.
  typescript: { ignoreBuildErrors: true },
  typedRoutes: false,
  async headers() {
    return [
      {
        source: "/:path*",
        headers: [
          { key: "X-Content-Type-Options", value: "nosniff" },
          { key: "Referrer-Policy", value: "strict-origin-when-cross-origin" },
          // Graphs are framed only by Circuitboard itself until published embeds exist.
          { key: "X-Frame-Options", value: "SAMEORIGIN" },
        ],
      },
    ];
  },
};

export default config;
