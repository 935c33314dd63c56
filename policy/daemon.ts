/**
 * Where a stack declares a Docker engine's configuration: the `@pulumi/command` resource that
 * writes daemon.json on the host (locally or over SSH) gets the file's text as its `stdin`
 * (`daemonJson(config).text`, components/daemon). Such a command is recognised by its stdin: a
 * JSON object with at least one of dockerd's daemon.json keys. The section 2 rules then judge the
 * parsed object, so they apply to whatever resource ends up carrying the file.
 */
import type { DaemonJsonObject } from "./rules";

export const COMMAND_TYPES = ["command:local:Command", "command:remote:Command"];

/** daemon.json keys that mark a JSON document as dockerd's configuration. */
const DAEMON_KEYS = [
    "live-restore", "labels", "icc", "userns-remap", "no-new-privileges", "log-driver", "log-opts", "userland-proxy", "storage-driver", "data-root",
    "bip", "default-address-pools", "registry-mirrors", "insecure-registries", "hosts", "tls", "tlsverify", "tlscacert", "tlscert", "tlskey",
    "metrics-addr", "default-ulimits", "max-concurrent-downloads", "shutdown-timeout", "experimental", "iptables", "log-level", "cgroup-parent",
];

/** The daemon.json a text holds, or undefined when it is not one. */
export function parseDaemonJson(text: unknown): DaemonJsonObject | undefined {
    if (typeof text !== "string") return undefined;
    const t = text.trim();
    if (!t.startsWith("{")) return undefined;
    let parsed: unknown;
    try {
        parsed = JSON.parse(t);
    } catch {
        return undefined;
    }
    if (!parsed || typeof parsed !== "object" || Array.isArray(parsed)) return undefined;
    return Object.keys(parsed).some((k) => DAEMON_KEYS.includes(k)) ? (parsed as DaemonJsonObject) : undefined;
}

/** The daemon.json a resource carries, if it is a command resource whose stdin is one. */
export function daemonJsonOf(type: string, props: Record<string, unknown>): DaemonJsonObject | undefined {
    return COMMAND_TYPES.includes(type) ? parseDaemonJson(props["stdin"]) : undefined;
}
