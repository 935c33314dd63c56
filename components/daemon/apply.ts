/**
 * How a `daemon.json` reaches a Docker host: the shell script `DockerDaemon` runs there (through
 * `@pulumi/command`, locally or over SSH), as a pure function of the configuration.
 *
 * The script writes the file atomically (a sibling file renamed over it) and keeps the previous
 * one as `<file>.dockyard-previous`; then it asks dockerd for the least it needs: nothing when the
 * file did not change, a reload (SIGHUP) when only settings dockerd reloads changed, a restart
 * otherwise. After a restart it waits for dockerd to answer; if it does not, the previous file is
 * put back, dockerd is started with it again, and the script fails with what dockerd logged.
 *
 * Which settings reload is dockerd's own list (daemon/reload.go: labels, live-restore,
 * insecure-registries, registry-mirrors, max-concurrent-downloads, shutdown-timeout among the keys
 * dockyard writes). A reload only sets the keys present in the file, so a reloadable key that is
 * *removed* needs a restart too. The script keeps what it applied last in `<file>.dockyard-state`
 * (a fingerprint of the settings that need a restart, and the reloadable keys present) to decide.
 */
import { createHash } from "crypto";
import { SpecError, joinPath } from "../spec/errors";
import { shellQuote } from "../targets/swarm/cluster-commands";
import { DaemonConfig, DaemonContext, DaemonFinding, daemonJson } from "./config";

/** The `daemon.json` keys dockerd applies on SIGHUP, without a restart. */
export const RELOADABLE_KEYS: readonly string[] = ["insecure-registries", "labels", "live-restore", "max-concurrent-downloads", "registry-mirrors", "shutdown-timeout"];

/** dockerd run by systemd (the packages' `docker.service`): reloaded and restarted with systemctl, its log read with journalctl. */
export interface SystemdControl {
    readonly kind: "systemd";
    /** The unit. @default "docker" */
    readonly unit?: string;
}

/** A dockerd started by hand or by another supervisor, known by its pid file and log file. */
export interface ProcessControl {
    readonly kind: "process";
    /** dockerd's `--pidfile`. */
    readonly pidFile: string;
    /** The file dockerd's output goes to; read for its error when it does not come up. */
    readonly logFile: string;
    /** Shell command that starts dockerd in the background (with the same pid and log file), e.g. `setsid dockerd --config-file … >>log 2>&1 </dev/null &`. */
    readonly start: string;
}

/** How dockerd is reloaded and restarted on the host. */
export type DaemonControl = SystemdControl | ProcessControl;

/** What a `DockerDaemon` needs besides the configuration. */
export interface DaemonApplyOptions {
    /** Where dockerd reads its configuration. @default "/etc/docker/daemon.json" */
    readonly configFile?: string;
    /** @default { kind: "systemd", unit: "docker" } */
    readonly control?: DaemonControl;
    /** Run the script with `sudo -n` (the file and dockerd belong to root). @default false */
    readonly sudo?: boolean;
    /** Seconds to wait for dockerd to stop and to answer again after a restart. @default 60 */
    readonly timeoutSeconds?: number;
    /** The engine's socket on the host, for `docker -H` in the script. @default the docker CLI's default there */
    readonly socket?: string;
}

/** Everything the apply needs, validated. */
export interface DaemonApplyPlan {
    /** The file's text: the command's stdin. */
    readonly text: string;
    readonly json: Record<string, unknown>;
    readonly findings: DaemonFinding[];
    /** Fingerprint of the settings that need a restart. */
    readonly restartFingerprint: string;
    /** The reloadable keys the file holds, sorted. */
    readonly reloadableKeys: string[];
    readonly configFile: string;
    readonly control: DaemonControl;
    readonly sudo: boolean;
    readonly timeoutSeconds: number;
    readonly socket?: string;
}

/** What the apply forces beyond what the file comparison decides: the read-back found the engine running something else. */
export type ForcedAction = "none" | "reload" | "restart";

/**
 * Validates the configuration and the apply options; errors name `<where>.config.<field>` or
 * `<where>.<option>`.
 */
export function daemonApplyPlan(config: DaemonConfig, options: DaemonApplyOptions = {}, where = "daemon", context: DaemonContext = {}): DaemonApplyPlan {
    const rendered = daemonJson(config, joinPath(where, "config"), context);
    const configFile = options.configFile ?? "/etc/docker/daemon.json";
    if (typeof configFile !== "string" || !configFile.startsWith("/") || /[\n\0]/.test(configFile)) throw new SpecError("configFile must be an absolute path", joinPath(where, "configFile"), configFile);
    const control = checkControl(options.control ?? { kind: "systemd" }, joinPath(where, "control"));
    const timeoutSeconds = options.timeoutSeconds ?? 60;
    if (!Number.isInteger(timeoutSeconds) || timeoutSeconds < 1 || timeoutSeconds > 3600) throw new SpecError("timeoutSeconds must be a whole number of seconds from 1 to 3600", joinPath(where, "timeoutSeconds"), timeoutSeconds);
    if (options.socket !== undefined && !/^(unix:\/\/\/|tcp:\/\/)\S+$/.test(options.socket)) throw new SpecError("socket must be unix:///path or tcp://host:port", joinPath(where, "socket"), options.socket);
    const restartPart = Object.fromEntries(Object.entries(rendered.json).filter(([k]) => !RELOADABLE_KEYS.includes(k)));
    return {
        text: rendered.text,
        json: rendered.json,
        findings: rendered.findings,
        restartFingerprint: createHash("sha256").update(JSON.stringify(restartPart)).digest("hex").slice(0, 16),
        reloadableKeys: Object.keys(rendered.json).filter((k) => RELOADABLE_KEYS.includes(k)).sort(),
        configFile,
        control,
        sudo: options.sudo ?? false,
        timeoutSeconds,
        ...(options.socket !== undefined ? { socket: options.socket } : {}),
    };
}

function checkControl(control: DaemonControl, where: string): DaemonControl {
    if (control === null || typeof control !== "object") throw new SpecError('control must be { kind: "systemd" } or { kind: "process", pidFile, logFile, start }', where, control);
    if (control.kind === "systemd") {
        const unit = control.unit ?? "docker";
        if (typeof unit !== "string" || !/^[A-Za-z0-9:_.@\\-]+$/.test(unit)) throw new SpecError("unit must be a systemd unit name such as docker", joinPath(where, "unit"), unit);
        return { kind: "systemd", unit };
    }
    if (control.kind === "process") {
        for (const key of ["pidFile", "logFile"] as const) {
            const v = control[key];
            if (typeof v !== "string" || !v.startsWith("/")) throw new SpecError(`${key} must be an absolute path`, joinPath(where, key), v);
        }
        if (typeof control.start !== "string" || control.start.trim() === "") throw new SpecError("start must be the shell command that starts dockerd in the background", joinPath(where, "start"), control.start);
        return control;
    }
    throw new SpecError('control.kind must be "systemd" or "process"', joinPath(where, "kind"), (control as { kind?: unknown }).kind);
}

/** Shell fragments of one control kind. */
interface ControlShell {
    /** Marks where the log stands now (`mark` variable), before an action. */
    readonly logMark: string;
    /** Prints what was logged since the mark. */
    readonly logSince: string;
    readonly reload: string;
    /** Stops and starts dockerd; its status is not relied on. */
    readonly restart: string;
}

function controlShell(control: DaemonControl, timeoutSeconds: number): ControlShell {
    if (control.kind === "systemd") {
        const unit = shellQuote(control.unit ?? "docker");
        return {
            logMark: "mark=$(date +%s)",
            logSince: `journalctl -u ${unit} --no-pager -o cat --since "@$mark" 2>/dev/null || true`,
            reload: `systemctl reload ${unit}`,
            restart: `systemctl restart ${unit} || true`,
        };
    }
    const pid = shellQuote(control.pidFile);
    const log = shellQuote(control.logFile);
    return {
        logMark: `mark=$(stat -c %s ${log} 2>/dev/null || echo 0)`,
        logSince: `tail -c +$((mark + 1)) ${log} 2>/dev/null || true`,
        reload: `kill -HUP "$(cat ${pid})"`,
        restart: [
            // Running, and not a zombie nobody has reaped yet (a supervisor-less dockerd's parent may be gone).
            `running() { kill -0 "$1" 2>/dev/null && ! grep -q ') Z' "/proc/$1/stat" 2>/dev/null; }`,
            `old=$(cat ${pid} 2>/dev/null || true)`,
            `if [ -n "$old" ] && running "$old"; then`,
            `  kill -TERM "$old"`,
            `  i=0; while running "$old" && [ $i -lt ${timeoutSeconds * 10} ]; do sleep 0.1; i=$((i + 1)); done`,
            `  if running "$old"; then kill -KILL "$old" || true; sleep 0.5; fi`,
            `fi`,
            control.start,
        ].join("\n"),
    };
}

/** The environment variable that carries a {@link ForcedAction} to the script. */
export const FORCE_VARIABLE = "DOCKYARD_DAEMON_FORCE";

/**
 * The script run on the host, with the file's text on stdin and, in `DOCKYARD_DAEMON_FORCE`,
 * what the read-back asks for beyond the file comparison (a {@link ForcedAction}; none when unset).
 */
export function applyDaemonScript(plan: DaemonApplyPlan): string {
    const c = controlShell(plan.control, plan.timeoutSeconds);
    const docker = plan.socket ? `docker -H ${shellQuote(plan.socket)}` : "docker";
    const fresh = plan.restartFingerprint === EMPTY_FINGERPRINT ? "reload" : "restart";
    const body = [
        "set -eu",
        `# dockyard: apply daemon.json`,
        `f=${shellQuote(plan.configFile)}`,
        `new="$f.dockyard-new"; prev="$f.dockyard-previous"; state="$f.dockyard-state"`,
        `fp=${plan.restartFingerprint}; keys=${shellQuote(plan.reloadableKeys.join(" "))}`,
        `case "\${${FORCE_VARIABLE}:-none}" in reload | restart) force=$${FORCE_VARIABLE} ;; *) force=none ;; esac`,
        `mkdir -p "$(dirname "$f")"`,
        `umask 022`,
        `cat > "$new"`,
        // What dockerd needs: nothing, a reload or a restart.
        "action=none",
        `if [ -f "$state" ] && [ -f "$f" ]; then`,
        `  if [ "$(sed -n 1p "$state")" != "$fp" ]; then action=restart; fi`,
        `  for k in $(sed -n 2p "$state"); do case " $keys " in *" $k "*) ;; *) action=restart ;; esac; done`,
        `  if [ $action = none ] && ! cmp -s "$new" "$f"; then action=reload; fi`,
        `elif [ -f "$f" ]; then`,
        `  cmp -s "$new" "$f" || action=restart`,
        `else`,
        `  action=${fresh}`,
        `fi`,
        `if [ $force = restart ] || { [ $force = reload ] && [ $action = none ]; }; then action=$force; fi`,
        `answers() { ${docker} info --format '{{.ID}}' >/dev/null 2>&1; }`,
        `wait_up() { i=0; while [ $i -lt ${plan.timeoutSeconds * 5} ]; do answers && return 0; sleep 0.2; i=$((i + 1)); done; return 1; }`,
        `save_state() { printf '%s\\n%s\\n' "$fp" "$keys" > "$state.tmp" && mv -f "$state.tmp" "$state"; }`,
        `if [ $action = none ]; then rm -f "$new"; save_state; echo "daemon.json unchanged"; exit 0; fi`,
        `had=0; if [ -f "$f" ]; then cp -p "$f" "$prev"; had=1; fi`,
        `mv -f "$new" "$f"`,
        c.logMark,
        `if [ $action = reload ]; then`,
        `  errors=""`,
        `  if ${c.reload}; then sleep 1; errors=$( { ${c.logSince}; } | grep -i 'level=error' | grep -i -e reload -e configur || true); else errors="the reload signal could not be sent: is dockerd running?"; fi`,
        `  if [ -n "$errors" ] || ! answers; then`,
        `    if [ $had = 1 ]; then mv -f "$prev" "$f"; else rm -f "$f"; fi`,
        `    ${c.reload} || true`,
        `    echo "dockerd did not take the new daemon.json on reload; the previous file was put back. dockerd said:" >&2`,
        `    echo "$errors" >&2`,
        `    exit 1`,
        `  fi`,
        `  save_state; echo "daemon.json written; dockerd reloaded"; exit 0`,
        `fi`,
        c.restart,
        `if wait_up; then save_state; echo "daemon.json written; dockerd restarted"; exit 0; fi`,
        `said=$( { ${c.logSince}; } | tail -n 20)`,
        `if [ $had = 1 ]; then mv -f "$prev" "$f"; else rm -f "$f"; fi`,
        c.logMark,
        c.restart,
        `if wait_up; then back="dockerd is running again with the previous file"; else back="dockerd did not come up with the previous file either: $( { ${c.logSince}; } | tail -n 5)"; fi`,
        `echo "dockerd did not come up with the new daemon.json within ${plan.timeoutSeconds} s; the previous file was put back ($back). dockerd said:" >&2`,
        `echo "$said" >&2`,
        `exit 1`,
    ].join("\n");
    // sudo drops the environment: the variable is passed on explicitly.
    return plan.sudo ? `sudo -n env ${FORCE_VARIABLE}="\${${FORCE_VARIABLE}:-none}" sh -c ${shellQuote(body)}` : body;
}

/** Fingerprint of a file that holds only reloadable settings. */
export const EMPTY_FINGERPRINT = createHash("sha256").update("{}").digest("hex").slice(0, 16);
