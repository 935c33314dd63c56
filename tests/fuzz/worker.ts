/**
 * Runs fuzz cases in a child process (started by `fuzz.ts` with a heap limit, killed on a
 * timeout), so that a hang or a blown heap is detected and reported rather than suffered. For
 * each case it writes the files into a fresh directory, loads the Compose files (and renders the
 * app on every target), or renders a stack from mutated settings, and reports the outcome:
 *
 * - `ok`: a result;
 * - `rejected`: a SpecError whose message names the file (a Compose file, or the stack file);
 * - `crash`: any other exception (a bare JavaScript error), or an unhandled rejection;
 * - `unlocated`: a SpecError that does not say which file;
 * - `leak`: a planted secret (file content, the deployer's passphrase, a password setting) in a
 *   message, a warning, the spec or a rendered resource where it may not be;
 * - `verbose`: a message over 1000 characters.
 */
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as YAML from "yaml";
import { FILE_CANARY, FuzzCase, PASSPHRASE_CANARY, SETTING_CANARY, ComposeCase, StackCase } from "./mutants";

export type Outcome = "ok" | "rejected" | "crash" | "unlocated" | "leak" | "verbose";

export interface CaseResult {
    readonly id: number;
    readonly outcome: Outcome;
    /** The message (of an error), or what leaked where. */
    readonly detail: string;
    readonly ms: number;
}

/** The project directory: where Pulumi.yaml is, found from the compiled file. */
export const REPO_ROOT = (() => {
    let dir = __dirname;
    while (!fs.existsSync(path.join(dir, "Pulumi.yaml"))) {
        const up = path.dirname(dir);
        if (up === dir) throw new Error("Pulumi.yaml not found above " + __dirname);
        dir = up;
    }
    return dir;
})();

// Loaded lazily: requiring Pulumi takes a second, which the parent process does not need to pay.
/* eslint-disable @typescript-eslint/no-require-imports */
const lib = () => ({
    compose: require("../../components/compose") as typeof import("../../components/compose"),
    errors: require("../../components/spec/errors") as typeof import("../../components/spec/errors"),
    render: require("../../components/render") as typeof import("../../components/render"),
    app: require("../../components/app") as typeof import("../../components/app"),
    program: require("../../cli/compose-program") as typeof import("../../cli/compose-program"),
});

/** Writes a case's files under `root/app` (a `../x` file lands in `root`). */
export function materialize(c: ComposeCase, root: string): string {
    const project = path.join(root, "app");
    if (c.copyFrom) fs.cpSync(c.copyFrom, project, { recursive: true });
    fs.mkdirSync(project, { recursive: true });
    for (const [name, f] of Object.entries(c.files)) {
        const file = path.resolve(project, name);
        fs.mkdirSync(path.dirname(file), { recursive: true });
        fs.rmSync(file, { force: true, recursive: true });
        if ("text" in f) fs.writeFileSync(file, f.text);
        else if ("fifo" in f) execFileSync("mkfifo", [file]);
        else if ("symlink" in f) fs.symlinkSync(f.symlink, file);
        else if ("dir" in f) fs.mkdirSync(file);
        else {
            const fd = fs.openSync(file, "w");
            fs.ftruncateSync(fd, f.sparse);
            fs.closeSync(fd);
        }
    }
    return project;
}

/** Apps with more services than this are loaded but not rendered. */
const MAX_RENDERED_SERVICES = 60;

let pendingRejection: unknown;
process.on("unhandledRejection", (e) => {
    pendingRejection ??= e;
});

function classifyError(e: unknown, names: (message: string, err: { file?: string }) => boolean, secrets: string[]): { outcome: Outcome; detail: string } {
    const { errors } = lib();
    const message = e instanceof Error ? e.message : String(e);
    if (!(e instanceof errors.SpecError)) {
        const where = e instanceof Error ? (e.stack ?? "").split("\n").slice(0, 4).join(" | ") : "";
        return { outcome: "crash", detail: `${e instanceof Error ? e.name : typeof e}: ${message.slice(0, 500)} ${where}` };
    }
    const leaked = secrets.find((s) => message.includes(s));
    if (leaked) return { outcome: "leak", detail: `message shows ${leaked}: ${message.slice(0, 500)}` };
    if (!names(message, e)) return { outcome: "unlocated", detail: message.slice(0, 500) };
    if (message.length > 1000) return { outcome: "verbose", detail: `${message.length} characters: ${message.slice(0, 300)}…` };
    return { outcome: "rejected", detail: message };
}

async function runCompose(c: ComposeCase): Promise<{ outcome: Outcome; detail: string }> {
    const { compose, render, program } = lib();
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-fuzz-"));
    try {
        const project = materialize(c, root);
        const files = c.composeFiles.map((f) => path.join(project, f));
        const warnings: string[] = [];
        const options = { env: { ...(process.env as Record<string, string>), ...c.env }, homeDir: root, onWarning: (w: { message: string }) => warnings.push(w.message) };
        const names = (message: string) => message.includes(root) || message.includes(project);
        let spec: unknown;
        try {
            spec = compose.loadCompose(files, options);
        } catch (e) {
            return classifyError(e, names, [FILE_CANARY, PASSPHRASE_CANARY]);
        }
        const warned = warnings.find((w) => w.includes(FILE_CANARY) || w.includes(PASSPHRASE_CANARY));
        if (warned) return { outcome: "leak", detail: `warning shows a secret: ${warned.slice(0, 300)}` };
        const specText = JSON.stringify(spec);
        if (specText.includes(PASSPHRASE_CANARY)) return { outcome: "leak", detail: "the deployer's passphrase is in the spec" };
        // Rendering costs Pulumi's SDK some milliseconds per resource: a 1000-service app (a long
        // extends chain) takes minutes, linearly, which is no hang. Such apps are loaded only.
        if (!c.render || Object.keys((spec as { services: object }).services).length > MAX_RENDERED_SERVICES) return { outcome: "ok", detail: "" };
        for (const kind of program.TARGET_KINDS) {
            try {
                const resources = await render.render(program.composeProgram(kind, files, options));
                const text = JSON.stringify(resources);
                if (text.includes(PASSPHRASE_CANARY)) return { outcome: "leak", detail: `the deployer's passphrase is in a ${kind} resource` };
            } catch (e) {
                const r = classifyError(e, names, [FILE_CANARY, PASSPHRASE_CANARY]);
                return { ...r, detail: `${kind}: ${r.detail}` };
            }
        }
        return { outcome: "ok", detail: "" };
    } finally {
        fs.rmSync(root, { recursive: true, force: true });
    }
}

let projectDefaults: Record<string, string> | undefined;

/** Defaults of Pulumi.yaml's declared keys, as the CLI hands them to the program. */
function defaults(): Record<string, string> {
    if (!projectDefaults) {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8")) as { name: string; config: Record<string, { default?: unknown }> };
        projectDefaults = {};
        for (const [k, d] of Object.entries(project.config)) if (d.default !== undefined) projectDefaults[`${project.name}:${k}`] = String(d.default);
    }
    return projectDefaults;
}

async function runStack(c: StackCase): Promise<{ outcome: Outcome; detail: string }> {
    const { render } = lib();
    const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
    const file = `stacks/Pulumi.${c.stack}.yaml`;
    try {
        const resources = await render.render(program, { project: "dockyard", stack: c.stack, config: { ...defaults(), ...c.config }, secretKeys: c.secretKeys });
        const text = JSON.stringify(resources);
        if (text.includes(SETTING_CANARY) || text.includes(PASSPHRASE_CANARY)) return { outcome: "leak", detail: "a secret setting shows unmasked in a rendered resource" };
        return { outcome: "ok", detail: "" };
    } catch (e) {
        return classifyError(e, (m) => m.includes(file), [SETTING_CANARY, PASSPHRASE_CANARY]);
    }
}

/** Runs one case in this process. */
export async function runCase(c: FuzzCase): Promise<CaseResult> {
    const start = Date.now();
    pendingRejection = undefined;
    let result = c.kind === "compose" ? await runCompose(c) : await runStack(c);
    // Give stray promises a turn to fail.
    await new Promise((resolve) => setImmediate(resolve));
    if (pendingRejection !== undefined && result.outcome === "ok") {
        const e = pendingRejection;
        result = { outcome: "crash", detail: `unhandled rejection: ${e instanceof Error ? `${e.name}: ${e.message}` : String(e)}`.slice(0, 500) };
    }
    return { id: c.id, ...result, ms: Date.now() - start };
}

if (require.main === module && process.send) {
    process.on("message", (c: FuzzCase) => {
        runCase(c).then(
            (r) => process.send!(r),
            (e) => process.send!({ id: c.id, outcome: "crash", detail: `worker: ${(e as Error).stack ?? e}`, ms: 0 } satisfies CaseResult),
        );
    });
    process.send({ ready: true });
}
