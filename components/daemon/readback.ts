/**
 * Reading a daemon configuration back from the engine: which `daemon.json` settings `docker info`
 * (and the default bridge network) report, in the form the engine reports them, and the
 * comparison of a report with the configuration.
 *
 * `engineDrift` runs inside the read-back resource's dynamic provider, which Pulumi serializes
 * with the functions it calls: this module imports nothing, so nothing else is carried along.
 *
 * Only settings that are set are checked: a host may pass flags of its own (a unit file's
 * `--log-driver`), and dockerd's defaults are its business. Settings the engine does not report
 * (userland-proxy, no-new-privileges, default ulimits, log options, metrics-addr, hosts, TLS,
 * max-concurrent-downloads, shutdown-timeout, default address pools) are applied but not read back.
 */

/** One setting as the engine reports it. */
export interface EngineExpectation {
    /** The `daemon.json` key. */
    readonly key: string;
    /** `docker info`, or `docker network inspect bridge`. */
    readonly source: "info" | "bridge";
    /** Path of the value in that JSON. */
    readonly path: readonly string[];
    /**
     * `equal`: the same value; `set`: the same strings in any order; `contains`: a list holding
     * `want`; `prefix`: a string starting with `want`; `insecure`: each registry is trusted (a
     * CIDR in `InsecureRegistryCIDRs`, a host in `IndexConfigs` with `Secure: false`).
     */
    readonly compare: "equal" | "set" | "contains" | "prefix" | "insecure";
    readonly want: unknown;
    /** A change of it needs a restart (a reload does not apply it). */
    readonly restart: boolean;
}

/** A setting the engine reports otherwise than the configuration says. */
export interface EngineDrift {
    readonly key: string;
    readonly want: unknown;
    readonly got: unknown;
    readonly restart: boolean;
}

/** What the engine should report for a rendered `daemon.json` (its keys and values). */
export function engineExpectations(json: Record<string, unknown>): EngineExpectation[] {
    const out: EngineExpectation[] = [];
    const add = (key: string, source: EngineExpectation["source"], path: string[], compare: EngineExpectation["compare"], want: unknown, restart: boolean): void => {
        if (json[key] !== undefined) out.push({ key, source, path, compare, want, restart });
    };
    add("live-restore", "info", ["LiveRestoreEnabled"], "equal", json["live-restore"], false);
    add("labels", "info", ["Labels"], "set", json.labels, false);
    add("log-driver", "info", ["LoggingDriver"], "equal", json["log-driver"], true);
    add("storage-driver", "info", ["Driver"], "equal", json["storage-driver"], true);
    // With userns-remap, the root is <data-root>/<uid>.<gid>.
    add("data-root", "info", ["DockerRootDir"], "prefix", json["data-root"], true);
    add("experimental", "info", ["ExperimentalBuild"], "equal", json.experimental, true);
    add("userns-remap", "info", ["SecurityOptions"], "contains", "name=userns", true);
    // dockerd keeps mirrors as URLs ending in "/": compared without it.
    add("registry-mirrors", "info", ["RegistryConfig", "Mirrors"], "set", (json["registry-mirrors"] as string[] | undefined)?.map((m) => m.replace(/\/+$/, "")), false);
    add("insecure-registries", "info", ["RegistryConfig"], "insecure", json["insecure-registries"], false);
    add("icc", "bridge", ["Options", "com.docker.network.bridge.enable_icc"], "equal", String(json.icc), true);
    if (typeof json.bip === "string") add("bip", "bridge", ["IPAM", "Config", "0", "Gateway"], "equal", json.bip.replace(/\/\d+$/, ""), true);
    return out;
}

/**
 * The settings `info` (`docker info --format '{{json .}}'`) and `bridge` (`docker network inspect
 * bridge`, first element; undefined when the engine has no default bridge) report otherwise than
 * `expected`. Bridge settings are not judged without a bridge.
 */
export function engineDrift(info: unknown, bridge: unknown, expected: readonly EngineExpectation[]): EngineDrift[] {
    const at = (root: unknown, path: readonly string[]): unknown => {
        let v: unknown = root;
        for (const p of path) {
            if (v === null || typeof v !== "object") return undefined;
            v = (v as Record<string, unknown>)[p];
        }
        return v;
    };
    const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map((x) => String(x)) : []);
    // With live-restore, dockerd keeps the default bridge of running containers as it was across a
    // restart: its settings cannot be judged (a restart would not change them) until none runs.
    const bridgeKept = at(info, ["LiveRestoreEnabled"]) === true && Number(at(info, ["ContainersRunning"]) ?? 0) > 0;
    const drifts: EngineDrift[] = [];
    for (const e of expected) {
        if (e.source === "bridge" && (bridge === undefined || bridge === null || bridgeKept)) continue;
        const root = e.source === "info" ? info : bridge;
        let got = at(root, e.path);
        let ok: boolean;
        switch (e.compare) {
            case "equal":
                ok = got === e.want;
                break;
            case "set": {
                const norm = (xs: string[]): string[] => xs.map((x) => (e.key === "registry-mirrors" ? x.replace(/\/+$/, "") : x)).sort();
                got = norm(strings(got));
                ok = JSON.stringify(got) === JSON.stringify(norm(strings(e.want)));
                break;
            }
            case "contains":
                ok = strings(got).includes(String(e.want));
                break;
            case "prefix":
                ok = typeof got === "string" && (got === e.want || got.startsWith(`${String(e.want)}/`));
                break;
            case "insecure": {
                const cidrs = strings(at(got, ["InsecureRegistryCIDRs"]));
                const indexes = (at(got, ["IndexConfigs"]) ?? {}) as Record<string, { Secure?: boolean }>;
                const missing = strings(e.want).filter((r) => (r.includes("/") ? !cidrs.includes(r) : indexes[r]?.Secure !== false));
                got = { InsecureRegistryCIDRs: cidrs, insecureIndexes: Object.keys(indexes).filter((k) => indexes[k]?.Secure === false).sort() };
                ok = missing.length === 0;
                break;
            }
        }
        if (!ok) drifts.push({ key: e.key, want: e.want, got: got === undefined ? null : got, restart: e.restart });
    }
    return drifts;
}
