/**
 * A Docker engine of the test's own, next to the machine's: its own socket, data root, exec root
 * (and so its own containerd), pid file, daemon.json and log, all under one temporary directory,
 * and its own default bridge. Started and stopped by pid, cleaned by path; it never touches the
 * machine's engine, /etc/docker/daemon.json or docker0.
 *
 * Two things dockerd does that the options below exist for:
 * - `--bridge none` DELETES the host's `docker0` interface at start (dockerd's
 *   removeDefaultBridgeInterface), cutting the machine's engine's default bridge. So the engine
 *   here gets a bridge of its own instead (`dyk-<id>`, created before it starts with an address
 *   of 10.213.x.1/24 no other interface uses, deleted after), with iptables, masquerading and
 *   ip_forward left alone.
 * - Without `--config-file`, dockerd reads /etc/docker/daemon.json, the machine's: every engine
 *   here reads its own file (an empty `{}` unless a configuration is given).
 *
 * Needs root (dockerd does). Every wait is bounded.
 */
import { spawn } from "child_process";
import * as crypto from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { run, RunOptions, RunResult, waitFor } from "./engine";

export interface TestDockerdOptions {
    /** A short word naming the test, in the directory's and the bridge's names. */
    readonly name: string;
    /** The engine's daemon.json, written to its own file. @default {} */
    readonly config?: Record<string, unknown>;
    /** A daemon.json of the caller's instead (used as it is, not removed). Excludes `config`. */
    readonly configFile?: string;
    /** More dockerd arguments, such as `--metrics-addr 127.0.0.1:19323`. @default [] */
    readonly args?: readonly string[];
    /** How long the engine may take to answer. @default 60 s */
    readonly startTimeoutMs?: number;
    /**
     * Let the engine manage iptables (filtering between containers, as `icc` needs). Its rules go
     * into the machine's tables beside the main engine's, for its own bridges (removed by
     * `cleanup`). Not with `userland-proxy: false`: that adds a rule of the whole host (nat OUTPUT
     * to DOCKER for loopback too), which breaks the main engine's ports published on 127.0.0.1.
     * @default false
     */
    readonly iptables?: boolean;
}

/** The runtime wrapper scripts/docker-engine.sh gives the main engine where capabilities are missing; containers need it here too. */
const RUNTIME_WRAPPER = path.join(process.env.DOCKYARD_STATE ?? "/run/dockyard", "dockyard-runc");

function alive(pid: number | undefined): boolean {
    if (pid === undefined) return false;
    try {
        process.kill(pid, 0);
    } catch {
        return false;
    }
    // A zombie (exited, not yet reaped) counts as gone.
    try {
        return !/^State:\s+Z/m.test(fs.readFileSync(`/proc/${pid}/status`, "utf8"));
    } catch {
        return false;
    }
}

/** A /24 of 10.213.0.0/16 that no interface of the machine has an address in. */
function freeBridgeCidr(): string {
    const used = run("ip", ["-4", "-o", "addr", "show"]).stdout;
    for (let attempt = 0; attempt < 64; attempt++) {
        const n = crypto.randomInt(1, 255);
        if (!used.includes(` 10.213.${n}.`)) return `10.213.${n}.1/24`;
    }
    throw new Error("no free /24 in 10.213.0.0/16 for a test engine's bridge");
}

export class TestDockerd {
    /** The directory everything of this engine lives under. */
    readonly dir: string;
    /** Path of the engine's API socket. */
    readonly socket: string;
    /** `unix://<socket>`, for `docker -H` or DOCKER_HOST. */
    readonly host: string;
    readonly pidFile: string;
    readonly logFile: string;
    /** The daemon.json the engine reads. */
    readonly configFile: string;
    /** Name and address (CIDR) of the engine's default bridge. */
    readonly bridge: { readonly name: string; readonly cidr: string };
    readonly dataRoot: string;
    readonly execRoot: string;
    private args: readonly string[];
    private readonly startTimeoutMs: number;
    private readonly iptables: boolean;
    private child: number | undefined;

    constructor(o: TestDockerdOptions) {
        if (o.config !== undefined && o.configFile !== undefined) throw new Error("give config or configFile, not both");
        if (!/^[a-z0-9-]{1,20}$/.test(o.name)) throw new Error(`a test engine's name is a short word of a-z, 0-9 and -: ${o.name}`);
        const id = crypto.randomBytes(3).toString("hex");
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `dockyard-${o.name}-`));
        this.socket = path.join(this.dir, "docker.sock");
        this.host = `unix://${this.socket}`;
        this.pidFile = path.join(this.dir, "dockerd.pid");
        this.logFile = path.join(this.dir, "dockerd.log");
        this.dataRoot = path.join(this.dir, "data");
        this.execRoot = path.join(this.dir, "exec");
        this.configFile = o.configFile ?? path.join(this.dir, "daemon.json");
        if (o.configFile === undefined) this.writeConfig(o.config ?? {});
        this.bridge = { name: `dyk-${id}`, cidr: freeBridgeCidr() };
        this.args = o.args ?? [];
        this.startTimeoutMs = o.startTimeoutMs ?? 60_000;
        this.iptables = o.iptables ?? false;
    }

    /** Replaces the engine's daemon.json (own file only); takes effect at the next start, restart or reload. */
    writeConfig(config: Record<string, unknown>): void {
        if (this.configFile !== path.join(this.dir, "daemon.json")) throw new Error(`${this.configFile} is the caller's file`);
        fs.writeFileSync(path.join(this.dir, "daemon.json"), `${JSON.stringify(config, null, 2)}\n`);
    }

    /** The pid of the running dockerd (the one started here, or the one its pid file names: a restart by `startCommand`), or undefined. */
    get pid(): number | undefined {
        if (alive(this.child)) return this.child;
        const fromFile = fs.existsSync(this.pidFile) ? Number(fs.readFileSync(this.pidFile, "utf8").trim()) : NaN;
        return Number.isInteger(fromFile) && alive(fromFile) && readCmdline(fromFile).includes(this.pidFile) ? fromFile : undefined;
    }

    /** A shell command that starts this engine in the background, appending to its log (what `ProcessControl.start` wants). */
    startCommand(): string {
        const q = (a: string): string => `'${a.replace(/'/g, `'"'"'`)}'`;
        return `setsid dockerd ${this.dockerdArgs().map(q).join(" ")} >> ${q(this.logFile)} 2>&1 < /dev/null &`;
    }

    /** Copies images of the machine's engine into this one. */
    load(images: readonly string[]): void {
        const tar = path.join(this.dir, "images.tar");
        run("docker", ["save", "-o", tar, ...images], { timeoutMs: 180_000 });
        this.docker(["load", "-i", tar], { timeoutMs: 180_000 });
        fs.rmSync(tar, { force: true });
    }

    /** The flags the engine runs with: its own paths and bridge, then the caller's. */
    dockerdArgs(): string[] {
        return [
            "--config-file", this.configFile,
            "--host", this.host,
            "--data-root", this.dataRoot,
            "--exec-root", this.execRoot,
            "--pidfile", this.pidFile,
            "--bridge", this.bridge.name,
            ...(this.iptables ? [] : ["--iptables=false", "--ip6tables=false", "--ip-masq=false", "--ip-forward=false"]),
            ...(fs.existsSync(RUNTIME_WRAPPER) ? ["--add-runtime", `dockyard-runc=${RUNTIME_WRAPPER}`, "--default-runtime", "dockyard-runc"] : []),
            ...this.args,
        ];
    }

    /** Starts dockerd (with `args` instead of the constructor's when given) and waits until it answers. */
    start(args?: readonly string[]): void {
        if (this.pid !== undefined) throw new Error(`the test engine in ${this.dir} runs already (pid ${this.pid})`);
        if (args !== undefined) this.args = args;
        this.ensureBridge();
        const log = fs.openSync(this.logFile, "a");
        try {
            // Detached: its own process group, so that nothing of the test runner's signals reach it.
            const child = spawn("dockerd", this.dockerdArgs(), { detached: true, stdio: ["ignore", log, log] });
            child.unref();
            this.child = child.pid;
        } finally {
            fs.closeSync(log);
        }
        const up = waitFor(() => this.pid === undefined || this.docker(["version", "--format", "{{.Server.Version}}"], { allowFail: true, timeoutMs: 10_000 }).status === 0, this.startTimeoutMs);
        if (this.pid === undefined) throw new Error(`dockerd exited at start:\n${this.logTail()}`);
        if (!up) {
            this.stop();
            throw new Error(`dockerd did not answer on ${this.socket} within ${this.startTimeoutMs / 1000} s:\n${this.logTail()}`);
        }
    }

    /** Stops dockerd: SIGTERM, then SIGKILL after `timeoutMs` (and its containerd, by its pid file, if it outlived it). */
    stop(timeoutMs = 30_000): void {
        const pid = this.pid;
        if (pid !== undefined) {
            process.kill(pid, "SIGTERM");
            if (!waitFor(() => !alive(pid), timeoutMs, 200)) {
                process.kill(pid, "SIGKILL");
                waitFor(() => !alive(pid), 10_000, 200);
            }
        }
        this.child = undefined;
        const containerdPid = path.join(this.execRoot, "containerd", "containerd.pid");
        const cpid = fs.existsSync(containerdPid) ? Number(fs.readFileSync(containerdPid, "utf8").trim()) : NaN;
        // Only a containerd of this engine: its command line names this engine's exec root.
        if (Number.isInteger(cpid) && alive(cpid) && readCmdline(cpid).includes(this.execRoot)) {
            process.kill(cpid, "SIGKILL");
            waitFor(() => !alive(cpid), 10_000, 200);
        }
    }

    /** Stops and starts again, with new `args` when given (a changed daemon.json is read at start). */
    restart(args?: readonly string[]): void {
        this.stop();
        this.start(args);
    }

    /** `docker -H <this engine> …`. */
    docker(args: readonly string[], o: RunOptions = {}): RunResult {
        return run("docker", ["-H", this.host, ...args], o);
    }

    /** The last lines of the engine's log, for failure messages. */
    logTail(lines = 30): string {
        try {
            return fs.readFileSync(this.logFile, "utf8").trimEnd().split("\n").slice(-lines).join("\n");
        } catch {
            return "(no log)";
        }
    }

    /** Removes its containers (live-restore would keep them past dockerd), stops the engine, unmounts what it left mounted under its directory, deletes its bridge and its directory. */
    cleanup(): void {
        // The bridges of its networks, named after their ids: dockerd leaves them at shutdown.
        let bridges = [this.bridge.name];
        if (this.pid !== undefined) {
            const ids = this.docker(["ps", "-aq"], { allowFail: true, timeoutMs: 30_000 }).stdout.split("\n").filter(Boolean);
            if (ids.length) this.docker(["rm", "-f", ...ids], { allowFail: true, timeoutMs: 60_000 });
            const networks = this.docker(["network", "ls", "-q", "--no-trunc", "--filter", "driver=bridge"], { allowFail: true }).stdout.split("\n").filter(Boolean);
            bridges = [...bridges, ...networks.map((id) => `br-${id.slice(0, 12)}`)];
            this.docker(["network", "prune", "-f"], { allowFail: true, timeoutMs: 60_000 });
        }
        this.stop();
        for (const b of bridges.slice(1)) run("ip", ["link", "del", b], { allowFail: true });
        // Its iptables rules, which dockerd leaves too: only the ones naming its own bridges.
        if (this.iptables) {
            for (const table of ["filter", "nat"]) {
                const rules = run("iptables", ["-t", table, "-S"], { allowFail: true }).stdout.split("\n");
                for (const rule of rules.filter((r) => r.startsWith("-A ") && bridges.some((b) => r.split(" ").includes(b)))) {
                    run("iptables", ["-t", table, "-D", ...rule.slice(3).split(" ")], { allowFail: true });
                }
            }
        }
        const mounts = fs.readFileSync("/proc/mounts", "utf8").split("\n").map((l) => l.split(" ")[1]).filter((m) => m !== undefined && (m === this.dir || m.startsWith(`${this.dir}/`)));
        // Deepest first.
        for (const m of mounts.sort((a, b) => b.length - a.length)) run("umount", ["-l", m], { allowFail: true, timeoutMs: 10_000 });
        if (run("ip", ["link", "show", this.bridge.name], { allowFail: true }).status === 0) run("ip", ["link", "del", this.bridge.name], { allowFail: true });
        fs.rmSync(this.dir, { recursive: true, force: true });
    }

    private ensureBridge(): void {
        if (run("ip", ["link", "show", this.bridge.name], { allowFail: true }).status === 0) return;
        run("ip", ["link", "add", this.bridge.name, "type", "bridge"]);
        run("ip", ["addr", "add", this.bridge.cidr, "dev", this.bridge.name]);
        run("ip", ["link", "set", this.bridge.name, "up"]);
    }
}

function readCmdline(pid: number): string {
    try {
        return fs.readFileSync(`/proc/${pid}/cmdline`, "utf8").replace(/\0/g, " ");
    } catch {
        return "";
    }
}
