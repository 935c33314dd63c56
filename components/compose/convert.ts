/**
 * A merged, interpolated, validated Compose tree (snake_case) to the camelCase `AppInput` the
 * normalizer takes. The mapping is explicit, field by field: user-named map keys
 * (environment, labels, sysctls, driver_opts…) are never touched. Compose keys the model has no
 * place for are reported as warnings and left out. Values interpolation turned into strings
 * (`replicas: "${N}"`) are read back as numbers and booleans, as compose-go does.
 */
import { isSensitiveName, joinPath } from "../spec/errors";
import { setOwn } from "../spec/records";
import {
    AppInput, BuildInput, DeployInput, DeviceInput, FileReferenceInput, FileSourceInput, HealthcheckInput, MapOrList, MountInput, NetworkInput,
    PortInput, ServiceInput, ServiceNetworkInput, UpdateConfigInput, VolumeInput,
} from "../spec/input";
import { applyMapOrList, serviceEnvironment } from "./environment";
import { ComposeError, ComposeWarning, composeWarning } from "./errors";
import { Lookup } from "./interpolate";

type Tree = Record<string, unknown>;

/** What the converter needs besides the tree. */
export interface ConvertContext {
    /** Project name (already decided by the loader). */
    readonly name: string;
    /** Project directory: env files are found here. */
    readonly projectDir: string;
    /** The project environment (for `environment: [FOO]` and `build.args`). */
    readonly lookup: Lookup;
    /** File errors and warnings are reported against, for paths no single file owns. */
    readonly file?: string;
    /** Finds the file a Compose path came from. */
    readonly fileOf?: (path: string) => string | undefined;
    readonly warn: (warning: ComposeWarning) => void;
    /** Why an env file may not be read where it is, or undefined when it may. */
    readonly locationProblem?: (file: string) => string | undefined;
}

function isMap(v: unknown): v is Tree {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** `{key: value}` when value is defined, else `{}`: keeps absent fields absent. */
function opt<K extends string, V>(key: K, value: V | undefined | null): { [P in K]?: V } {
    return (value === undefined || value === null ? {} : { [key]: value }) as { [P in K]?: V };
}

/** A whole number written as a string (from interpolation) becomes a number; anything else is left for the normalizer to judge. */
function int(v: unknown): number | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" && /^\s*-?\d+\s*$/.test(v)) return Number(v);
    return v as number;
}

function num(v: unknown): number | string | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string" && v.trim() !== "" && Number.isFinite(Number(v))) return Number(v);
    return v as number | string;
}

/** Booleans as compose-go reads them, including `"yes"`/`"false"` strings from interpolation. */
function bool(v: unknown, where: string, ctx: ConvertContext): boolean | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "boolean") return v;
    const s = String(v).toLowerCase();
    if (["true", "yes", "y", "on", "1"].includes(s)) return true;
    if (["false", "no", "n", "off", "0"].includes(s)) return false;
    throw new ComposeError("must be true or false", where, v, ctx.fileOf?.(where) ?? ctx.file);
}

function strings(v: unknown): string[] | undefined {
    if (v === undefined || v === null) return undefined;
    return (Array.isArray(v) ? v : [v]).map(String);
}

function mapOrList(v: unknown): MapOrList | undefined {
    if (v === undefined || v === null) return undefined;
    return v as MapOrList;
}

/** Warns about every key of `value` not in `known` (nor an `x-` extension). */
function warnUnsupported(value: Tree, known: readonly string[], where: string, ctx: ConvertContext): void {
    for (const key of Object.keys(value)) {
        if (known.includes(key) || key.startsWith("x-")) continue;
        const p = joinPath(where, key);
        ctx.warn(composeWarning(`"${key}" is not supported by dockyard and is ignored`, p, ctx.fileOf?.(p) ?? ctx.file));
    }
}

// ---------------------------------------------------------------------------------------------
// Services

const SERVICE_KEYS = [
    "image", "build", "command", "entrypoint", "environment", "env_file", "ports", "expose", "volumes", "tmpfs", "networks",
    "network_mode", "depends_on", "healthcheck", "restart", "scale", "deploy", "cpus", "cpu_shares", "cpuset", "mem_limit",
    "mem_reservation", "memswap_limit", "pids_limit", "shm_size", "user", "group_add", "working_dir", "hostname", "domainname",
    "dns", "dns_search", "dns_opt", "extra_hosts", "labels", "logging", "read_only", "cap_add", "cap_drop", "security_opt",
    "privileged", "init", "stop_signal", "stop_grace_period", "ulimits", "sysctls", "tty", "stdin_open", "secrets", "configs",
    "container_name", "devices", "platform", "pid", "ipc", "runtime", "mac_address", "cgroup_parent",
    // Handled by the loader before conversion.
    "profiles", "extends",
];

function convertBuild(b: unknown, where: string, ctx: ConvertContext): string | BuildInput | undefined {
    if (b === undefined || b === null) return undefined;
    if (typeof b === "string") return b;
    const build = b as Tree;
    warnUnsupported(build, ["context", "dockerfile", "args", "target", "labels"], where, ctx);
    const args: Record<string, string> = {};
    applyMapOrList(args, build.args, ctx.lookup);
    return {
        ...opt("context", build.context as string | undefined),
        ...opt("dockerfile", build.dockerfile as string | undefined),
        args,
        ...opt("target", build.target as string | undefined),
        ...opt("labels", mapOrList(build.labels)),
    };
}

function convertPort(p: unknown): string | number | PortInput {
    if (!isMap(p)) return p as string | number;
    return {
        target: p.target as number | string,
        ...opt("published", p.published as number | string | undefined),
        ...opt("hostIp", p.host_ip as string | undefined),
        ...opt("protocol", p.protocol as string | undefined),
        ...opt("mode", p.mode as string | undefined),
        ...opt("name", p.name as string | undefined),
        ...opt("appProtocol", p.app_protocol as string | undefined),
    };
}

function convertMount(v: unknown, where: string, ctx: ConvertContext): string | MountInput {
    if (!isMap(v)) return v as string;
    warnUnsupported(v, ["type", "source", "target", "read_only", "bind", "volume", "tmpfs", "consistency"], where, ctx);
    const bind = v.bind as Tree | undefined;
    const volume = v.volume as Tree | undefined;
    const tmpfs = v.tmpfs as Tree | undefined;
    return {
        type: v.type as MountInput["type"],
        ...opt("source", v.source as string | undefined),
        target: v.target as string,
        ...opt("readOnly", bool(v.read_only, `${where}.read_only`, ctx)),
        ...(bind
            ? {
                  bind: {
                      ...opt("propagation", bind.propagation as string | undefined),
                      ...opt("createHostPath", bool(bind.create_host_path, `${where}.bind.create_host_path`, ctx)),
                      ...opt("selinux", bind.selinux as string | undefined),
                  },
              }
            : {}),
        ...(volume
            ? { volume: { ...opt("nocopy", bool(volume.nocopy, `${where}.volume.nocopy`, ctx)), ...opt("subpath", volume.subpath as string | undefined) } }
            : {}),
        ...(tmpfs ? { tmpfs: { ...opt("size", tmpfs.size as number | string | undefined), ...opt("mode", tmpfs.mode as number | string | undefined) } } : {}),
    };
}

function convertServiceNetworks(n: unknown, where: string, ctx: ConvertContext): ServiceInput["networks"] {
    if (n === undefined || n === null) return undefined;
    if (Array.isArray(n)) return n.map(String);
    const out: Record<string, ServiceNetworkInput | null> = {};
    for (const [key, attach] of Object.entries(n as Tree)) {
        if (!isMap(attach)) {
            setOwn(out, key, null);
            continue;
        }
        warnUnsupported(attach, ["aliases", "ipv4_address", "ipv6_address", "mac_address"], joinPath(`${where}.networks`, key), ctx);
        setOwn(out, key, {
            ...opt("aliases", strings(attach.aliases)),
            ...opt("ipv4Address", attach.ipv4_address as string | undefined),
            ...opt("ipv6Address", attach.ipv6_address as string | undefined),
            ...opt("macAddress", attach.mac_address as string | undefined),
        });
    }
    return out;
}

function convertDependsOn(d: unknown, where: string, ctx: ConvertContext): ServiceInput["dependsOn"] {
    if (d === undefined || d === null) return undefined;
    if (Array.isArray(d)) return d.map(String);
    const out: Record<string, { condition?: string; required?: boolean; restart?: boolean }> = {};
    for (const [service, v] of Object.entries(d as Tree)) {
        const dep = isMap(v) ? v : {};
        const p = joinPath(`${where}.depends_on`, service);
        setOwn(out, service, {
            ...opt("condition", dep.condition as string | undefined),
            ...opt("required", bool(dep.required, `${p}.required`, ctx)),
            ...opt("restart", bool(dep.restart, `${p}.restart`, ctx)),
        });
    }
    return out;
}

function convertHealthcheck(h: unknown, where: string, ctx: ConvertContext): HealthcheckInput | undefined {
    if (!isMap(h)) return undefined;
    return {
        ...opt("test", h.test as string | string[] | undefined),
        ...opt("interval", h.interval as string | undefined),
        ...opt("timeout", h.timeout as string | undefined),
        ...opt("retries", int(h.retries)),
        ...opt("startPeriod", h.start_period as string | undefined),
        ...opt("startInterval", h.start_interval as string | undefined),
        ...opt("disable", bool(h.disable, `${where}.healthcheck.disable`, ctx)),
    };
}

function convertUpdateConfig(u: unknown): UpdateConfigInput | undefined {
    if (!isMap(u)) return undefined;
    return {
        ...opt("parallelism", int(u.parallelism)),
        ...opt("delay", u.delay as string | undefined),
        ...opt("failureAction", u.failure_action as string | undefined),
        ...opt("monitor", u.monitor as string | undefined),
        ...opt("maxFailureRatio", num(u.max_failure_ratio)),
        ...opt("order", u.order as string | undefined),
    };
}

function convertDeploy(d: unknown, where: string, ctx: ConvertContext): DeployInput | undefined {
    if (!isMap(d)) return undefined;
    const p = `${where}.deploy`;
    warnUnsupported(d, ["mode", "replicas", "endpoint_mode", "labels", "resources", "restart_policy", "update_config", "rollback_config", "placement"], p, ctx);
    const resources = isMap(d.resources) ? d.resources : undefined;
    const limits = isMap(resources?.limits) ? (resources!.limits as Tree) : undefined;
    const reservations = isMap(resources?.reservations) ? (resources!.reservations as Tree) : undefined;
    if (limits) warnUnsupported(limits, ["cpus", "memory", "pids"], `${p}.resources.limits`, ctx);
    if (reservations) warnUnsupported(reservations, ["cpus", "memory"], `${p}.resources.reservations`, ctx);
    const rp = isMap(d.restart_policy) ? d.restart_policy : undefined;
    const placement = isMap(d.placement) ? d.placement : undefined;
    const updateConfig = convertUpdateConfig(d.update_config);
    const rollbackConfig = convertUpdateConfig(d.rollback_config);
    return {
        ...opt("mode", d.mode as string | undefined),
        ...opt("replicas", int(d.replicas)),
        ...opt("endpointMode", d.endpoint_mode as string | undefined),
        ...opt("labels", mapOrList(d.labels)),
        ...(resources
            ? {
                  resources: {
                      ...(limits ? { limits: { ...opt("cpus", limits.cpus as number | string | undefined), ...opt("memory", limits.memory as number | string | undefined), ...opt("pids", int(limits.pids)) } } : {}),
                      ...(reservations ? { reservations: { ...opt("cpus", reservations.cpus as number | string | undefined), ...opt("memory", reservations.memory as number | string | undefined) } } : {}),
                  },
              }
            : {}),
        ...(rp
            ? {
                  restartPolicy: {
                      ...opt("condition", rp.condition as string | undefined),
                      ...opt("delay", rp.delay as string | undefined),
                      ...opt("maxAttempts", int(rp.max_attempts)),
                      ...opt("window", rp.window as string | undefined),
                  },
              }
            : {}),
        ...opt("updateConfig", updateConfig),
        ...opt("rollbackConfig", rollbackConfig),
        ...(placement
            ? {
                  placement: {
                      ...opt("constraints", strings(placement.constraints)),
                      ...opt("preferences", placement.preferences as { spread: string }[] | undefined),
                      ...opt("maxReplicasPerNode", int(placement.max_replicas_per_node)),
                  },
              }
            : {}),
    };
}

function convertFileRefs(list: unknown): (string | FileReferenceInput)[] | undefined {
    if (!Array.isArray(list)) return undefined;
    return list.map((r) => {
        if (!isMap(r)) return r as string;
        return {
            source: r.source as string,
            ...opt("target", r.target as string | undefined),
            ...opt("uid", r.uid as string | undefined),
            ...opt("gid", r.gid as string | undefined),
            ...opt("mode", r.mode as number | string | undefined),
        };
    });
}

/** Short forms stay strings (the normalizer parses them); the long form keeps its keys, which are already the model's. */
function convertDevices(list: unknown): (string | DeviceInput)[] | undefined {
    if (!Array.isArray(list)) return undefined;
    return list.map((d) => {
        if (!isMap(d)) return d as string;
        return {
            source: d.source as string,
            ...opt("target", d.target as string | undefined),
            ...opt("permissions", d.permissions as string | undefined),
        };
    });
}

function convertUlimits(u: unknown): ServiceInput["ulimits"] {
    if (!isMap(u)) return undefined;
    return Object.fromEntries(
        Object.entries(u).map(([k, v]) => [k, isMap(v) ? { soft: int(v.soft) as number, hard: int(v.hard) as number } : (int(v) as number)]),
    );
}

function convertExtraHosts(h: unknown): ServiceInput["extraHosts"] {
    if (h === undefined || h === null) return undefined;
    if (Array.isArray(h)) return h.map(String);
    return Object.fromEntries(Object.entries(h as Tree).map(([k, v]) => [k, Array.isArray(v) ? v.map(String) : String(v)]));
}

/** Values that switch something on or off rather than hold a secret (`MYSQL_ALLOW_EMPTY_PASSWORD: yes`). */
const SWITCH = /^(|0|1|true|false|yes|no|on|off|y|n)$/i;

/**
 * Warns about a password, secret, token or key passed as a plain environment variable: anyone
 * who can inspect the container reads it, and Pulumi state keeps it unencrypted. A secret file
 * is the way (Compose's `secrets:`, read by most images through a `*_FILE` variable).
 */
function warnPlainSecrets(environment: Record<string, string>, where: string, ctx: ConvertContext): void {
    for (const [name, value] of Object.entries(environment)) {
        if (!isSensitiveName(name) || /_FILE$/i.test(name) || SWITCH.test(value.trim()) || value.startsWith("/run/secrets/")) continue;
        const p = joinPath(`${where}.environment`, name);
        ctx.warn(composeWarning(
            `${name} holds a password, secret, token or key as a plain environment variable, which anyone who can inspect the container can read ` +
                `and Pulumi state keeps unencrypted; declare it under the top-level secrets:, list it in the service's secrets:, and point the image ` +
                `at the file (many images read ${name}_FILE=/run/secrets/<name>)`,
            p,
            ctx.fileOf?.(p) ?? ctx.file,
        ));
    }
}

/** Converts one Compose service. `where` is its path (`services.web`). */
export function convertService(s: Tree, where: string, ctx: ConvertContext): ServiceInput {
    warnUnsupported(s, SERVICE_KEYS, where, ctx);
    const logging = isMap(s.logging) ? s.logging : undefined;
    const environment = serviceEnvironment(s.env_file, s.environment, where, {
        projectDir: ctx.projectDir,
        lookup: ctx.lookup,
        file: ctx.fileOf?.(`${where}.env_file`) ?? ctx.file,
        ...(ctx.locationProblem ? { locationProblem: ctx.locationProblem } : {}),
    });
    warnPlainSecrets(environment, where, ctx);
    const extensions = Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith("x-")));
    const b = (key: string) => bool(s[key], `${where}.${key}`, ctx);
    return {
        ...opt("image", s.image as string | undefined),
        ...opt("build", convertBuild(s.build, `${where}.build`, ctx)),
        ...opt("command", s.command as string | string[] | undefined),
        ...opt("entrypoint", s.entrypoint as string | string[] | undefined),
        environment,
        ...opt("ports", Array.isArray(s.ports) ? s.ports.map(convertPort) : undefined),
        ...opt("expose", s.expose as (string | number)[] | undefined),
        ...opt("volumes", Array.isArray(s.volumes) ? s.volumes.map((v, i) => convertMount(v, joinPath(`${where}.volumes`, i), ctx)) : undefined),
        ...opt("tmpfs", strings(s.tmpfs)),
        ...opt("networks", convertServiceNetworks(s.networks, where, ctx)),
        ...opt("networkMode", s.network_mode as string | undefined),
        ...opt("dependsOn", convertDependsOn(s.depends_on, where, ctx)),
        ...opt("healthcheck", convertHealthcheck(s.healthcheck, where, ctx)),
        ...opt("restart", s.restart as string | undefined),
        ...opt("replicas", int(s.scale)),
        ...opt("deploy", convertDeploy(s.deploy, where, ctx)),
        ...opt("cpus", num(s.cpus)),
        ...opt("cpuShares", int(s.cpu_shares)),
        ...opt("cpuset", s.cpuset as string | undefined),
        ...opt("memLimit", s.mem_limit as string | number | undefined),
        ...opt("memReservation", s.mem_reservation as string | number | undefined),
        ...opt("memswapLimit", s.memswap_limit as string | number | undefined),
        ...opt("pidsLimit", int(s.pids_limit)),
        ...opt("shmSize", s.shm_size as string | number | undefined),
        ...opt("user", s.user === undefined ? undefined : String(s.user)),
        ...opt("groupAdd", s.group_add as (string | number)[] | undefined),
        ...opt("workingDir", s.working_dir as string | undefined),
        ...opt("hostname", s.hostname as string | undefined),
        ...opt("domainname", s.domainname as string | undefined),
        ...opt("dns", strings(s.dns)),
        ...opt("dnsSearch", strings(s.dns_search)),
        ...opt("dnsOpt", strings(s.dns_opt)),
        ...opt("extraHosts", convertExtraHosts(s.extra_hosts)),
        ...opt("labels", mapOrList(s.labels)),
        ...(logging ? { logging: { ...opt("driver", logging.driver as string | undefined), ...opt("options", logging.options as Record<string, string | number | null> | undefined) } } : {}),
        ...opt("readOnly", b("read_only")),
        ...opt("capAdd", strings(s.cap_add)),
        ...opt("capDrop", strings(s.cap_drop)),
        ...opt("securityOpt", strings(s.security_opt)),
        ...opt("privileged", b("privileged")),
        ...opt("init", b("init")),
        ...opt("stopSignal", s.stop_signal as string | undefined),
        ...opt("stopGracePeriod", s.stop_grace_period as string | undefined),
        ...opt("ulimits", convertUlimits(s.ulimits)),
        ...opt("sysctls", mapOrList(s.sysctls)),
        ...opt("tty", b("tty")),
        ...opt("stdinOpen", b("stdin_open")),
        ...opt("secrets", convertFileRefs(s.secrets)),
        ...opt("configs", convertFileRefs(s.configs)),
        ...opt("containerName", s.container_name as string | undefined),
        ...opt("devices", convertDevices(s.devices)),
        ...opt("platform", s.platform as string | undefined),
        ...opt("pid", s.pid as string | undefined),
        ...opt("ipc", s.ipc as string | undefined),
        ...opt("runtime", s.runtime as string | undefined),
        ...opt("macAddress", s.mac_address as string | undefined),
        ...opt("cgroupParent", s.cgroup_parent as string | undefined),
        ...extensions,
    };
}

// ---------------------------------------------------------------------------------------------
// Top-level resources

/** Compose's `external: {name: x}` (deprecated) is `external: true` plus `name: x`. */
function external(e: unknown, where: string, ctx: ConvertContext): { external?: boolean; name?: string } {
    if (isMap(e)) return { external: true, ...opt("name", e.name as string | undefined) };
    return opt("external", bool(e, `${where}.external`, ctx));
}

function convertNetwork(n: unknown, where: string, ctx: ConvertContext): NetworkInput | null {
    if (!isMap(n)) return null;
    warnUnsupported(n, ["name", "driver", "driver_opts", "internal", "attachable", "enable_ipv6", "ipam", "labels", "external"], where, ctx);
    const ipam = isMap(n.ipam) ? n.ipam : undefined;
    if (ipam) warnUnsupported(ipam, ["driver", "config"], `${where}.ipam`, ctx);
    return {
        ...opt("name", n.name as string | undefined),
        ...opt("driver", n.driver as string | undefined),
        ...opt("driverOpts", n.driver_opts as Record<string, string | number> | undefined),
        ...opt("internal", bool(n.internal, `${where}.internal`, ctx)),
        ...opt("attachable", bool(n.attachable, `${where}.attachable`, ctx)),
        ...opt("enableIpv6", bool(n.enable_ipv6, `${where}.enable_ipv6`, ctx)),
        ...(ipam
            ? {
                  ipam: {
                      ...opt("driver", ipam.driver as string | undefined),
                      ...opt(
                          "config",
                          Array.isArray(ipam.config)
                              ? ipam.config.map((c: Tree) => ({
                                    ...opt("subnet", c.subnet as string | undefined),
                                    ...opt("gateway", c.gateway as string | undefined),
                                    ...opt("ipRange", c.ip_range as string | undefined),
                                    ...opt("auxAddresses", c.aux_addresses as Record<string, string> | undefined),
                                }))
                              : undefined,
                      ),
                  },
              }
            : {}),
        ...opt("labels", mapOrList(n.labels)),
        ...external(n.external, where, ctx),
    };
}

function convertVolume(v: unknown, where: string, ctx: ConvertContext): VolumeInput | null {
    if (!isMap(v)) return null;
    warnUnsupported(v, ["name", "driver", "driver_opts", "labels", "external"], where, ctx);
    return {
        ...opt("name", v.name as string | undefined),
        ...opt("driver", v.driver as string | undefined),
        ...opt("driverOpts", v.driver_opts as Record<string, string | number> | undefined),
        ...opt("labels", mapOrList(v.labels)),
        ...external(v.external, where, ctx),
    };
}

function convertFileSource(s: unknown, where: string, ctx: ConvertContext): FileSourceInput {
    const src = isMap(s) ? s : {};
    warnUnsupported(src, ["name", "file", "environment", "content", "external", "labels"], where, ctx);
    return {
        ...opt("name", src.name as string | undefined),
        ...opt("file", src.file as string | undefined),
        ...opt("environment", src.environment as string | undefined),
        ...opt("content", src.content as string | undefined),
        ...opt("labels", mapOrList(src.labels)),
        ...external(src.external, where, ctx),
    };
}

function convertAll<T>(value: unknown, where: string, fn: (v: unknown, p: string) => T): Record<string, T> | undefined {
    if (!isMap(value)) return undefined;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, fn(v, joinPath(where, k))]));
}

/** Converts a whole merged Compose tree (services already filtered by profile). */
export function toAppInput(tree: Tree, ctx: ConvertContext): AppInput {
    warnUnsupported(tree, ["version", "name", "services", "networks", "volumes", "secrets", "configs"], "", ctx);
    return {
        name: ctx.name,
        services: convertAll(tree.services, "services", (s, p) => convertService(isMap(s) ? s : {}, p, ctx)) ?? {},
        ...opt("networks", convertAll(tree.networks, "networks", (n, p) => convertNetwork(n, p, ctx))),
        ...opt("volumes", convertAll(tree.volumes, "volumes", (v, p) => convertVolume(v, p, ctx))),
        ...opt("secrets", convertAll(tree.secrets, "secrets", (s, p) => convertFileSource(s, p, ctx))),
        ...opt("configs", convertAll(tree.configs, "configs", (c, p) => convertFileSource(c, p, ctx))),
    };
}

