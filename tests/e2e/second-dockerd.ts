/**
 * A second Docker engine of a test's own, beside the machine's: its own socket, data root, exec
 * root, pid file, log and (optionally) default bridge, all under one folder named by the test, so
 * that a leftover of an interrupted run is found by name and removed first. Loopback only: it
 * listens on a unix socket. Containers run with the same runtime wrapper as the main test engine
 * (scripts/docker-engine.sh) when that one needed it.
 */
import * as fs from "fs";
import * as path from "path";
import { docker, run, waitFor } from "./engine";

export interface SecondDockerdOptions {
    /** Short name: the folder is /tmp/dockyard-<name>, the bridge dyk-<name> (at most 11 characters). */
    readonly name: string;
    /** Give it a default bridge of its own with this address (`10.231.0.1/24`); without it, `--bridge none`. */
    readonly bridgeAddress?: string;
    /** More dockerd flags. */
    readonly args?: readonly string[];
}

export interface SecondDockerd {
    readonly dir: string;
    /** `unix:///tmp/dockyard-<name>/docker.sock`. */
    readonly host: string;
    readonly configFile: string;
    readonly pidFile: string;
    readonly logFile: string;
    /** The shell command that starts it in the background (what `ProcessControl.start` wants). */
    readonly startCommand: string;
    /** Its current pid. */
    pid(): string;
    /** `docker -H <its socket> …`, stdout trimmed. */
    docker(args: readonly string[], o?: { allowFail?: boolean; input?: string; timeoutMs?: number }): string;
    /** Copies images of the main engine into it. */
    load(images: readonly string[]): void;
    stop(): void;
}

const RUNTIME_WRAPPER = path.join(process.env.DOCKYARD_STATE ?? "/run/dockyard", "dockyard-runc");

function shq(s: string): string {
    return `'${s.replace(/'/g, `'"'"'`)}'`;
}

function alive(pid: string): boolean {
    try {
        process.kill(Number(pid), 0);
    } catch {
        return false;
    }
    // A zombie nobody reaped yet is not running.
    try {
        return !/\) Z /.test(fs.readFileSync(`/proc/${pid}/stat`, "utf8"));
    } catch {
        return false;
    }
}

/** Stops a dockerd by its pid file: TERM, then KILL after `timeoutMs`. */
function stopByPidFile(pidFile: string, timeoutMs = 30_000): void {
    if (!fs.existsSync(pidFile)) return;
    const pid = fs.readFileSync(pidFile, "utf8").trim();
    if (!pid || !alive(pid)) return;
    process.kill(Number(pid), "SIGTERM");
    if (!waitFor(() => !alive(pid), timeoutMs, 200)) process.kill(Number(pid), "SIGKILL");
    waitFor(() => !alive(pid), 5000, 200);
}

/** Starts a second dockerd; throws with its log when it does not answer within a minute. */
export function startSecondDockerd(o: SecondDockerdOptions): SecondDockerd {
    if (!/^[a-z0-9-]{1,11}$/.test(o.name)) throw new Error(`second dockerd name ${o.name}: 1 to 11 of a-z, 0-9, -`);
    const dir = `/tmp/dockyard-${o.name}`;
    const bridge = `dyk-${o.name}`;
    const pidFile = path.join(dir, "dockerd.pid");
    // A leftover of an interrupted run, by name.
    stopByPidFile(pidFile);
    fs.rmSync(dir, { recursive: true, force: true });
    run("ip", ["link", "delete", bridge], { allowFail: true });
    fs.mkdirSync(dir, { recursive: true });
    const configFile = path.join(dir, "daemon.json");
    const logFile = path.join(dir, "dockerd.log");
    fs.writeFileSync(configFile, "{}\n");
    const sock = path.join(dir, "docker.sock");
    if (o.bridgeAddress) {
        run("ip", ["link", "add", "name", bridge, "type", "bridge"]);
        run("ip", ["addr", "add", o.bridgeAddress, "dev", bridge]);
        run("ip", ["link", "set", bridge, "up"]);
    }
    const args = [
        "--config-file", configFile,
        "--host", `unix://${sock}`,
        "--data-root", path.join(dir, "data"),
        "--exec-root", path.join(dir, "exec"),
        "--pidfile", pidFile,
        "--bridge", o.bridgeAddress ? bridge : "none",
        ...(fs.existsSync(RUNTIME_WRAPPER) ? ["--add-runtime", `dockyard-runc=${RUNTIME_WRAPPER}`, "--default-runtime", "dockyard-runc"] : []),
        ...(o.args ?? []),
    ];
    const startCommand = `setsid dockerd ${args.map(shq).join(" ")} >> ${shq(logFile)} 2>&1 < /dev/null &`;
    const host = `unix://${sock}`;
    const d: SecondDockerd = {
        dir, host, configFile, pidFile, logFile, startCommand,
        pid: () => fs.readFileSync(pidFile, "utf8").trim(),
        docker: (more, opts = {}) => docker(["-H", host, ...more], opts),
        load: (images) => {
            const tar = path.join(dir, "images.tar");
            docker(["save", "-o", tar, ...images], { timeoutMs: 180_000 });
            docker(["-H", host, "load", "-i", tar], { timeoutMs: 180_000 });
            fs.rmSync(tar, { force: true });
        },
        stop: () => {
            // Containers first: with live-restore they would outlive dockerd.
            const ids = docker(["-H", host, "ps", "-aq"], { allowFail: true }).split("\n").filter(Boolean);
            if (ids.length) docker(["-H", host, "rm", "-f", ...ids], { allowFail: true, timeoutMs: 60_000 });
            stopByPidFile(pidFile);
            run("ip", ["link", "delete", bridge], { allowFail: true });
            // The data root holds overlay mounts until dockerd is gone; what cannot go now goes with the next run.
            run("sh", ["-c", `grep -o ' ${dir}/[^ ]*' /proc/mounts | sort -r | xargs -r -n1 umount -l; rm -rf ${shq(dir)}`], { allowFail: true });
        },
    };
    run("sh", ["-c", startCommand]);
    const ok = waitFor(() => run("docker", ["-H", host, "info", "--format", "{{.ID}}"], { allowFail: true, timeoutMs: 10_000 }).status === 0, 60_000, 500);
    if (!ok) {
        const log = fs.existsSync(logFile) ? fs.readFileSync(logFile, "utf8").split("\n").slice(-20).join("\n") : "(no log)";
        d.stop();
        throw new Error(`the second dockerd (${dir}) did not answer within 60 s; its log ends:\n${log}`);
    }
    return d;
}
