#!/usr/bin/env node
/**
 * dockyard command line.
 *
 *   dockyard render --stack <name>                      resources of a stack, as JSON
 *   dockyard render --target <docker|swarm|kubernetes> <compose.yaml>...
 *
 * Rendering evaluates the program under Pulumi's mock runtime: no CLI, credentials or daemon.
 */
import * as path from "path";
import { render, RenderedResource } from "../components/render";
import { SpecError } from "../components/spec/errors";
import { readStackFiles } from "./stack-files";
import { composeProgram, TARGET_KINDS } from "./compose-program";

const USAGE = `usage:
  dockyard render --stack <name>
  dockyard render --target <${TARGET_KINDS.join("|")}> [--project-name <name>] <compose file>...`;

/** The project directory: where Pulumi.yaml is, two levels above the compiled bin/cli. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

export async function renderStack(stack: string, projectDir = PROJECT_DIR): Promise<RenderedResource[]> {
    const files = readStackFiles(projectDir, stack);
    const programPath = path.join(projectDir, "bin", "index.js");
    const program = require(programPath) as () => unknown;
    return render(program, { project: files.project, stack, config: files.config, secretKeys: files.secretKeys });
}

function parseArgs(argv: string[]): { command?: string; flags: Record<string, string>; rest: string[] } {
    const [command, ...args] = argv;
    const flags: Record<string, string> = {};
    const rest: string[] = [];
    for (let i = 0; i < args.length; i++) {
        const a = args[i];
        if (a.startsWith("--")) {
            const [k, v] = a.slice(2).split("=", 2);
            flags[k] = v ?? args[++i];
            if (flags[k] === undefined) throw new Error(`--${k} needs a value\n${USAGE}`);
        } else rest.push(a);
    }
    return { command, flags, rest };
}

export async function main(argv: string[]): Promise<number> {
    const { command, flags, rest } = parseArgs(argv);
    if (command !== "render") {
        process.stderr.write(`${USAGE}\n`);
        return command === undefined || command === "help" || command === "--help" ? 0 : 2;
    }
    let resources: RenderedResource[];
    if (flags.stack) {
        resources = await renderStack(flags.stack);
    } else if (flags.target) {
        if (rest.length === 0) throw new Error(`render --target needs at least one Compose file\n${USAGE}`);
        resources = await render(composeProgram(flags.target, rest, flags["project-name"] ? { projectName: flags["project-name"] } : {}));
    } else {
        throw new Error(`render needs --stack or --target\n${USAGE}`);
    }
    process.stdout.write(JSON.stringify(resources, null, 2) + "\n");
    return 0;
}

if (require.main === module) {
    // Never process.exit(): it ends the process while a pipe still holds unwritten output (anything past
    // the pipe's 64 KiB buffer would be lost). Setting exitCode lets Node exit once stdout has drained.
    // A reader that stops early (`| head`) is not an error of ours: the rest of the output is dropped quietly.
    process.stdout.on("error", (e: NodeJS.ErrnoException) => {
        if (e.code !== "EPIPE") throw e;
    });
    main(process.argv.slice(2)).then(
        (code) => {
            process.exitCode = code;
        },
        (e) => {
            process.stderr.write(`dockyard: ${e instanceof SpecError ? e.message : (e as Error).message}\n`);
            process.exitCode = 1;
        },
    );
}
