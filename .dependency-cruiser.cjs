/**
 * The architecture as executable rules (dependency-cruiser, run by `npm test`'s lint step).
 * Type-only imports count for cycles (a type lives in the module that owns it); the boundary rules that
 * say "type-only allowed" let a client component name a router's or a domain's types.
 * Layers, lowest first:  packages/shared → server/{env,errors,log,database-url} → server/{db,storage} →
 * server/authz → server/{services,jobs,auth,mail,live,…} → server/{http,trpc} → app/.  Nothing imports upward.
 */
const NOT_TYPE_ONLY = { dependencyTypesNot: ["type-only"] };

module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "No import cycles, type-only ones included: move the shared piece to the module that owns it.",
      from: {},
      to: { circular: true },
    },
    {
      name: "shared-module-stands-alone",
      severity: "error",
      comment: "packages/shared is imported by the browser and the GPU worker: it imports nothing of the app.",
      from: { path: "^packages/shared/" },
      to: { path: "^(app|server|gpu-worker|scripts|prisma|test|bench)/" },
    },
    {
      name: "gpu-worker-imports-only-shared",
      severity: "error",
      comment: "The GPU worker is its own service: it shares code with the app only through packages/shared.",
      from: { path: "^gpu-worker/" },
      to: { path: "^(app|server|scripts|prisma)/" },
    },
    {
      name: "app-has-no-database",
      severity: "error",
      comment:
        "app/ gets data through tRPC callers and server/http helpers; it never touches Prisma or server/db (type-only imports of domain types are fine).",
      from: { path: "^app/" },
      to: { path: "^(server/db/|prisma/generated/|node_modules/(@prisma|prisma)/)", ...NOT_TYPE_ONLY },
    },
    {
      name: "browser-code-imports-only-shared",
      severity: "error",
      comment:
        "Client components and web workers under app/**/_components run in the browser: from server/ they may only name types.",
      from: { path: "^app/.*_components/" },
      to: { path: "^server/", ...NOT_TYPE_ONLY },
    },
    {
      name: "nothing-imports-the-transport",
      severity: "error",
      comment:
        "server/trpc is the top of the server: only its own files and app/ import it (services stay transport-free).",
      from: { path: "^server/", pathNot: "^server/trpc/" },
      to: { path: "^server/trpc/", ...NOT_TYPE_ONLY },
    },
    {
      name: "foundation-imports-nothing-above",
      severity: "error",
      comment: "server/env, errors, log and database-url are the foundation: they import no other server module.",
      from: { path: "^server/(env|errors|log|database-url)\\.ts$" },
      to: { path: "^server/", pathNot: "^server/(env|errors|log|database-url)\\.ts$" },
    },
    {
      name: "storage-and-db-below-domain",
      severity: "error",
      comment: "server/db and server/storage know nothing of the domain above them.",
      from: { path: "^server/(db|storage)/" },
      to: { path: "^server/(authz|services|jobs|auth|http|trpc|live|mail)/" },
    },
    {
      name: "authz-below-services",
      severity: "error",
      comment: "The authorization policy is consulted by services, never the other way round.",
      from: { path: "^server/authz/" },
      to: { path: "^server/(services|jobs|auth|http|trpc|live|mail)/" },
    },
    {
      name: "server-never-imports-app",
      severity: "error",
      from: { path: "^(server|packages|gpu-worker)/" },
      to: { path: "^app/" },
    },
  ],
  options: {
    doNotFollow: { path: "node_modules" },
    exclude: { path: "^(node_modules|\\.next|prisma/generated|data|test-results|playwright-report)/" },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: "tsconfig.json" },
    combinedDependencies: true,
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".tsx", ".js", ".mjs", ".cjs", ".json"],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
