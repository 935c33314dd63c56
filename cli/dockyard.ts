#!/usr/bin/env node
/**
 * The `dockyard` command: `dockyard --help` and `dockyard <command> --help` say everything.
 *
 * Rendering evaluates the program under Pulumi's mock runtime: no CLI, credentials or daemon.
 */
import * as fs from "fs";
import * as path from "path";
import type { RenderedResource } from "../components/render";
import { SpecError } from "../components/spec/errors";
import { isTargetKind, TARGET_KINDS } from "./target-kinds";
import { asksForHelp, columns, commandHelp, CommandSpec, EXIT, HELP_OPTION, parseCommand, ParsedCommand, UsageError } from "./usage";

/** The project directory: where Pulumi.yaml is, two levels above the compiled bin/cli. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

// The renderer, the targets and Pulumi's SDK are loaded when a command renders, not to print help or a usage error.
const renderer = () => require("../components/render") as typeof import("../components/render");

export async function renderStack(stack: string, projectDir = PROJECT_DIR): Promise<RenderedResource[]> {
    const { readStackFiles } = require("./stack-files") as typeof import("./stack-files");
    const files = readStackFiles(projectDir, stack);
    const { render } = renderer();
    const programPath = path.join(projectDir, "bin", "index.js");
    const program = require(programPath) as () => unknown;
    return render(program, { project: files.project, stack, config: files.config, secretKeys: files.secretKeys });
}

/** Where output goes; process.stdout and process.stderr in the command. */
export interface Io {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: { write(text: string): unknown };
}

const KINDS = TARGET_KINDS.join("|");

/** What one side of a render or a diff is: a stack of this project, or Compose files on a target. */
type Source = { readonly stack: string } | { readonly target: string; readonly files: string[]; readonly projectName?: string };

async function renderSource(source: Source): Promise<RenderedResource[]> {
    if ("stack" in source) return renderStack(source.stack);
    const { composeProgram } = require("./compose-program") as typeof import("./compose-program");
    return renderer().render(composeProgram(source.target, source.files, source.projectName !== undefined ? { projectName: source.projectName } : {}));
}

/** A stack name as Pulumi allows it; anything else (a path, say) is a usage error. */
function checkStackName(command: string, name: string): string {
    if (!/^[A-Za-z0-9_.-]+$/.test(name)) throw new UsageError(`--stack: "${name}" is not a stack name (letters, digits, "-", "_", ".")`, command);
    return name;
}

function checkTarget(command: string, kind: string): string {
    if (!isTargetKind(kind)) throw new UsageError(`--target must be one of ${TARGET_KINDS.join(", ")} (got "${kind}")`, command);
    return kind;
}

const RENDER: CommandSpec = {
    name: "render",
    summary: "print the resources a stack or Compose files would create, without deploying",
    usage: ["render --stack <name> [--json]", `render --target <${KINDS}> [--project-name <name>] [--json] [--] <compose file>...`],
    description: `
Evaluates the program offline, under Pulumi's mock runtime: no Pulumi CLI, credentials or Docker
daemon are needed, and nothing is deployed. --stack renders a stack of this project
(stacks/Pulumi.<name>.yaml); --target renders Compose files, merged as \`docker compose\` merges
several -f files, as one application on a default target of that kind.

Secret values print as "[secret]" (encrypted \`secure:\` stack values are never decrypted), values
only known after deployment as "(known after apply)".`,
    options: {
        stack: { type: "string", value: "<name>", description: "a stack of this project (stacks/Pulumi.<name>.yaml)" },
        target: { type: "string", value: "<kind>", description: `render Compose files on a default ${TARGET_KINDS.join(", ")} target` },
        "project-name": { type: "string", value: "<name>", description: "the Compose project name (default: COMPOSE_PROJECT_NAME, the `name:` key, else the first file's directory)" },
        json: { type: "boolean", description: "every resource with all its inputs, as JSON: [{type, name, parent, inputs, dependsOn}]" },
        help: HELP_OPTION,
    },
    examples: [
        ["render --stack dev", "the dev stack"],
        ["render --stack staging --json > staging.json", "every input of every resource, as JSON"],
        ["render --target kubernetes compose.yaml compose.prod.yaml", "two Compose files, merged, on Kubernetes"],
        ["render --target swarm --project-name shop compose.yaml", "with the Compose project name set"],
        ["render --target docker -- -f", "a Compose file named \"-f\""],
    ],
    exitStatus: [
        ["0", "rendered"],
        ["1", "the input is wrong: an unknown stack, a bad configuration value, an invalid Compose file"],
        ["2", "usage: an unknown option, a missing or conflicting one"],
    ],
};

/** The one source `render` (and each side of `diff`) reads, from its options; conflicting options are usage errors. */
function renderSourceOf(args: ParsedCommand): Source {
    const [stack] = args.strings.stack;
    const [target] = args.strings.target;
    const [projectName] = args.strings["project-name"];
    if (stack !== undefined && target !== undefined) {
        throw new UsageError("--stack and --target cannot be used together: --stack renders a stack of this project, --target renders Compose files", "render");
    }
    if (stack !== undefined) {
        if (projectName !== undefined) throw new UsageError("--project-name goes with --target (a stack's names come from its program)", "render");
        if (args.positionals.length) throw new UsageError(`--stack takes no files (got ${args.positionals.map((p) => `"${p}"`).join(", ")}); Compose files go with --target`, "render");
        return { stack: checkStackName("render", stack) };
    }
    if (target !== undefined) {
        checkTarget("render", target);
        if (args.positionals.length === 0) throw new UsageError(`--target ${target} needs at least one Compose file`, "render");
        return { target, files: args.positionals, ...(projectName !== undefined ? { projectName } : {}) };
    }
    if (args.positionals.length) throw new UsageError(`which target? add --target <${KINDS}> to render ${args.positionals.map((p) => `"${p}"`).join(", ")}`, "render");
    throw new UsageError(`render needs --stack <name>, or --target <${KINDS}> with Compose files`, "render");
}

async function runRender(args: ParsedCommand, io: Io): Promise<number> {
    const source = renderSourceOf(args);
    const resources = await renderSource(source);
    io.stdout.write(JSON.stringify(resources, null, 2) + "\n");
    return EXIT.OK;
}

interface Command {
    readonly spec: CommandSpec;
    run(args: ParsedCommand, io: Io): Promise<number>;
}

const COMMANDS: readonly Command[] = [{ spec: RENDER, run: runRender }];

function version(): string {
    return (JSON.parse(fs.readFileSync(path.join(PROJECT_DIR, "package.json"), "utf8")) as { version: string }).version;
}

function mainHelp(): string {
    return [
        "dockyard: see what a dockyard stack or a Compose application deploys, without deploying it",
        "",
        "Usage:",
        "  dockyard <command> [options]",
        "  dockyard help [<command>]",
        "  dockyard --version",
        "",
        "Commands:",
        columns(COMMANDS.map((c) => [c.spec.name, c.spec.summary])),
        "",
        "Options:",
        columns([
            ["-h, --help", "show this help; `dockyard <command> --help` shows a command's, with examples"],
            ["--version", "print dockyard's version"],
        ]),
        "",
        "Examples:",
        columns(COMMANDS.flatMap((c) => c.spec.examples.slice(0, 2)).map(([cmd, what]) => [`dockyard ${cmd}`, `# ${what}`])),
        "",
        "Exit status:",
        columns(RENDER.exitStatus.map(([s, m]) => [s, s === "0" ? "done" : m.replace(/: an unknown option/, ": an unknown command or option")])),
        "",
    ].join("\n");
}

function commandNamed(name: string): Command {
    const c = COMMANDS.find((x) => x.spec.name === name);
    if (!c) throw new UsageError(`unknown command "${name}" (commands: ${COMMANDS.map((x) => x.spec.name).join(", ")})`);
    return c;
}

/** Runs the command line `argv` (without node and the script); returns the exit status. */
export async function main(argv: string[], io: Io = process): Promise<number> {
    try {
        const [first, ...rest] = argv;
        if (first === undefined) {
            io.stderr.write(mainHelp());
            return EXIT.USAGE;
        }
        if (first === "-h" || first === "--help") {
            io.stdout.write(rest.length && !rest[0].startsWith("-") ? commandHelp(commandNamed(rest[0]).spec) : mainHelp());
            return EXIT.OK;
        }
        if (first === "--version") {
            if (rest.length) throw new UsageError(`--version takes nothing else (got "${rest[0]}")`);
            io.stdout.write(`${version()}\n`);
            return EXIT.OK;
        }
        if (first === "help") {
            if (rest.length > 1) throw new UsageError("help takes one command at most");
            io.stdout.write(rest.length ? commandHelp(commandNamed(rest[0]).spec) : mainHelp());
            return EXIT.OK;
        }
        if (first.startsWith("-")) throw new UsageError(`unknown option ${first} (a command's options go after it: dockyard <command> ${first} …)`);
        const command = commandNamed(first);
        if (asksForHelp(rest)) {
            io.stdout.write(commandHelp(command.spec));
            return EXIT.OK;
        }
        return await command.run(parseCommand(command.spec, rest), io);
    } catch (e) {
        if (e instanceof UsageError) {
            const where = e.command ? `dockyard ${e.command}` : "dockyard";
            io.stderr.write(`${where}: ${e.message}\nRun '${where} --help' for usage.\n`);
            return EXIT.USAGE;
        }
        io.stderr.write(`dockyard: ${e instanceof SpecError ? e.message : e instanceof Error ? e.message : String(e)}\n`);
        return EXIT.INPUT;
    }
}

if (require.main === module) {
    // Never process.exit(): it ends the process while a pipe still holds unwritten output (anything past
    // the pipe's 64 KiB buffer would be lost). Setting exitCode lets Node exit once stdout has drained.
    // A reader that stops early (`| head`) is not an error of ours: the rest of the output is dropped quietly.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e;
    });
    main(process.argv.slice(2)).then((code) => {
        process.exitCode = code;
    });
}
