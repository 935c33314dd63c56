#!/usr/bin/env -S node --
/**
 * The `dockyard` command: `dockyard --help` and `dockyard <command> --help` say everything.
 *
 * The `--` after `node` in the first line: Node checks every `--env-file <file>` of its command
 * line, those after the script's name too, and exits 9 when the file is missing ("node: x.env:
 * not found") before the script runs; after `--` it leaves them to dockyard's own --env-file.
 *
 * Rendering evaluates the program under Pulumi's mock runtime: no CLI, credentials or daemon.
 */
import * as fs from "fs";
import * as path from "path";
import type { RenderedProgram, RenderedResource, RenderOptions, RenderWarning } from "../components/render";
import { SpecError } from "../components/spec/errors";
import { isTargetKind, TARGET_KINDS } from "./target-kinds";
import { asksForHelp, columns, commandHelp, CommandSpec, EXIT, HELP_OPTION, parseCommand, ParsedCommand, UsageError } from "./usage";
import type { ComposeProject } from "./compose-files";
import type { TargetSettings } from "./compose-program";

/** dockyard's own project directory (a checkout: where its Pulumi.yaml is), two levels above the compiled bin/cli. */
export const PROJECT_DIR = path.resolve(__dirname, "..", "..");

// The renderer, the targets and Pulumi's SDK are loaded when a command renders, not to print help or a usage error.
const renderer = () => require("../components/render") as typeof import("../components/render");
const programs = () => require("./program") as typeof import("./program");

/**
 * The project `--stack` renders: `--program DIR`; else the nearest Pulumi.yaml at or above the
 * working directory, as the Pulumi CLI finds its project; else, run from a checkout of dockyard,
 * dockyard's own project (the installed package carries none).
 */
export function stackProjectDir(program: string | undefined, cwd = process.cwd()): string {
    const { findProjectDir, projectFileIn } = programs();
    if (program !== undefined) {
        const dir = path.resolve(cwd, program);
        if (!fs.existsSync(dir) || !fs.statSync(dir).isDirectory()) throw new SpecError(`--program ${program}: no such directory`, "");
        if (!projectFileIn(dir)) throw new SpecError(`--program ${program}: no Pulumi project there (no Pulumi.yaml in ${dir})`, "");
        return dir;
    }
    const found = findProjectDir(cwd) ?? (projectFileIn(PROJECT_DIR) ? PROJECT_DIR : undefined);
    if (found === undefined) {
        throw new SpecError(
            `--stack renders a stack of a Pulumi project, and there is no Pulumi.yaml in ${cwd} or above it: run dockyard in the project, or give --program <dir>; ` +
                "render a Compose application with --target <docker|swarm|kubernetes> <compose file>",
            "",
        );
    }
    return found;
}

/** A stack of the project in `projectDir`: its resources. */
export async function renderStack(stack: string, projectDir = PROJECT_DIR): Promise<RenderedResource[]> {
    return (await renderStackProgram(stack, projectDir)).resources;
}

/**
 * A stack of the project in `projectDir`, rendered as `pulumi preview` would run it: the project's
 * program, in its directory, with its own `@pulumi/pulumi`, and the stack's configuration. dockyard's
 * own project renders its compiled program, bin/index.js (`npm run build` makes it of index.ts),
 * rather than transpiling the library on every render. `entry` names a program file instead.
 */
export async function renderStackProgram(stack: string, projectDir = PROJECT_DIR, options: RenderOptions = {}, entry?: string): Promise<RenderedProgram & { project: string }> {
    const { readProject, loadProgram } = programs();
    const project = readProject(projectDir);
    const { readStackFiles } = require("./stack-files") as typeof import("./stack-files");
    const files = readStackFiles(projectDir, stack, project);
    const own = path.resolve(projectDir) === PROJECT_DIR;
    const program = loadProgram(project, entry ?? (own ? path.join(PROJECT_DIR, "bin", "index.js") : undefined));
    const cwd = process.cwd();
    // Pulumi runs a program in its project's directory: relative paths (a Compose file) are the project's.
    process.chdir(projectDir);
    try {
        const rendered = await renderer().renderProgram(() => program.run(), {
            ...options,
            ...(program.sdk ? { sdk: program.sdk } : {}),
            project: files.project,
            stack,
            config: files.config,
            secretKeys: files.secretKeys,
        });
        return { ...rendered, project: files.project };
    } catch (e) {
        if (own || e instanceof SpecError) throw e;
        const where = path.relative(cwd, program.entry) || program.entry;
        throw new SpecError(`the program failed (stack ${stack}): ${e instanceof Error ? (e.name && e.name !== "Error" ? `${e.name}: ${e.message}` : e.message) : String(e)}`, "", undefined, where);
    } finally {
        process.chdir(cwd);
    }
}

/** Where output goes; process.stdout and process.stderr in the command. */
export interface Io {
    readonly stdout: { write(text: string): unknown };
    readonly stderr: { write(text: string): unknown };
}

const KINDS = TARGET_KINDS.join("|");

/** What one side of a render or a diff is: a stack of this project, or a Compose project on a target. */
type Source = { readonly stack: string; readonly projectDir: string } | { readonly target: string; readonly project: ComposeProject; readonly settings: TargetSettings };

/** Warnings on stderr, as `warning: <resource>: <message>`, without the SDK's `[runtime]` prefix. */
function warningsTo(io: Io): (w: RenderWarning) => void {
    return (w) => io.stderr.write(`warning: ${w.resource !== undefined ? `${w.resource}: ` : ""}${w.message}\n`);
}

/** Renders one side; ids and image ids as placeholders that name what they stand for. */
async function renderSource(source: Source, io: Io): Promise<RenderedProgram & { root?: string }> {
    // No stack traces while rendering: the command prints errors' messages only, and the SDK's per-promise
    // stacks are half the time of a large render.
    const options: RenderOptions = { namedPlaceholders: true, onWarning: warningsTo(io), stackTraceLimit: 0 };
    if ("stack" in source) {
        const rendered = await renderStackProgram(source.stack, source.projectDir, options);
        return { ...rendered, root: `${rendered.project}-${source.stack}` };
    }
    const { composeProgram } = require("./compose-program") as typeof import("./compose-program");
    return renderer().renderProgram(composeProgram(source.target, source.project.files, source.project.options, source.settings), options);
}

/** The Compose options every command that reads Compose files takes, as `docker compose` has them. */
const COMPOSE_OPTIONS: CommandSpec["options"] = {
    file: { type: "string", short: "f", value: "<file>", max: Infinity, description: "a Compose file; repeat for several, merged in order (default: COMPOSE_FILE, else compose.yaml… here or above)" },
    "project-name": { type: "string", short: "p", value: "<name>", description: "the Compose project name (default: COMPOSE_PROJECT_NAME, the `name:` key, else the first file's directory)" },
    profile: { type: "string", value: "<name>", max: Infinity, description: "a profile to enable; repeatable (default: COMPOSE_PROFILES)" },
    "env-file": { type: "string", value: "<file>", max: Infinity, description: "an env file instead of the project's .env; repeatable (default: COMPOSE_ENV_FILES)" },
};

/**
 * The Kubernetes target's settings (KubernetesTargetArgs), for `--target kubernetes`: the flag, the
 * setting, and how the value is read. A stack sets them in its configuration instead.
 */
const KUBERNETES_SETTINGS = {
    namespace: { setting: "namespace", boolean: false },
    "service-type": { setting: "serviceType", boolean: false },
    "storage-class": { setting: "storageClass", boolean: false },
    "volume-size": { setting: "defaultVolumeSize", boolean: false },
    "node-address": { setting: "nodeAddress", boolean: false },
    "allow-host-path": { setting: "allowHostPath", boolean: true },
    "stable-storage": { setting: "stableStorage", boolean: true },
} as const;

const KUBERNETES_OPTIONS: CommandSpec["options"] = {
    namespace: { type: "string", value: "<name>", description: "kubernetes: an existing namespace to deploy into (default: a namespace named after the app)" },
    "service-type": { type: "string", value: "<type>", description: "kubernetes: NodePort or LoadBalancer, the Service type of published ports (default LoadBalancer)" },
    "storage-class": { type: "string", value: "<name>", description: "kubernetes: the storage class of the claims (default: the cluster's default)" },
    "volume-size": { type: "string", value: "<size>", description: "kubernetes: the size of a volume's claim when the volume sets none (default 1Gi)" },
    "node-address": { type: "string", value: "<host>", description: "kubernetes: the address NodePort endpoints are reported at (default localhost)" },
    "allow-host-path": { type: "boolean", description: "kubernetes: let bind mounts of host paths become hostPath volumes (single-node clusters)" },
    "stable-storage": { type: "boolean", description: "kubernetes: replicated services with volumes become StatefulSets, a claim per pod" },
};

/** The target settings of a command line; a setting for another target than the one given is a usage error. */
function targetSettingsOf(args: ParsedCommand, command: string, target: string | undefined): TargetSettings {
    const given = Object.keys(KUBERNETES_SETTINGS).filter((flag) => (KUBERNETES_SETTINGS[flag as keyof typeof KUBERNETES_SETTINGS].boolean ? args.flags[flag] : args.strings[flag]?.length));
    if (!given.length) return {};
    if (target !== "kubernetes") {
        throw new UsageError(
            target === undefined
                ? `--${given[0]} goes with --target kubernetes (a stack sets its cluster settings in its configuration)`
                : `--${given[0]} is a setting of the Kubernetes target, not of --target ${target}`,
            command,
        );
    }
    const settings: Record<string, unknown> = {};
    for (const flag of given) {
        const { setting, boolean } = KUBERNETES_SETTINGS[flag as keyof typeof KUBERNETES_SETTINGS];
        settings[setting] = boolean ? true : args.strings[flag][0];
    }
    const { resolveOptions } = require("../components/targets/kubernetes/options") as typeof import("../components/targets/kubernetes/options");
    try {
        resolveOptions(settings);
    } catch (e) {
        // The setting's checks speak of `kubernetes.<setting>`: say which flag instead.
        if (!(e instanceof SpecError)) throw e;
        const flag = Object.entries(KUBERNETES_SETTINGS).find(([, s]) => `kubernetes.${s.setting}` === e.path)?.[0];
        throw new UsageError(`--${flag ?? e.path}: ${e.reason} (got ${JSON.stringify(e.value)})`, command);
    }
    return { kubernetes: settings };
}

/** How the Compose files and options are found, for the help of every command that reads Compose files. */
const COMPOSE_FILES_HELP = `
Compose files are found as \`docker compose\` finds them: the -f files (or files given as
arguments), else COMPOSE_FILE (paths separated by COMPOSE_PATH_SEPARATOR, ":" by default), else
the first of compose.yaml, compose.yml, docker-compose.yml, docker-compose.yaml in the working
directory or the nearest directory above it, with compose.override.yml (or .yaml, or
docker-compose.override.yml or .yaml) beside it. The project name is -p, else
COMPOSE_PROJECT_NAME, else the files' \`name:\`, else the first file's directory; profiles are
--profile, else COMPOSE_PROFILES; env files are --env-file, else COMPOSE_ENV_FILES, else the
project's .env. The COMPOSE_* variables may be set in the environment or in a .env file (the
environment wins). A Compose file of the old version 1 format (services at the top level, no
\`services:\` key) is refused, with how to convert it.`;

/** Compose options given with --stack: a usage error. */
function refuseComposeOptions(args: ParsedCommand, command: string): void {
    for (const name of ["file", "project-name", "profile", "env-file"]) {
        if (args.strings[name].length) throw new UsageError(`--${name} goes with --target (a stack's names and files come from its program)`, command);
    }
}

/** The Compose project of a command line: files from -f and the arguments, with the Compose options. */
function composeProjectOf(args: ParsedCommand, command: string, files: readonly string[]): ComposeProject {
    const { composeProject } = require("./compose-files") as typeof import("./compose-files");
    const [projectName] = args.strings["project-name"];
    return composeProject({ files, ...(projectName !== undefined ? { projectName } : {}), profiles: args.strings.profile, envFiles: args.strings["env-file"] }, command);
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
    usage: [
        "render --stack <name> [--program <dir>] [--json]",
        `render --target <${KINDS}> [-f <file>]... [-p <name>] [--profile <name>]... [--env-file <file>]... [--plan] [--json] [--] [<compose file>...]`,
    ],
    description: `
Evaluates the program offline, under Pulumi's mock runtime: no Pulumi CLI, credentials or Docker
daemon are needed, and nothing is deployed. --stack renders a stack of a Pulumi project (its
Pulumi.<name>.yaml); --target renders Compose files, merged as \`docker compose\` merges several -f
files, as one application on a default target of that kind.

The project is --program <dir>, else the one the working directory is in (the nearest Pulumi.yaml
at or above it, as pulumi finds it), else, outside any project, dockyard's own when dockyard runs
from a checkout of it. Its program is run as \`pulumi preview\` runs it: Pulumi.yaml's \`main\` (else
package.json's entry point, else index.js or index.ts), in the project's directory, with the
project's own @pulumi/pulumi, its configuration from Pulumi.yaml and Pulumi.<name>.yaml (in its
stackConfigDir), keys without a namespace in the project's. A TypeScript program is transpiled as
it loads, without type checking, by the project's typescript with its tsconfig.json. Node.js
projects (runtime: nodejs) only, CommonJS (not type: module).

The output is a tree, as \`pulumi preview\` shows a plan: each resource's type, name and a few key
inputs (image, ports, replicas, size) under its parent, then the outputs. --json prints every input
of every resource instead. Secret values print as "[secret]" (encrypted \`secure:\` stack values are
never decrypted), values only known after deployment as "(known after apply)", ids (which only the
mock runtime makes up) as "(id of <resource>)". Warnings go to stderr.

With --target kubernetes, --format yaml prints the manifests instead: every object the target
would create, in creation order, as one YAML stream for \`kubectl apply -f -\`, kubeconform or a
GitOps repository; with --output-dir, one file per object (numbered in creation order, so
\`kubectl apply -f DIR\` creates the namespace first). Files an earlier --output-dir render wrote
there are replaced, so a removed object does not linger; other files are left alone. Manifests
hold secret values as they are (a manifest set without them would not work): files with a Secret
are readable by their owner only. The target's settings are the --namespace, --service-type,
--storage-class, --volume-size, --node-address, --allow-host-path and --stable-storage options.

With --target, --plan prints the target's plan instead, computed without Pulumi's runtime: the
findings (errors and warnings, in the Compose file's terms), every resource in creation order
with its key and what it is created after, and the names the app's objects get on the target;
a value known only after creation shows as "(<key>.<property>)". Exit 1 when the plan has errors.
${COMPOSE_FILES_HELP}`,
    options: {
        stack: { type: "string", value: "<name>", description: "a stack of the project (its Pulumi.<name>.yaml)" },
        program: { type: "string", value: "<dir>", description: "with --stack: the Pulumi project in <dir> (default: the one the working directory is in)" },
        target: { type: "string", value: "<kind>", description: `render Compose files on a default ${TARGET_KINDS.join(", ")} target` },
        ...COMPOSE_OPTIONS,
        format: { type: "string", value: "<tree|json|yaml>", description: "tree (default); json, as --json; yaml: with --target kubernetes, the manifests" },
        json: { type: "boolean", description: "every resource with all its inputs, as JSON: [{type, name, parent, inputs, dependsOn}]" },
        plan: { type: "boolean", description: "with --target: the target's plan (findings, resources in order, names), without Pulumi's runtime" },
        "output-dir": { type: "string", value: "<dir>", description: "with --format yaml: write one manifest file per object into <dir> instead of stdout" },
        ...KUBERNETES_OPTIONS,
        help: HELP_OPTION,
    },
    examples: [
        ["render --stack dev", "the dev stack"],
        ["render --target docker", "the Compose project here (compose.yaml, and compose.override.yml if there is one)"],
        ["render --target swarm --plan -f compose.yaml", "what the Swarm target plans for compose.yaml, and what it ignores or refuses"],
        ["render --stack staging --json > staging.json", "every input of every resource, as JSON"],
        ["render --target kubernetes -f compose.yaml -f compose.prod.yaml", "two Compose files, merged, on Kubernetes"],
        ["render --target swarm -p shop --profile debug --env-file prod.env", "with a project name, a profile and an env file"],
        ["render --target kubernetes compose.yaml compose.prod.yaml", "files given as arguments, as -f files"],
        ["render --target docker -- -f", "a Compose file named \"-f\""],
        ["render --target kubernetes --format yaml > app.yaml", "the manifests, for kubectl apply -f app.yaml"],
        ["render --target kubernetes --format yaml --output-dir k8s/ --service-type NodePort", "one manifest file per object in k8s/, published ports on NodePorts"],
    ],
    exitStatus: [
        ["0", "rendered"],
        ["1", "the input is wrong: an unknown stack, a bad configuration value, an invalid Compose file"],
        ["2", "usage: an unknown option, a missing or conflicting one, no Compose file given or found"],
    ],
};

/** The one source `render` (and each side of `diff`) reads, from its options; conflicting options are usage errors. */
function renderSourceOf(args: ParsedCommand): Source {
    const [stack] = args.strings.stack;
    const [target] = args.strings.target;
    if (stack !== undefined && target !== undefined) {
        throw new UsageError("--stack and --target cannot be used together: --stack renders a stack of this project, --target renders Compose files", "render");
    }
    if (stack !== undefined) {
        refuseComposeOptions(args, "render");
        targetSettingsOf(args, "render", undefined);
        if (args.positionals.length) throw new UsageError(`--stack takes no files (got ${args.positionals.map((p) => `"${p}"`).join(", ")}); Compose files go with --target`, "render");
        return { stack: checkStackName("render", stack), projectDir: stackProjectDir(args.strings.program[0]) };
    }
    const files = args.strings.file;
    if (args.strings.program.length) throw new UsageError("--program goes with --stack (it names the Pulumi project whose stack is rendered)", "render");
    if (target !== undefined) {
        checkTarget("render", target);
        const settings = targetSettingsOf(args, "render", target);
        if (files.length && args.positionals.length) {
            throw new UsageError(`Compose files go after -f or as arguments, not both (got -f ${files.join(" -f ")} and ${args.positionals.map((p) => `"${p}"`).join(", ")})`, "render");
        }
        return { target, project: composeProjectOf(args, "render", files.length ? files : args.positionals), settings };
    }
    const named = [...files, ...args.positionals];
    if (named.length) throw new UsageError(`which target? add --target <${KINDS}> to render ${named.map((p) => `"${p}"`).join(", ")}`, "render");
    throw new UsageError(`render needs --stack <name>, or --target <${KINDS}> (with Compose files, or where compose.yaml is)`, "render");
}

/** The warnings of how the Compose files were found, on stderr. */
function tellComposeWarnings(sources: readonly Source[], io: Io): void {
    for (const s of sources) if ("project" in s) for (const w of s.project.warnings) io.stderr.write(`warning: ${w}\n`);
}

/** The output format of `render`: --format, or --json (the same as --format json); conflicts are usage errors. */
function renderFormatOf(args: ParsedCommand): "tree" | "json" | "yaml" {
    const [format] = args.strings.format;
    if (format !== undefined && format !== "tree" && format !== "json" && format !== "yaml") throw new UsageError(`--format must be tree, json or yaml (got "${format}")`, "render");
    if (args.flags.json && format !== undefined && format !== "json") throw new UsageError(`--json is --format json; it cannot go with --format ${format}`, "render");
    if (args.strings["output-dir"].length && format !== "yaml") throw new UsageError("--output-dir goes with --format yaml (it writes manifests)", "render");
    return args.flags.json ? "json" : format ?? "tree";
}

async function runRender(args: ParsedCommand, io: Io): Promise<number> {
    const format = renderFormatOf(args);
    const source = renderSourceOf(args);
    if (format === "yaml") {
        if (!("target" in source) || source.target !== "kubernetes") {
            throw new UsageError(`--format yaml writes Kubernetes manifests: it goes with --target kubernetes${"target" in source ? ` (got --target ${source.target})` : ""}`, "render");
        }
        if (args.flags.plan) throw new UsageError("--plan and --format yaml cannot be used together: the plan is printed as text or JSON", "render");
    }
    tellComposeWarnings([source], io);
    if (args.flags.plan || format === "yaml") {
        if (!("target" in source)) throw new UsageError("--plan goes with --target (a stack's program is rendered as a whole)", "render");
        const { composePlan } = require("./compose-program") as typeof import("./compose-program");
        const planned = composePlan(source.target, source.project.files, source.project.options, warningsTo(io), source.settings);
        if (format === "yaml") return writeManifestsOf(planned, args.strings["output-dir"][0], io);
        const { printPlan, planText } = require("../components/render/plan") as typeof import("../components/render/plan");
        const printed = await printPlan(planned.plan, planned.tell);
        io.stdout.write(format === "json" ? JSON.stringify(printed, null, 2) + "\n" : planText(printed));
        return printed.findings.some((f) => f.level === "error") ? EXIT.INPUT : EXIT.OK;
    }
    const rendered = await renderSource(source, io);
    if (format === "json") {
        io.stdout.write(JSON.stringify(rendered.resources, null, 2) + "\n");
    } else {
        const { formatTree } = require("../components/render/tree") as typeof import("../components/render/tree");
        io.stdout.write(formatTree(rendered, rendered.root !== undefined ? { root: rendered.root } : {}));
    }
    return EXIT.OK;
}

/**
 * The manifests of a Kubernetes plan, on stdout or into `dir`. A plan with errors writes nothing:
 * its findings go to stderr, in the Compose file's terms, and the status is 1; warnings go to
 * stderr too.
 */
async function writeManifestsOf(planned: { plan: import("../components/targets/plan").Plan; tell: (f: import("../components/targets/plan").Finding) => string }, dir: string | undefined, io: Io): Promise<number> {
    for (const f of planned.plan.findings) io.stderr.write(`${f.level}: ${planned.tell(f)}: ${f.message}\n`);
    if (planned.plan.findings.some((f) => f.level === "error")) return EXIT.INPUT;
    const { manifestsOf, manifestsYaml, writeManifests } = require("../components/render/manifests") as typeof import("../components/render/manifests");
    const manifests = await manifestsOf(planned.plan);
    if (dir === undefined) {
        io.stdout.write(manifestsYaml(manifests));
        return EXIT.OK;
    }
    const { written, removed } = writeManifests(dir, manifests);
    for (const f of removed) io.stderr.write(`removed ${path.join(dir, f)} (no longer in the app)\n`);
    io.stderr.write(`wrote ${written.length} manifests to ${dir}\n`);
    return EXIT.OK;
}

/** `diff` exits as diff(1) does; a usage error or an input that does not render are both "trouble". */
const DIFF_EXIT = { SAME: 0, DIFFERENT: 1, TROUBLE: 2 } as const;

const DIFF: CommandSpec = {
    name: "diff",
    summary: "compare two stacks, or two Compose files on one target, resource by resource",
    usage: [
        "diff --stack <from> --stack <to> [--rev <rev>] [--program <dir>] [--json]",
        "diff --stack <name> --rev <from rev> [--rev <to rev>] [--program <dir>] [--json]",
        `diff --target <${KINDS}> [-f <file>]... [-p <name>] [--profile <name>]... [--env-file <file>]... [--json] [--] <from.yaml> <to.yaml>`,
        `diff --target <${KINDS}> [-f <file>]... [Compose options] [--json] [--] <override.yaml>`,
    ],
    description: `
Renders both sides offline (as \`dockyard render\` does) and compares them the way Pulumi compares
a program to its state: resources are matched by type and name; a resource only on the second side
is to be created (+), only on the first to be deleted (-), on both with other inputs, another parent
or other explicit dependencies to be updated (~). Changed inputs are shown property by property as
\`pulumi preview --diff\` shows them (old => new); list elements are aligned, so an inserted one shows
as one +, and multi-line strings (configuration files) as line diffs. Changed stack outputs follow.

With --stack, each side is a stack of the project (--program <dir>, else the one the working
directory is in, as for \`dockyard render --stack\`), in the working tree, or at a git revision with
--rev: --stack A --stack B compares two stacks; with --rev R, both at R; --stack S --rev R
compares S at R with S in the working tree; --rev R1 --rev R2, at R1 with at R2. A revision is
exported from git into a temporary directory (removed after), with the working tree's node_modules
linked in: it is rendered with the dependencies installed now (a warning says when its package.json
or package-lock.json differ). A TypeScript program is transpiled as it loads; one whose entry point
is build output (main: bin/index.js) is built first with the project's tsc and tsconfig.json.

Secret values render as "[secret]" on both sides, so a changed secret does not show. Compose files
in different directories get different project names (so different resource names) unless they
set \`name:\` or --project-name is given.

With --target, each side is a Compose project. Given two files, each is a side, loaded after the
-f files if any (the files both sides share). Given one file, the sides are the project without it
and with it: the -f files (or COMPOSE_FILE, or the compose.yaml found here), then those files and
the one given, which shows what an override file changes. -p, --profile and --env-file apply to
both sides.
${COMPOSE_FILES_HELP}`,
    options: {
        stack: { type: "string", value: "<name>", description: "a stack of the project; given twice: from, then to", max: 2 },
        rev: { type: "string", value: "<rev>", description: "with --stack: a git revision of the project (HEAD~1, a tag, a commit); given twice: from, then to", max: 2 },
        program: { type: "string", value: "<dir>", description: "with --stack: the Pulumi project in <dir> (default: the one the working directory is in)" },
        target: { type: "string", value: "<kind>", description: `render both Compose projects on a default ${TARGET_KINDS.join(", ")} target` },
        ...COMPOSE_OPTIONS,
        json: { type: "boolean", description: "the differences as JSON: {from, to, equal, summary, resources: [{op, type, name, changes}], outputs}" },
        ...KUBERNETES_OPTIONS,
        help: HELP_OPTION,
    },
    examples: [
        ["diff --stack dev --stack staging", "what changes from dev to staging"],
        ["diff --stack dev --rev HEAD", "what the working tree changes in the dev stack since the last commit"],
        ["diff --target swarm compose.yaml compose.next.yaml", "two versions of a Compose file, on Swarm"],
        ["diff --stack staging --stack prod --json > changes.json", "the same as JSON, for a script"],
        ["diff --target docker --project-name shop old/compose.yaml new/compose.yaml", "files in two directories, one project name"],
        ["diff --target kubernetes compose.prod.yaml", "what compose.prod.yaml changes over the project here (compose.yaml)"],
        ["diff --target swarm -f compose.yaml compose.next.yaml compose.prod.yaml", "compose.yaml with one override, then with the other"],
    ],
    exitStatus: [
        [String(DIFF_EXIT.SAME), "the two sides are the same"],
        [String(DIFF_EXIT.DIFFERENT), "they differ"],
        [String(DIFF_EXIT.TROUBLE), "trouble: a usage error, or a side that does not render (an unknown stack, an invalid Compose file, a bad revision)"],
    ],
};

/** One side of a stack diff: a stack, at a revision of the project or in the working tree. */
interface StackSide {
    readonly stack: string;
    readonly rev?: string;
}

type DiffSides = { readonly stacks: readonly [StackSide, StackSide]; readonly program?: string } | { readonly from: Source; readonly to: Source; readonly labels: [string, string] };

function diffSourcesOf(args: ParsedCommand): DiffSides {
    const stacks = args.strings.stack;
    const revs = args.strings.rev;
    const [target] = args.strings.target;
    if (stacks.length && target !== undefined) {
        throw new UsageError("--stack and --target cannot be used together: compare two stacks, or two Compose files on one target", "diff");
    }
    if (stacks.length) {
        if (stacks.length === 1 && !revs.length) {
            throw new UsageError(`diff needs two stacks: --stack <from> --stack <to> (got one: ${stacks[0]}), or a stack and a revision: --stack ${stacks[0]} --rev <rev>`, "diff");
        }
        refuseComposeOptions(args, "diff");
        targetSettingsOf(args, "diff", undefined);
        if (args.positionals.length) throw new UsageError(`--stack takes no files (got ${args.positionals.map((p) => `"${p}"`).join(", ")}); Compose files go with --target`, "diff");
        for (const rev of revs) if (rev.startsWith("-")) throw new UsageError(`--rev: "${rev}" is not a revision (a revision does not start with "-")`, "diff");
        const [from, to = from] = stacks.map((s) => checkStackName("diff", s));
        // One revision: with one stack, from it to the working tree; with two, both stacks at it.
        const [fromRev, toRev] = revs.length === 1 && stacks.length === 2 ? [revs[0], revs[0]] : revs;
        return {
            stacks: [
                { stack: from, ...(fromRev !== undefined ? { rev: fromRev } : {}) },
                { stack: to, ...(toRev !== undefined ? { rev: toRev } : {}) },
            ],
            ...(args.strings.program.length ? { program: args.strings.program[0] } : {}),
        };
    }
    if (revs.length) throw new UsageError("--rev goes with --stack: a stack at a revision of its project", "diff");
    if (args.strings.program.length) throw new UsageError("--program goes with --stack (it names the Pulumi project whose stacks are compared)", "diff");
    if (target !== undefined) {
        checkTarget("diff", target);
        const settings = targetSettingsOf(args, "diff", target);
        const shared = args.strings.file;
        const sides = args.positionals;
        if (sides.length === 0 || sides.length > 2) {
            throw new UsageError(`--target ${target} needs two Compose files, from and to, or one to compare the project with (got ${sides.length})`, "diff");
        }
        const label = (project: ComposeProject) => `${project.files.map((f) => path.relative(process.cwd(), f) || f).join(" + ")} on ${target}`;
        if (sides.length === 2) {
            const from = composeProjectOf(args, "diff", [...shared, sides[0]]);
            const to = composeProjectOf(args, "diff", [...shared, sides[1]]);
            return { from: { target, project: from, settings }, to: { target, project: to, settings }, labels: shared.length ? [label(from), label(to)] : [`${sides[0]} on ${target}`, `${sides[1]} on ${target}`] };
        }
        const from = composeProjectOf(args, "diff", shared);
        const to = composeProjectOf(args, "diff", [...from.files, sides[0]]);
        return { from: { target, project: from, settings }, to: { target, project: to, settings }, labels: [label(from), label(to)] };
    }
    throw new UsageError(`diff needs --stack <from> --stack <to>, or --target <${KINDS}> with two Compose files, or --stack <name> --rev <rev>`, "diff");
}

async function runDiff(args: ParsedCommand, io: Io): Promise<number> {
    const sides = diffSourcesOf(args);
    const exports: { remove(): void }[] = [];
    try {
        let from: Source, to: Source, labels: [string, string];
        if ("stacks" in sides) {
            const projectDir = stackProjectDir(sides.program);
            const { exportRevision } = require("./revisions") as typeof import("./revisions");
            const exported = new Map<string, import("./revisions").RevisionProject>();
            const at = (side: StackSide): { source: Source; label: string } => {
                if (side.rev === undefined) return { source: { stack: side.stack, projectDir }, label: `stack ${side.stack}${sides.stacks.some((s) => s.rev !== undefined) ? " (working tree)" : ""}` };
                let revision = exported.get(side.rev);
                if (!revision) {
                    revision = exportRevision(projectDir, side.rev);
                    exports.push(revision);
                    exported.set(side.rev, revision);
                    for (const w of revision.warnings) io.stderr.write(`warning: ${w}\n`);
                }
                return { source: { stack: side.stack, projectDir: revision.projectDir }, label: `stack ${side.stack} at ${revision.label}` };
            };
            const [a, b] = sides.stacks.map(at);
            [from, to, labels] = [a.source, b.source, [a.label, b.label]];
        } else {
            ({ from, to, labels } = sides);
        }
        tellComposeWarnings([from, to], io);
        const { diffPrograms, diffJson, formatDiff, isEqual } = require("./diff") as typeof import("./diff");
        // One after the other: the mock runtime is process-global (render queues them anyway).
        const before = await renderSource(from, io);
        const after = await renderSource(to, io);
        const diff = diffPrograms(before, after);
        io.stdout.write(args.flags.json ? JSON.stringify(diffJson(labels[0], labels[1], diff), null, 2) + "\n" : formatDiff(labels[0], labels[1], diff));
        return isEqual(diff) ? DIFF_EXIT.SAME : DIFF_EXIT.DIFFERENT;
    } finally {
        for (const e of exports) e.remove();
    }
}

const CONFIG: CommandSpec = {
    name: "config",
    summary: "print the application dockyard understood from Compose files, as `docker compose config` does",
    usage: [`config [-f <file>]... [-p <name>] [--profile <name>]... [--env-file <file>]... [--format yaml|json] [--services | --images] [--] [<compose file>...]`],
    description: `
Loads the Compose files (merged, interpolated, with profiles, extends and include resolved) and
prints the normalized application model every target deploys: ports expanded, durations in
milliseconds, sizes in bytes, commands as argv, names resolved. Secret contents print as
"[secret]". --services prints the service names, --images the images, one per line.
${COMPOSE_FILES_HELP}`,
    options: {
        ...COMPOSE_OPTIONS,
        format: { type: "string", value: "<yaml|json>", description: "the output format (default yaml)" },
        services: { type: "boolean", description: "the service names only, one per line" },
        images: { type: "boolean", description: "the images only, one per line" },
        help: HELP_OPTION,
    },
    examples: [
        ["config", "the project of compose.yaml here, as dockyard reads it"],
        ["config -f compose.yaml -f compose.prod.yaml --format json", "two files merged, as JSON"],
        ["config --services", "the service names"],
    ],
    exitStatus: [
        ["0", "printed"],
        ["1", "the input is wrong: an invalid Compose file, a missing env file"],
        ["2", "usage: an unknown option, a missing or conflicting one, no Compose file found"],
    ],
};

/** The model as printed: secret contents masked, Pulumi inputs (a generated password) named. */
function printableSpec(spec: import("../components/spec/types").AppSpec): unknown {
    const secrets = Object.fromEntries(Object.entries(spec.secrets).map(([k, v]) => [k, v.content !== undefined ? { ...v, content: "[secret]" } : { ...v }]));
    const configs = Object.fromEntries(Object.entries(spec.configs).map(([k, v]) => [k, typeof v.content === "string" || v.content === undefined ? { ...v } : { ...v, content: "(a Pulumi input)" }]));
    return JSON.parse(JSON.stringify({ ...spec, secrets, configs }));
}

async function runConfig(args: ParsedCommand, io: Io): Promise<number> {
    const format = args.strings.format[0] ?? "yaml";
    if (format !== "yaml" && format !== "json") throw new UsageError(`--format must be yaml or json (got "${format}")`, "config");
    if (args.flags.services && args.flags.images) throw new UsageError("--services and --images cannot be used together", "config");
    const files = args.strings.file;
    if (files.length && args.positionals.length) {
        throw new UsageError(`Compose files go after -f or as arguments, not both (got -f ${files.join(" -f ")} and ${args.positionals.map((p) => `"${p}"`).join(", ")})`, "config");
    }
    const project = composeProjectOf(args, "config", files.length ? files : args.positionals);
    for (const w of project.warnings) io.stderr.write(`warning: ${w}\n`);
    const { loadCompose } = require("../components/compose") as typeof import("../components/compose");
    const spec = loadCompose(project.files, { ...project.options, onWarning: (w) => io.stderr.write(`warning: ${w.message}\n`) });
    const services = Object.values(spec.services);
    if (args.flags.services) {
        io.stdout.write(services.map((s) => s.name + "\n").join(""));
    } else if (args.flags.images) {
        io.stdout.write(services.map((s) => s.image + "\n").join(""));
    } else if (format === "json") {
        io.stdout.write(JSON.stringify(printableSpec(spec), null, 2) + "\n");
    } else {
        const YAML = require("yaml") as typeof import("yaml");
        io.stdout.write(YAML.stringify(printableSpec(spec), { lineWidth: 0 }));
    }
    return EXIT.OK;
}

interface Command {
    readonly spec: CommandSpec;
    run(args: ParsedCommand, io: Io): Promise<number>;
    /** Exit status when the input is wrong (default EXIT.INPUT). */
    readonly inputErrorStatus?: number;
}

const COMMANDS: readonly Command[] = [
    { spec: RENDER, run: runRender },
    { spec: DIFF, run: runDiff, inputErrorStatus: DIFF_EXIT.TROUBLE },
    { spec: CONFIG, run: runConfig },
];

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
        "  `dockyard diff` exits as diff(1) does: 0 the same, 1 different, 2 trouble (usage, or an input that does not render).",
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
    let command: Command | undefined;
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
        command = commandNamed(first);
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
        return command?.inputErrorStatus ?? EXIT.INPUT;
    }
}

if (require.main === module) {
    // Most of a small render's time is Node compiling @pulumi/pulumi's JavaScript; Node's on-disk compile cache
    // (in the OS temporary directory, or NODE_COMPILE_CACHE) keeps that work from one run to the next.
    (require("module") as { enableCompileCache?: () => unknown }).enableCompileCache?.();
    (require("./lazy-requires") as typeof import("./lazy-requires")).deferUnusedSdkRequires();
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
