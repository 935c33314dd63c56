/**
 * The real chain, for the real tests: the `pulumi` CLI (scripts/engine.sh puts it and its plugins on
 * PATH), the Docker engine, and a throw-away copy of the project per stack so that nothing a test
 * does (stack init, config changes, state) touches the repository.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness";

export interface RunOptions {
    /** Bounded: every command is killed after this long. @default 120 s */
    readonly timeoutMs?: number;
    readonly cwd?: string;
    readonly env?: NodeJS.ProcessEnv;
    readonly input?: string;
    /** Return a failed run instead of throwing. @default false */
    readonly allowFail?: boolean;
}

export interface RunResult {
    readonly status: number;
    readonly stdout: string;
    readonly stderr: string;
}

/** Runs a command to completion within its time-out; throws with its output when it fails. */
export function run(cmd: string, args: readonly string[], o: RunOptions = {}): RunResult {
    const timeout = o.timeoutMs ?? 120_000;
    const r = spawnSync(cmd, args, {
        cwd: o.cwd,
        env: o.env ?? process.env,
        input: o.input,
        encoding: "utf8",
        timeout,
        killSignal: "SIGKILL",
        maxBuffer: 64 * 1024 * 1024,
    });
    const result = { status: r.status ?? -1, stdout: r.stdout ?? "", stderr: r.stderr ?? "" };
    const timedOut = r.error && (r.error as NodeJS.ErrnoException).code === "ETIMEDOUT";
    if (r.error && !timedOut) throw new Error(`${cmd} could not be run: ${r.error.message}`);
    if (timedOut || (result.status !== 0 && !o.allowFail)) {
        const why = timedOut ? `timed out after ${timeout / 1000} s` : `exited with ${result.status}`;
        throw new Error(`${cmd} ${args.join(" ")} ${why}\n--- stdout\n${tail(result.stdout)}\n--- stderr\n${tail(result.stderr)}`);
    }
    return result;
}

function tail(s: string, lines = 80): string {
    const all = s.trimEnd().split("\n");
    return (all.length > lines ? [`… ${all.length - lines} lines before`, ...all.slice(-lines)] : all).join("\n");
}

/** `docker …`; returns stdout trimmed. */
export function docker(args: readonly string[], o: RunOptions = {}): string {
    return run("docker", args, o).stdout.trim();
}

/** `docker inspect` of one object, parsed. */
export function inspect<T = any>(kind: "container" | "service" | "network" | "volume" | "secret" | "config" | "image", name: string): T {
    const sub = kind === "container" ? ["container", "inspect"] : kind === "image" ? ["image", "inspect"] : [kind, "inspect"];
    return JSON.parse(docker([...sub, name]))[0] as T;
}

/** Whether a Docker object of that kind and name exists. */
export function exists(kind: "container" | "service" | "network" | "volume" | "secret" | "config", name: string): boolean {
    const sub = kind === "container" ? ["container", "inspect"] : [kind, "inspect"];
    return run("docker", [...sub, name], { allowFail: true }).status === 0;
}

const MANAGED = "dev.dockyard.managed-by=dockyard";

/**
 * Removes everything dockyard created on the engine for these applications (by their
 * `dev.dockyard.app` label), volumes included: the clean slate before a suite, and the sweep after.
 */
export function removeApps(apps: readonly string[]): void {
    for (const app of apps) {
        const filter = ["--filter", `label=${MANAGED}`, "--filter", `label=dev.dockyard.app=${app}`];
        const ids = (args: string[]) => docker(args).split("\n").filter(Boolean);
        const swarm = swarmState() === "active";
        if (swarm) {
            const services = ids(["service", "ls", "-q", ...filter]);
            if (services.length) docker(["service", "rm", ...services]);
        }
        const containers = ids(["ps", "-aq", ...filter]);
        if (containers.length) docker(["rm", "-f", "-v", ...containers]);
        if (swarm) {
            // Tasks go away asynchronously; their networks, secrets and configs are in use until then.
            waitFor(() => ids(["ps", "-aq", "--filter", `label=com.docker.stack.namespace=${app}`]).length === 0, 30_000);
            for (const kind of ["secret", "config"]) {
                const objs = ids([kind, "ls", "-q", ...filter]);
                if (objs.length) docker([kind, "rm", ...objs], { allowFail: true });
            }
        }
        const networks = ids(["network", "ls", "-q", ...filter]);
        if (networks.length) docker(["network", "rm", ...networks], { allowFail: true });
        const volumes = ids(["volume", "ls", "-q", ...filter]);
        if (volumes.length) docker(["volume", "rm", "-f", ...volumes], { allowFail: true });
    }
}

/** The local engine's swarm state: "active", "inactive", … */
export function swarmState(): string {
    return docker(["info", "--format", "{{.Swarm.LocalNodeState}}"]);
}

/**
 * The end of a suite: destroy the stack (a failure is reported, and the sweep goes on), remove its
 * copy, remove what is left of the apps by label, and leave a swarm the suite formed (one that was
 * not active when it started: `swarmBefore`).
 */
export function tearDown(stack: Stack | undefined, apps: readonly string[], swarmBefore: string): void {
    stack?.destroyAndClose({ parallel: swarmState() === "active" ? SWARM_REMOVAL_PARALLELISM : undefined });
    removeApps(apps);
    if (swarmBefore !== "active" && swarmState() === "active") docker(["swarm", "leave", "--force"]);
}

/** Polls `ok` until it holds or `timeoutMs` passes; returns whether it held. */
export function waitFor(ok: () => boolean, timeoutMs: number, everyMs = 500): boolean {
    const end = Date.now() + timeoutMs;
    for (;;) {
        if (ok()) return true;
        if (Date.now() > end) return false;
        Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, everyMs);
    }
}

/**
 * How many resource operations run at once. Removing Swarm services wants few: the docker provider
 * waits, after removing a service, for its task containers to be gone within the stop grace
 * period, and fails the delete when a busy engine takes longer (the service is gone all the same,
 * and the next delete of it fails with "not found" until a refresh).
 */
export const SWARM_REMOVAL_PARALLELISM = 1;

function parallel(n: number | undefined): string[] {
    return n === undefined ? [] : ["--parallel", String(n)];
}

/** What a copy of the project needs to run: the program, its components and the stacks' config. */
const PROJECT_FILES = ["Pulumi.yaml", "package.json", "tsconfig.json", "index.ts", "components", "stacks"];

export interface StackOptions {
    /** The stack's name; its config starts as stacks/Pulumi.<configFrom>.yaml. */
    readonly stack: string;
    /** Which committed stack config to start from. @default stack */
    readonly configFrom?: string;
    /** A program other than the project's index.ts: its source, written as index.ts. */
    readonly program?: string;
    /** Bound for up, preview, refresh and destroy. @default 15 minutes */
    readonly timeoutMs?: number;
    /** More environment for every `pulumi` command (e.g. SSL_CERT_FILE for a test registry's CA). @default {} */
    readonly env?: NodeJS.ProcessEnv;
}

/**
 * One stack of a throw-away copy of the project, with its own file backend; every operation is
 * the real CLI. `close()` removes the copy (state included): call it after `destroy`.
 */
export class Stack {
    readonly dir: string;
    readonly name: string;
    private readonly env: NodeJS.ProcessEnv;
    private readonly timeoutMs: number;

    constructor(o: StackOptions) {
        this.name = o.stack;
        this.timeoutMs = o.timeoutMs ?? 15 * 60_000;
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `dockyard-e2e-${o.stack}-`));
        for (const f of PROJECT_FILES) fs.cpSync(path.join(REPO_ROOT, f), path.join(this.dir, f), { recursive: true });
        fs.symlinkSync(path.join(REPO_ROOT, "node_modules"), path.join(this.dir, "node_modules"));
        const from = o.configFrom ?? o.stack;
        if (from !== o.stack) {
            fs.copyFileSync(path.join(this.dir, "stacks", `Pulumi.${from}.yaml`), path.join(this.dir, "stacks", `Pulumi.${o.stack}.yaml`));
        }
        if (o.program !== undefined) fs.writeFileSync(path.join(this.dir, "index.ts"), o.program);
        const state = path.join(this.dir, ".state");
        fs.mkdirSync(state);
        this.env = {
            ...process.env,
            PULUMI_BACKEND_URL: `file://${state}`,
            PULUMI_CONFIG_PASSPHRASE: "dockyard-e2e",
            PULUMI_SKIP_UPDATE_CHECK: "1",
            // The tests type-check everything already (npm test); ts-node only transpiles here.
            PULUMI_NODEJS_TRANSPILE_ONLY: "true",
            NO_COLOR: "1",
            ...o.env,
        };
        this.pulumi(["stack", "init", "--secrets-provider", "passphrase"], { timeoutMs: 60_000 });
    }

    /** The real CLI in the copy, for this stack. */
    pulumi(args: readonly string[], o: RunOptions = {}): RunResult {
        return run("pulumi", [...args, "--stack", this.name, "--non-interactive"], {
            cwd: this.dir,
            env: this.env,
            timeoutMs: this.timeoutMs,
            ...o,
        });
    }

    /** Sets a config value; a key without a namespace is one of dockyard's stack settings. */
    setConfig(key: string, value: string, secret = false): void {
        const full = key.includes(":") ? key : `dockyard:${key}`;
        // On standard input, so that a value starting with "-" (JSON lists) is not taken for a flag.
        this.pulumi(["config", "set", ...(secret ? ["--secret"] : []), full], { input: value, timeoutMs: 60_000 });
    }

    up(o: RunOptions & { parallel?: number } = {}): RunResult {
        return this.pulumi(["up", "--yes", "--skip-preview", "--diff", ...parallel(o.parallel)], o);
    }

    /** `preview --expect-no-changes`: fails (throws) when the stack would change. */
    expectNoChanges(): RunResult {
        return this.pulumi(["preview", "--expect-no-changes", "--diff"]);
    }

    preview(): RunResult {
        return this.pulumi(["preview", "--diff"]);
    }

    refresh(): RunResult {
        return this.pulumi(["refresh", "--yes", "--skip-preview"]);
    }

    destroy(o: { parallel?: number } = {}): RunResult {
        return this.pulumi(["destroy", "--yes", "--skip-preview", ...parallel(o.parallel)]);
    }

    outputs(): Record<string, unknown> {
        return JSON.parse(this.pulumi(["stack", "output", "--json", "--show-secrets"], { timeoutMs: 60_000 }).stdout);
    }

    /** `destroy`, reporting (not throwing) a failure, then `close`: the teardown of a suite's `after`. */
    destroyAndClose(o: { parallel?: number } = {}): void {
        try {
            this.destroy(o);
        } catch (e) {
            console.error(`destroy after the suite failed: ${e}`);
        }
        this.close();
    }

    /** Removes the stack's state and the copy. */
    close(): void {
        this.pulumi(["stack", "rm", "--yes", "--force"], { allowFail: true, timeoutMs: 60_000 });
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}
