/**
 * `daemon.json` as code: a typed description of a Docker engine's settings, converted to the exact
 * keys dockerd reads from `/etc/docker/daemon.json` and checked the way dockerd checks them, so a
 * configuration dockerd would refuse to start with is refused here, before anything is applied.
 *
 * Pure: no files are read or written and no Pulumi resource is created. The rendered text is
 * stable (keys sorted at every level, 2-space JSON, final newline), so a hash of it can serve as
 * the trigger that re-applies the file and restarts the engine.
 */
import { isIP } from "net";
import { SpecError, describe, joinPath } from "../spec/errors";
import { parseBytes } from "../spec/units";

/** One default address pool: networks created without a subnet are cut from `base` in blocks of `/size`. */
export interface AddressPool {
    /** The range, as a CIDR: `10.10.0.0/16`. */
    readonly base: string;
    /** Prefix length of each network cut from `base`: at least `base`'s prefix length, at most 32 (128 for IPv6). */
    readonly size: number;
}

/** The engine's TLS for its TCP sockets (`tls`, `tlsverify`, `tlscacert`, `tlscert`, `tlskey`). */
export interface DaemonTls {
    /** Absolute path, on the host, of the server certificate (`tlscert`). */
    readonly cert?: string;
    /** Absolute path, on the host, of the server key (`tlskey`). Needed with `cert`. */
    readonly key?: string;
    /** Absolute path, on the host, of the CA that client certificates must be signed by (`tlscacert`). */
    readonly ca?: string;
    /**
     * Whether clients must present a certificate signed by `ca` (`tlsverify`). Default: `true`
     * when `ca` is given, and then `ca` is required. `false` with `cert`/`key` encrypts but lets any
     * client in; `false` with no certificate at all is the explicit "plain TCP" that dockerd ≥ 27
     * demands before it listens on `tcp://` without TLS (rendered as `"tls": false`).
     */
    readonly verify?: boolean;
}

/** A resource limit: `{ soft, hard }`, `"soft:hard"`, or one number for both. -1 is unlimited. */
export type UlimitValue = { readonly soft: number; readonly hard: number } | string | number;

/**
 * A Docker engine's configuration, rendered to `daemon.json` by {@link daemonJson}. Every field is
 * optional; an unset field is left out of the file, and dockerd's default applies.
 */
export interface DaemonConfig {
    /** Keep containers running while dockerd is stopped or restarted (`live-restore`). Default `false`. Does not apply to swarm services. */
    readonly liveRestore?: boolean;
    /** Let containers on the default bridge talk to each other (`icc`). Default `true`. */
    readonly icc?: boolean;
    /**
     * Run containers in a user namespace (`userns-remap`): `"default"` (dockerd creates and uses
     * the `dockremap` user), `"user"` or `"user:group"` (names or numeric ids, with subordinate ids
     * in /etc/subuid and /etc/subgid). Default: off. Images and containers made before remapping
     * live under another data directory and are not visible once it is on.
     */
    readonly usernsRemap?: string;
    /** Start every container with `no-new-privileges` (`no-new-privileges`). Default `false`. */
    readonly noNewPrivileges?: boolean;
    /**
     * Default log driver of containers (`log-driver`). Default `json-file`. One of dockerd's
     * built-ins (`json-file`, `local`, `journald`, `syslog`, `gelf`, `fluentd`, `awslogs`, `splunk`,
     * `etwlogs`, `gcplogs`, `logentries`, `none`) or a plugin `name:tag`.
     */
    readonly logDriver?: string;
    /**
     * Options of the default log driver (`log-opts`). Numbers and booleans are written as strings,
     * as dockerd requires. Checked against what the driver accepts for `json-file`, `local`,
     * `journald`, `syslog`, `gelf`, `fluentd` and `none`. Default: none.
     */
    readonly logOpts?: Readonly<Record<string, string | number | boolean>>;
    /** Use the `docker-proxy` process for published ports (`userland-proxy`). Default `true`. */
    readonly userlandProxy?: boolean;
    /** Storage driver (`storage-driver`): `overlay2`, `btrfs`, `zfs`, `fuse-overlayfs`, `vfs`, or a containerd snapshotter. Default: dockerd's choice. */
    readonly storageDriver?: string;
    /** Absolute path of dockerd's state: images, containers, volumes (`data-root`). Default `/var/lib/docker`. */
    readonly dataRoot?: string;
    /** Address and prefix of the default bridge, `docker0` (`bip`): an IPv4 host address with a prefix, `172.26.0.1/16`. Default `172.17.0.1/16`. */
    readonly bip?: string;
    /** Ranges networks are allocated from (`default-address-pools`). Default: dockerd's 172.17–172.31/16 and 192.168/20 ranges. */
    readonly defaultAddressPools?: readonly AddressPool[];
    /** Pull-through mirrors of Docker Hub, http(s) URLs (`registry-mirrors`). Default: none. */
    readonly registryMirrors?: readonly string[];
    /** Registries reached over plain HTTP or unverified TLS: `host[:port]` or a CIDR (`insecure-registries`). Default: only 127.0.0.0/8 and ::1/128. */
    readonly insecureRegistries?: readonly string[];
    /** TLS of the TCP sockets in `hosts`. Default: none. */
    readonly tls?: DaemonTls;
    /**
     * Sockets dockerd listens on (`hosts`): `unix:///path`, `tcp://host:port`, `fd://`. Default:
     * the unit file's `-H fd://`. dockerd refuses `hosts` in the file when the unit also passes
     * `-H`, so the unit has to be overridden (a warning says so). A `tcp://` socket needs `tls`
     * with `cert` and `key`, or an explicit `tls: { verify: false }`.
     */
    readonly hosts?: readonly string[];
    /** `host:port` of the Prometheus metrics endpoint (`metrics-addr`). Default: off. It is unauthenticated: keep it on loopback. */
    readonly metricsAddr?: string;
    /** Labels of the engine, shown by `docker info` and used by swarm placement (`labels`, written as `k=v` strings). Default: none. */
    readonly labels?: Readonly<Record<string, string>>;
    /** Default resource limits of containers by name, `nofile`, `nproc`… (`default-ulimits`). Default: dockerd's own limits. */
    readonly defaultUlimits?: Readonly<Record<string, UlimitValue>>;
    /** Layers pulled in parallel per pull (`max-concurrent-downloads`), at least 1. Default 3. */
    readonly maxConcurrentDownloads?: number;
    /** Seconds dockerd waits for containers to stop when it shuts down (`shutdown-timeout`), a non-negative integer. Default 15. */
    readonly shutdownTimeout?: number;
    /** Enable experimental features (`experimental`). Default `false`. */
    readonly experimental?: boolean;
}

/** What the configuration is rendered against. */
export interface DaemonContext {
    /** The engine is (or will be) a swarm node. */
    readonly swarm?: boolean;
}

/** A setting accepted but worth knowing about (errors are thrown as `SpecError`). */
export interface DaemonFinding {
    readonly level: "warning";
    /** `daemon.<key>` (the `where` given). */
    readonly path: string;
    readonly message: string;
}

/** The rendered `daemon.json`. */
export interface DaemonJson {
    /** The dockerd keys and values, keys sorted. */
    readonly json: Record<string, unknown>;
    /** `json` as stable text: sorted keys, 2-space indentation, a final newline. */
    readonly text: string;
    readonly findings: DaemonFinding[];
}

/** Log drivers built into dockerd. */
export const BUILTIN_LOG_DRIVERS: readonly string[] = ["awslogs", "etwlogs", "fluentd", "gcplogs", "gelf", "journald", "json-file", "local", "logentries", "none", "splunk", "syslog"];

/** Options every driver accepts (dockerd handles them before the driver's own check). */
const COMMON_LOG_OPTS = ["mode", "max-buffer-size"];
/** Container attributes a driver may attach (`labels`, `env`…) and its tag template. */
const ATTR_LOG_OPTS = ["labels", "labels-regex", "env", "env-regex", "tag"];

/** The options of the drivers whose lists are checked; other drivers' options are passed on as given. */
export const LOG_DRIVER_OPTS: Readonly<Record<string, readonly string[]>> = {
    "json-file": ["max-size", "max-file", "compress", ...ATTR_LOG_OPTS],
    local: ["max-size", "max-file", "compress", ...ATTR_LOG_OPTS],
    journald: [...ATTR_LOG_OPTS],
    syslog: ["syslog-address", "syslog-facility", "syslog-tls-ca-cert", "syslog-tls-cert", "syslog-tls-key", "syslog-tls-skip-verify", "syslog-format", ...ATTR_LOG_OPTS],
    gelf: ["gelf-address", "gelf-compression-type", "gelf-compression-level", "gelf-tcp-max-reconnect", "gelf-tcp-reconnect-delay", ...ATTR_LOG_OPTS],
    fluentd: ["fluentd-address", "fluentd-async", "fluentd-async-connect", "fluentd-buffer-limit", "fluentd-retry-wait", "fluentd-max-retries", "fluentd-sub-second-precision", "fluentd-request-ack", "fluentd-write-timeout", ...ATTR_LOG_OPTS],
};

/** Storage drivers removed from dockerd (aufs and overlay in 24, devicemapper in 25). */
const REMOVED_STORAGE_DRIVERS = ["aufs", "devicemapper", "overlay"];
/** Storage drivers and containerd snapshotters dockerd knows; another name gets a warning. */
const KNOWN_STORAGE_DRIVERS = ["overlay2", "fuse-overlayfs", "btrfs", "zfs", "vfs", "windowsfilter", "overlayfs", "native", "stargz"];

/** Resource names `default-ulimits` accepts. */
const ULIMIT_NAMES = ["core", "cpu", "data", "fsize", "locks", "memlock", "msgqueue", "nice", "nofile", "nproc", "rss", "rtprio", "rttime", "sigpending", "stack"];

const FIELDS: readonly (keyof DaemonConfig)[] = [
    "liveRestore", "icc", "usernsRemap", "noNewPrivileges", "logDriver", "logOpts", "userlandProxy", "storageDriver", "dataRoot", "bip",
    "defaultAddressPools", "registryMirrors", "insecureRegistries", "tls", "hosts", "metricsAddr", "labels", "defaultUlimits",
    "maxConcurrentDownloads", "shutdownTimeout", "experimental",
];

/**
 * Converts a {@link DaemonConfig} to `daemon.json`. Throws a `SpecError` at `<where>.<field>`
 * for what dockerd would refuse; returns warnings for what it accepts but may surprise.
 */
export function daemonJson(config: DaemonConfig, where = "daemon", context: DaemonContext = {}): DaemonJson {
    if (config === null || typeof config !== "object" || Array.isArray(config)) throw new SpecError("the daemon configuration must be a mapping", where, config);
    const findings: DaemonFinding[] = [];
    const warn = (path: string, message: string): void => void findings.push({ level: "warning", path, message });
    const at = (field: keyof DaemonConfig): string => joinPath(where, field);
    for (const key of Object.keys(config)) {
        if (!(FIELDS as string[]).includes(key)) throw new SpecError(`unknown daemon setting; known settings are ${FIELDS.join(", ")}`, joinPath(where, key), (config as Record<string, unknown>)[key]);
    }
    const out: Record<string, unknown> = {};
    const c = config;

    const booleans: [keyof DaemonConfig, string][] = [
        ["liveRestore", "live-restore"], ["icc", "icc"], ["noNewPrivileges", "no-new-privileges"], ["userlandProxy", "userland-proxy"], ["experimental", "experimental"],
    ];
    for (const [field, key] of booleans) {
        const v = c[field];
        if (v === undefined) continue;
        if (typeof v !== "boolean") throw new SpecError("must be true or false", at(field), v);
        out[key] = v;
    }
    if (c.liveRestore === true && context.swarm) {
        warn(at("liveRestore"), "live-restore keeps standalone containers running across a dockerd restart; swarm services' tasks are still stopped and rescheduled");
    }
    // dockerd recreates the default bridge at start only when live-restore found no running
    // container (daemon/daemon_unix.go, initNetworkController): seen on dockerd 20.10.
    if (c.liveRestore === true && (c.icc !== undefined || c.bip !== undefined)) {
        warn(at(c.icc !== undefined ? "icc" : "bip"), "with live-restore, dockerd keeps the default bridge as it was while containers run on the engine: a change of icc or bip takes effect at the first restart with no container running");
    }

    if (c.usernsRemap !== undefined) {
        const v = c.usernsRemap;
        const name = "(?:[A-Za-z_][A-Za-z0-9_.-]*\\$?|\\d+)";
        if (typeof v !== "string" || !new RegExp(`^${name}(?::${name})?$`).test(v)) {
            throw new SpecError('userns-remap must be "default", "user" or "user:group" (names or numeric ids)', at("usernsRemap"), v);
        }
        if (v === "root" || v === "0" || v.startsWith("root:") || v.startsWith("0:")) throw new SpecError("userns-remap to root remaps nothing; dockerd refuses it", at("usernsRemap"), v);
        out["userns-remap"] = v;
    }

    const driver = renderLogDriver(c, at, out);
    if (c.logOpts !== undefined) out["log-opts"] = renderLogOpts(c.logOpts, driver, at("logOpts"));

    if (c.storageDriver !== undefined) {
        const v = c.storageDriver;
        if (typeof v !== "string" || !/^[a-z0-9][a-z0-9._-]*$/.test(v)) throw new SpecError("storage-driver must be a driver name such as overlay2", at("storageDriver"), v);
        // A warning, not an error: engines before 24 (Debian's docker.io 20.10 among them) still ship them.
        if (REMOVED_STORAGE_DRIVERS.includes(v)) warn(at("storageDriver"), `storage driver ${describe(v)} was removed from dockerd 24/25 (deprecated before): a newer engine will not start with it; use overlay2`);
        else if (!KNOWN_STORAGE_DRIVERS.includes(v)) warn(at("storageDriver"), `storage driver ${describe(v)} is not one dockerd ships (${KNOWN_STORAGE_DRIVERS.join(", ")}); dockerd will not start unless it is a snapshotter it can load`);
        out["storage-driver"] = v;
    }

    if (c.dataRoot !== undefined) {
        const v = c.dataRoot;
        if (typeof v !== "string" || !v.startsWith("/")) throw new SpecError("data-root must be an absolute path", at("dataRoot"), v);
        out["data-root"] = v;
    }

    if (c.bip !== undefined) {
        const cidr = parseCidr(c.bip);
        if (!cidr || cidr.family !== 4) throw new SpecError("bip must be an IPv4 address with a prefix length, such as 172.26.0.1/16", at("bip"), c.bip);
        if (cidr.prefix > 30) throw new SpecError("bip's prefix must leave room for containers: at most /30", at("bip"), c.bip);
        const host = cidr.value & hostMask(cidr.prefix);
        if (host === 0n || host === hostMask(cidr.prefix)) {
            warn(at("bip"), `bip is the bridge's own address; ${describe(c.bip)} is the ${host === 0n ? "network" : "broadcast"} address of its subnet (use a host address such as the first one)`);
        }
        out.bip = c.bip;
    }

    if (c.defaultAddressPools !== undefined) {
        const pools = c.defaultAddressPools;
        if (!Array.isArray(pools)) throw new SpecError("default-address-pools must be a list of { base, size }", at("defaultAddressPools"), pools);
        out["default-address-pools"] = pools.map((p: AddressPool, i) => {
            const path = joinPath(at("defaultAddressPools"), i);
            if (p === null || typeof p !== "object") throw new SpecError("a pool must be { base, size }", path, p);
            const extra = Object.keys(p).filter((k) => k !== "base" && k !== "size");
            if (extra.length) throw new SpecError("a pool has only base and size", joinPath(path, extra[0]), (p as unknown as Record<string, unknown>)[extra[0]]);
            const cidr = parseCidr(p.base);
            if (!cidr) throw new SpecError("a pool's base must be a CIDR such as 10.10.0.0/16", joinPath(path, "base"), p.base);
            const max = cidr.family === 4 ? 32 : 128;
            if (typeof p.size !== "number" || !Number.isInteger(p.size) || p.size < cidr.prefix || p.size > max) {
                throw new SpecError(`a pool's size is the prefix length of each network cut from it: an integer from ${cidr.prefix} (the base's prefix) to ${max}`, joinPath(path, "size"), p.size);
            }
            if ((cidr.value & hostMask(cidr.prefix, max)) !== 0n) warn(joinPath(path, "base"), `${describe(p.base)} has host bits set; the pool starts at its network address`);
            return { base: p.base, size: p.size };
        });
    }

    if (c.registryMirrors !== undefined) {
        out["registry-mirrors"] = stringList(c.registryMirrors, at("registryMirrors"), (m, path) => {
            let url: URL | undefined;
            try {
                url = new URL(m);
            } catch {
                url = undefined;
            }
            if (!url || (url.protocol !== "http:" && url.protocol !== "https:") || !url.host) throw new SpecError("a registry mirror must be an http:// or https:// URL", path, m);
            if (url.username || url.password) throw new SpecError("a registry mirror URL must not hold credentials", path, m);
            if (url.search || url.hash || m.includes("?") || m.includes("#")) throw new SpecError("a registry mirror URL must not have a query or fragment", path, m);
        });
    }

    if (c.insecureRegistries !== undefined) {
        out["insecure-registries"] = stringList(c.insecureRegistries, at("insecureRegistries"), (r, path) => {
            let rest = r;
            const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//.exec(r);
            if (scheme) {
                if (!["http", "https"].includes(scheme[1].toLowerCase())) throw new SpecError("an insecure registry is host[:port] or a CIDR, without a scheme", path, r);
                warn(path, `dockerd drops the ${scheme[1]}:// of ${describe(r)}; write it without a scheme`);
                rest = r.slice(scheme[0].length);
            }
            if (parseCidr(rest)) return;
            const m = /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?)(?::(\d+))?$/.exec(rest);
            if (!m || (m[3] !== undefined && Number(m[3]) > 65535)) throw new SpecError("an insecure registry is host[:port] or a CIDR", path, r);
        });
    }

    renderHostsAndTls(c, at, out, warn);

    if (c.metricsAddr !== undefined) {
        const v = c.metricsAddr;
        const hp = typeof v === "string" ? splitHostPort(v) : undefined;
        if (!hp) throw new SpecError("metrics-addr must be host:port, such as 127.0.0.1:9323", at("metricsAddr"), v);
        if (!isLoopback(hp.host)) warn(at("metricsAddr"), `the metrics endpoint has no authentication and ${describe(v)} is not a loopback address: anyone who reaches it reads the engine's metrics`);
        out["metrics-addr"] = v;
    }

    if (c.labels !== undefined) {
        const labels = c.labels;
        if (labels === null || typeof labels !== "object" || Array.isArray(labels)) throw new SpecError("labels must be a mapping of names to values", at("labels"), labels);
        out.labels = Object.keys(labels).sort().map((k) => {
            const path = joinPath(at("labels"), k);
            if (k === "" || /[=\s]/.test(k)) throw new SpecError("a label name must be non-empty, without '=' or spaces", path, k);
            const v = labels[k];
            if (typeof v !== "string") throw new SpecError("a label value must be a string", path, v);
            return `${k}=${v}`;
        });
    }

    if (c.defaultUlimits !== undefined) {
        const limits = c.defaultUlimits;
        if (limits === null || typeof limits !== "object" || Array.isArray(limits)) throw new SpecError("default-ulimits must be a mapping such as { nofile: { soft: 1024, hard: 2048 } }", at("defaultUlimits"), limits);
        const rendered: Record<string, unknown> = {};
        for (const name of Object.keys(limits).sort()) {
            const path = joinPath(at("defaultUlimits"), name);
            if (!ULIMIT_NAMES.includes(name)) throw new SpecError(`not a ulimit; one of ${ULIMIT_NAMES.join(", ")}`, path, name);
            const { soft, hard } = parseUlimit(limits[name], path);
            rendered[name] = { Hard: hard, Name: name, Soft: soft };
        }
        out["default-ulimits"] = rendered;
    }

    if (c.maxConcurrentDownloads !== undefined) {
        const v = c.maxConcurrentDownloads;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 1) throw new SpecError("max-concurrent-downloads must be an integer of at least 1", at("maxConcurrentDownloads"), v);
        out["max-concurrent-downloads"] = v;
    }

    if (c.shutdownTimeout !== undefined) {
        const v = c.shutdownTimeout;
        if (typeof v !== "number" || !Number.isInteger(v) || v < 0) throw new SpecError("shutdown-timeout is a non-negative integer number of seconds", at("shutdownTimeout"), v);
        out["shutdown-timeout"] = v;
    }

    const json = sortKeys(out) as Record<string, unknown>;
    return { json, text: JSON.stringify(json, null, 2) + "\n", findings };
}

function renderLogDriver(c: DaemonConfig, at: (f: keyof DaemonConfig) => string, out: Record<string, unknown>): string {
    if (c.logDriver === undefined) return "json-file";
    const v = c.logDriver;
    const plugin = typeof v === "string" && /^[a-z0-9][a-z0-9._/-]*:[A-Za-z0-9_][A-Za-z0-9_.-]*$/.test(v);
    if (typeof v !== "string" || (!BUILTIN_LOG_DRIVERS.includes(v) && !plugin)) {
        throw new SpecError(`not a log driver dockerd has; one of ${BUILTIN_LOG_DRIVERS.join(", ")}, or a plugin name:tag`, at("logDriver"), v);
    }
    out["log-driver"] = v;
    return v;
}

function renderLogOpts(opts: Readonly<Record<string, string | number | boolean>>, driver: string, where: string): Record<string, string> {
    if (opts === null || typeof opts !== "object" || Array.isArray(opts)) throw new SpecError("log-opts must be a mapping of option names to values", where, opts);
    const out: Record<string, string> = {};
    const accepted = LOG_DRIVER_OPTS[driver];
    for (const key of Object.keys(opts).sort()) {
        const path = joinPath(where, key);
        const raw = opts[key];
        if (typeof raw !== "string" && typeof raw !== "boolean" && !(typeof raw === "number" && Number.isFinite(raw))) throw new SpecError("a log option is a string, number or boolean", path, raw);
        const v = String(raw);
        out[key] = v;
        if (driver === "none") continue; // dockerd checks nothing for the none driver
        if (!COMMON_LOG_OPTS.includes(key) && accepted && !accepted.includes(key)) {
            throw new SpecError(`log driver ${driver} does not accept this option; it takes ${[...accepted, ...COMMON_LOG_OPTS].join(", ")}`, path, key);
        }
        if (key === "mode" && v !== "blocking" && v !== "non-blocking") throw new SpecError('mode is "blocking" or "non-blocking"', path, raw);
        if (key === "max-buffer-size") {
            if (String(opts.mode) !== "non-blocking") throw new SpecError('max-buffer-size only applies with mode "non-blocking"', path, raw);
            parseBytes(v, path);
        }
        if (accepted && key === "max-size") parseBytes(v, path);
        if (accepted && key === "max-file" && !(/^\d+$/.test(v) && Number(v) >= 1)) throw new SpecError("max-file is a whole number of files, at least 1", path, raw);
        if (accepted && key === "compress" && v !== "true" && v !== "false") throw new SpecError("compress is true or false", path, raw);
    }
    return out;
}

function renderHostsAndTls(c: DaemonConfig, at: (f: keyof DaemonConfig) => string, out: Record<string, unknown>, warn: (path: string, message: string) => void): void {
    const tls = c.tls;
    let material = false;
    if (tls !== undefined) {
        if (tls === null || typeof tls !== "object" || Array.isArray(tls)) throw new SpecError("tls must be { cert, key, ca, verify }", at("tls"), tls);
        const extra = Object.keys(tls).filter((k) => !["cert", "key", "ca", "verify"].includes(k));
        if (extra.length) throw new SpecError("tls has cert, key, ca and verify", joinPath(at("tls"), extra[0]), (tls as Record<string, unknown>)[extra[0]]);
        for (const k of ["cert", "key", "ca"] as const) {
            const v = tls[k];
            if (v !== undefined && (typeof v !== "string" || !v.startsWith("/"))) throw new SpecError("TLS files are absolute paths on the host", joinPath(at("tls"), k), v);
        }
        if (tls.verify !== undefined && typeof tls.verify !== "boolean") throw new SpecError("verify must be true or false", joinPath(at("tls"), "verify"), tls.verify);
        if ((tls.cert === undefined) !== (tls.key === undefined)) {
            const missing = tls.cert === undefined ? "cert" : "key";
            throw new SpecError("TLS needs both cert and key", joinPath(at("tls"), missing));
        }
        material = tls.cert !== undefined;
        const verify = tls.verify ?? tls.ca !== undefined;
        if (!material && (tls.ca !== undefined || tls.verify !== false)) {
            throw new SpecError("TLS needs the server's cert and key (or verify: false alone, for explicitly plain TCP)", joinPath(at("tls"), "cert"));
        }
        if (verify && tls.ca === undefined) throw new SpecError("verifying clients needs the CA that signs their certificates", joinPath(at("tls"), "ca"));
        if (material) {
            out.tls = true;
            out.tlsverify = verify;
            out.tlscert = tls.cert;
            out.tlskey = tls.key;
            if (tls.ca !== undefined) out.tlscacert = tls.ca;
        } else {
            out.tls = false;
        }
    }

    let tcp = false;
    if (c.hosts !== undefined) {
        out.hosts = stringList(c.hosts, at("hosts"), (h, path) => {
            const m = /^(unix|tcp|fd|npipe):\/\/(.*)$/.exec(h);
            if (!m) throw new SpecError("a host is unix:///path, tcp://host:port or fd://", path, h);
            if (m[1] === "unix" && !m[2].startsWith("/")) throw new SpecError("a unix socket is an absolute path: unix:///var/run/docker.sock", path, h);
            if (m[1] === "tcp") {
                const hp = splitHostPort(m[2].replace(/\/$/, ""), true);
                if (!hp) throw new SpecError("a TCP host is tcp://address:port", path, h);
                tcp = true;
                if (!material && tls?.verify !== false) {
                    throw new SpecError("dockerd (27 and later) refuses a TCP socket without TLS: give tls.cert and tls.key (and tls.ca), or tls: { verify: false } to accept plain, unauthenticated TCP", path, h);
                }
            }
        });
        warn(at("hosts"), "dockerd refuses hosts in daemon.json while its unit passes -H (the stock docker.service passes -H fd://); the unit's ExecStart must be overridden without -H");
    }
    if (tcp && !material) warn(at("tls"), "plain TCP without TLS: anyone who reaches the port controls the engine, and through it the host");
    else if (tcp && out.tlsverify === false) warn(joinPath(at("tls"), "verify"), "TLS without client verification encrypts but lets any client in: anyone who reaches the port controls the engine");
    if (tls !== undefined && !tcp) warn(at("tls"), "TLS applies only to tcp:// hosts, and none is listed");
}

function stringList(list: readonly string[], where: string, check: (s: string, path: string) => void): string[] {
    if (!Array.isArray(list)) throw new SpecError("must be a list of strings", where, list);
    return list.map((s, i) => {
        const path = joinPath(where, i);
        if (typeof s !== "string") throw new SpecError("must be a string", path, s);
        check(s, path);
        return s;
    });
}

function parseUlimit(value: UlimitValue, path: string): { soft: number; hard: number } {
    let soft: unknown;
    let hard: unknown;
    if (typeof value === "number") soft = hard = value;
    else if (typeof value === "string") {
        const m = /^(-?\d+)(?::(-?\d+))?$/.exec(value);
        if (!m) throw new SpecError('a ulimit is "soft:hard", one number, or { soft, hard }', path, value);
        soft = Number(m[1]);
        hard = m[2] === undefined ? soft : Number(m[2]);
    } else if (value !== null && typeof value === "object" && !Array.isArray(value)) {
        soft = value.soft;
        hard = value.hard;
    } else throw new SpecError('a ulimit is "soft:hard", one number, or { soft, hard }', path, value);
    for (const [name, v] of [["soft", soft], ["hard", hard]] as const) {
        if (typeof v !== "number" || !Number.isSafeInteger(v) || v < -1) throw new SpecError(`a ulimit's ${name} limit is a whole number, or -1 for unlimited`, typeof value === "object" ? joinPath(path, name) : path, typeof value === "object" ? v : value);
    }
    const s = soft as number;
    const h = hard as number;
    if (h !== -1 && (s === -1 || s > h)) throw new SpecError("a ulimit's soft limit must not exceed its hard limit", path, value);
    return { soft: s, hard: h };
}

interface Cidr {
    family: 4 | 6;
    value: bigint;
    prefix: number;
}

function parseCidr(text: unknown): Cidr | undefined {
    if (typeof text !== "string") return undefined;
    const m = /^([^/]+)\/(\d{1,3})$/.exec(text);
    if (!m) return undefined;
    const family = isIP(m[1]);
    const prefix = Number(m[2]);
    if (family === 4 && prefix <= 32) return { family, prefix, value: m[1].split(".").reduce((a, o) => (a << 8n) | BigInt(Number(o)), 0n) };
    if (family === 6 && prefix <= 128 && !m[1].includes(".")) return { family, prefix, value: ipv6Value(m[1]) };
    return undefined;
}

function ipv6Value(addr: string): bigint {
    const [head, tail] = addr.includes("::") ? addr.split("::") : [addr, undefined];
    const h = head ? head.split(":") : [];
    const t = tail ? tail.split(":") : [];
    const groups = tail === undefined ? h : [...h, ...Array(8 - h.length - t.length).fill("0"), ...t];
    return groups.reduce((a, g) => (a << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** The host bits of a prefix in an address of `bits` bits. */
function hostMask(prefix: number, bits = 32): bigint {
    return (1n << BigInt(bits - prefix)) - 1n;
}

function splitHostPort(text: string, portOptional = false): { host: string; port?: number } | undefined {
    const m = /^(\[[0-9A-Fa-f:.]+\]|[^:[\]/]*)(?::(\d+))?$/.exec(text);
    if (!m || (m[2] === undefined && !portOptional)) return undefined;
    const host = m[1].replace(/^\[|\]$/g, "");
    if (m[1].startsWith("[") && isIP(host) !== 6) return undefined;
    if (!m[1].startsWith("[") && host !== "" && !isIP(host) && !/^[A-Za-z0-9]([A-Za-z0-9.-]*[A-Za-z0-9])?$/.test(host)) return undefined;
    if (m[2] === undefined) return { host };
    const port = Number(m[2]);
    if (port < 1 || port > 65535) return undefined;
    return { host, port };
}

function isLoopback(host: string): boolean {
    return host === "localhost" || host === "::1" || (isIP(host) === 4 && host.startsWith("127."));
}

function sortKeys(value: unknown): unknown {
    if (Array.isArray(value)) return value.map(sortKeys);
    if (value !== null && typeof value === "object") {
        const out: Record<string, unknown> = {};
        for (const k of Object.keys(value).sort()) out[k] = sortKeys((value as Record<string, unknown>)[k]);
        return out;
    }
    return value;
}
