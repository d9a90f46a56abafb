import { convertFile } from "./convert-file";
import { validateFile } from "./validate-file";

// Graph CLI: `tsx scripts/graph-cli/main.ts <command> ...`. Each command prints ONE JSON object on stdout
// and exits 0 when it succeeded, 1 when the input could not be read or written, 2 on a usage error.
// Commands that need the database (import/export) belong in COMMANDS too, each as one handler.

type THandler = (args: readonly string[]) => Promise<{ readonly ok: boolean }>;

const USAGE = [
  "usage: tsx scripts/graph-cli/main.ts validate FILE",
  "       tsx scripts/graph-cli/main.ts convert FILE --out FILE",
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
    if (file === undefined || out === undefined || rest.length > 0) throw new UsageError("convert takes FILE --out FILE");
    return convertFile(file, out);
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
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n${USAGE}\n`);
    return 2;
  }
}

process.exitCode = await main(process.argv.slice(2));
