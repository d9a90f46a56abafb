import { convertFile } from "./convert-file";
import { validateFile } from "./validate-file";

// Graph CLI: `tsx scripts/graph-cli/main.ts <command> ...`. Each command prints ONE JSON object on stdout
// and exits 0 when it succeeded, 1 when the input could not be read or written, 2 on a usage error.
// Commands that need the database (import/export) belong in COMMANDS too, each as one handler.

type THandler = (args: readonly string[]) => Promise<{ readonly ok: boolean }>;

const USAGE = [
  "usage: npm run graph -- validate FILE",
  "       npm run graph -- convert FILE --out FILE",
  "       npm run graph -- import FILE --workspace SLUG [--title T] [--visibility private|unlisted|public] [--user EMAIL]",
  "       npm run graph -- export ID --out FILE [--subgraph SUBGRAPH_ID] [--user EMAIL]",
].join("\n");

class UsageError extends Error {}

function optionValue(args: readonly string[], name: string): string | undefined {
  const at = args.indexOf(name);
  return at === -1 ? undefined : args[at + 1];
}

function positional(args: readonly string[]): string[] {
  return args.filter((arg, i) => !arg.startsWith("--") && !(args[i - 1] ?? "").startsWith("--"));
}

const COMMANDS: Readonly<Record<string, THandler>> = {
  validate: async (args) => {
    const [file, ...rest] = positional(args);
    if (file === undefined || rest.length > 0) throw new UsageError("validate takes exactly one FILE");
    return validateFile(file);
  },
  convert: async (args) => {
    const [file, ...rest] = positional(args);
    const out = optionValue(args, "--out");
    if (file === undefined || out === undefined || rest.length > 0)
      throw new UsageError("convert takes FILE --out FILE");
    return convertFile(file, out);
  },
  // Loaded lazily: validate and convert must work without a database or its drivers.
  import: async (args) => {
    const [file, ...rest] = positional(args);
    const workspace = optionValue(args, "--workspace");
    if (file === undefined || workspace === undefined || rest.length > 0)
      throw new UsageError("import takes FILE --workspace SLUG");
    const { importCommand } = await import("./database-commands");
    return importCommand({
      file,
      workspace,
      title: optionValue(args, "--title"),
      visibility: optionValue(args, "--visibility"),
      user: optionValue(args, "--user"),
    });
  },
  export: async (args) => {
    const [id, ...rest] = positional(args);
    const out = optionValue(args, "--out");
    if (id === undefined || out === undefined || rest.length > 0) throw new UsageError("export takes ID --out FILE");
    const { exportCommand } = await import("./database-commands");
    return exportCommand({ id, out, subgraph: optionValue(args, "--subgraph"), user: optionValue(args, "--user") });
  },
};

async function main(argv: readonly string[]): Promise<number> {
  const [name, ...args] = argv;
  const handler = name === undefined ? undefined : COMMANDS[name];
  if (handler === undefined) {
    process.stderr.write(`${name === undefined ? "no command given" : `unknown command "${name}"`}\n${USAGE}\n`);
    return 2;
  }
  try {
    const result = await handler(args);
    process.stdout.write(`${JSON.stringify(result)}\n`);
    return result.ok ? 0 : 1;
  } catch (error) {
    if (error instanceof UsageError) {
      process.stderr.write(`${error.message}\n${USAGE}\n`);
      return 2;
    }
    // Database commands fail with a message for the operator (unknown workspace, unreadable file, …).
    process.stdout.write(`${JSON.stringify({ ok: false, error: { message: (error as Error).message } })}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
