// ESLint (flat config): typescript-eslint's recommended rules and React's rules of hooks, over all our code.
// Import boundaries and cycles are dependency-cruiser's (.dependency-cruiser.cjs); layout is Prettier's.
import js from "@eslint/js";
import reactHooks from "eslint-plugin-react-hooks";
import globals from "globals";
import tseslint from "typescript-eslint";

export default tseslint.config(
  {
    ignores: [
      "node_modules/",
      ".next/",
      "next-env.d.ts",
      "data/",
      "prisma/generated/",
      "gpu-worker/assets/",
      "gpu-worker/training/",
      "test-results/",
      "playwright-report/",
      "bench/out/",
      "**/*.cjs",
    ],
  },
  js.configs.recommended,
  tseslint.configs.recommended,
  {
    languageOptions: { globals: { ...globals.node, ...globals.browser } },
    rules: {
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      "no-console": ["error", { allow: ["warn", "error"] }],
    },
  },
  {
    files: ["app/**/*.tsx"],
    plugins: { "react-hooks": reactHooks },
    rules: { "react-hooks/rules-of-hooks": "error", "react-hooks/exhaustive-deps": "warn" },
  },
  {
    // The engine's numeric loops use comma sequences as statements (`if (x) (n++, (sum += x));`), on purpose.
    files: ["gpu-worker/src/**", "test/worker/**", "bench/**"],
    rules: { "@typescript-eslint/no-unused-expressions": "off" },
  },
  {
    // Command-line programs print their results.
    files: ["scripts/**", "bench/**", "gpu-worker/src/cli.ts", "gpu-worker/src/**/*-command.ts", "prisma/seed.ts"],
    rules: { "no-console": "off" },
  },
);
