/**
 * The one normalizer: `AppInput` (TypeScript, or a Compose file after loading) in, a validated
 * `AppSpec` out. Every short form is expanded here, every default is applied here, every
 * cross-reference is checked here; targets trust the result.
 */
import * as path from "path";
import { SpecError, joinPath } from "./errors";
import {
    AppInput, DeployInput, FileReferenceInput, FileSourceInput, HealthcheckInput, MapOrList, NetworkInput,
    ServiceInput, SourceContext, UpdateConfigInput, VolumeInput,
} from "./input";
import { resolveBuildContext } from "./build-context";
import { parseDevice } from "./devices";
import { parseMode, parseMount, parseTmpfs, resolveHostPath } from "./mounts";
import { parsePlatform } from "./platform";
import { parseExpose, parsePort } from "./ports";
import { splitShellWords } from "./shellwords";
import {
    AppSpec, DependencyCondition, DependencySpec, DeploySpec, ExtraHostSpec, FileReferenceSpec, FileSourceSpec,
    HealthcheckSpec, MountSpec, NetworkSpec, PortSpec, PullPolicy, ResourcesSpec, RestartSpec, ServiceNetworkSpec, ServiceSpec,
    SwarmRestartPolicySpec, UlimitSpec, UpdateConfigSpec, VolumeSpec,
} from "./types";
import { parseBytes, parseCpus, parseDurationMs } from "./units";
import { getOwn, hasOwn, setOwn } from "./records";

/** The network services join when they name none (Compose's `default`). */
export const DEFAULT_NETWORK = "default";

const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const SERVICE_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9._-]*$/;
/** Docker's rule for container names (Compose checks `container_name` against the same pattern). */
const CONTAINER_NAME_RE = /^[a-zA-Z0-9][a-zA-Z0-9_.-]+$/;
const MAC_RE = /^[0-9a-fA-F]{2}([:-])[0-9a-fA-F]{2}(\1[0-9a-fA-F]{2}){4}$/;
/** Namespace modes Docker accepts besides `service:`/`container:` references. */
const PID_MODES = ["host"] as const;
const IPC_MODES = ["host", "private", "shareable", "none"] as const;

/**
 * Normalizes and validates an application description.
 * @throws SpecError naming the path (and file, when `ctx.file` is set) of the first bad value.
 */
export function defineApp(input: AppInput, ctx: SourceContext = {}): AppSpec {
    try {
        return normalizeApp(input, { projectDir: ctx.projectDir ?? process.cwd(), homeDir: ctx.homeDir });
    } catch (e) {
        if (e instanceof SpecError && ctx.file) throw e.inFile(ctx.file);
        throw e;
    }
}

interface Ctx {
    readonly projectDir: string;
    readonly homeDir?: string;
}

function normalizeApp(input: AppInput, ctx: Ctx): AppSpec {
    if (typeof input !== "object" || input === null) throw new SpecError("an application must be an object", "", input);
    if (typeof input.name !== "string" || !NAME_RE.test(input.name)) {
        throw new SpecError("an application name must consist of lower-case letters, digits, '-' and '_', starting with a letter or digit", "name", input.name);
    }
    if (typeof input.services !== "object" || input.services === null || Object.keys(input.services).length === 0) {
        throw new SpecError("an application needs at least one service", "services", input.services);
    }
    const networks = mapValues(input.networks ?? {}, "networks", (n, key, p) => normalizeNetwork(key, n ?? {}, p));
    const volumes = mapValues(input.volumes ?? {}, "volumes", (v, key, p) => normalizeVolume(key, v ?? {}, p, ctx));
    const secrets = mapValues(input.secrets ?? {}, "secrets", (s, key, p) => normalizeFileSource(key, s, p, ctx));
    const configs = mapValues(input.configs ?? {}, "configs", (c, key, p) => normalizeFileSource(key, c, p, ctx));
    const services = mapValues(input.services, "services", (s, key, p) => normalizeService(key, s, p, input.name, ctx));

    // Compose creates the default network only when some service uses it.
    const usesDefault = Object.values(services).some((s) => s.networks.some((n) => n.network === DEFAULT_NETWORK));
    if (usesDefault && !hasOwn(networks, DEFAULT_NETWORK)) networks[DEFAULT_NETWORK] = normalizeNetwork(DEFAULT_NETWORK, {}, "networks.default");

    const extensions = extensionsOf(input);
    const app: AppSpec = { name: input.name, services, networks, volumes, secrets, configs, ...(Object.keys(extensions).length > 0 ? { extensions } : {}) };
    checkReferences(app);
    return app;
}

function mapValues<T, U>(record: Record<string, T>, where: string, fn: (value: T, key: string, path: string) => U): Record<string, U> {
    if (typeof record !== "object" || record === null || Array.isArray(record)) throw new SpecError("must be a map of names to definitions", where, record);
    const out: Record<string, U> = {};
    for (const [key, value] of Object.entries(record)) setOwn(out, key, fn(value, key, joinPath(where, key)));
    return out;
}

// ---------------------------------------------------------------------------------------------
// Small value helpers

function toMap(value: MapOrList | undefined, where: string): Record<string, string> {
    if (value === undefined || value === null) return {};
    const out: Record<string, string> = {};
    if (Array.isArray(value)) {
        value.forEach((entry, i) => {
            if (typeof entry !== "string") throw new SpecError('a list entry must be a "KEY=VALUE" string', joinPath(where, i), entry);
            const eq = entry.indexOf("=");
            setOwn(out, eq < 0 ? entry : entry.slice(0, eq), eq < 0 ? "" : entry.slice(eq + 1));
        });
        return out;
    }
    if (typeof value !== "object") throw new SpecError("must be a map or a list of KEY=VALUE strings", where, value);
    for (const [k, v] of Object.entries(value)) {
        if (v !== null && typeof v === "object") throw new SpecError("a value must be a string, number or boolean", joinPath(where, k), v);
        setOwn(out, k, v === null || v === undefined ? "" : String(v));
    }
    return out;
}

function toStringList(value: string | string[] | undefined, where: string): string[] {
    if (value === undefined || value === null) return [];
    const list = Array.isArray(value) ? value : [value];
    list.forEach((v, i) => {
        if (typeof v !== "string") throw new SpecError("must be a string", joinPath(where, i), v);
    });
    return [...list];
}

function toArgv(value: string | string[] | null | undefined, where: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string") return splitShellWords(value, where);
    if (!Array.isArray(value)) throw new SpecError("must be a string or a list of strings", where, value);
    return value.map((v, i) => {
        if (typeof v !== "string" && typeof v !== "number") throw new SpecError("must be a string", joinPath(where, i), v);
        return String(v);
    });
}

function nonNegativeInt(value: unknown, where: string, what: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 0) {
        throw new SpecError(`${what} must be a whole number, 0 or more`, where, value);
    }
    if (!Number.isSafeInteger(value)) throw new SpecError(`${what} must be at most ${Number.MAX_SAFE_INTEGER}`, where, value);
    return value;
}

/** Most replicas a service may ask for: each is a container on a Docker host, a task or a pod. */
export const MAX_REPLICAS = 1000;

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string, what: string): T {
    if (typeof value !== "string" || !(allowed as readonly string[]).includes(value)) {
        throw new SpecError(`unknown ${what}: use ${allowed.map((a) => `"${a}"`).join(", ")}`, where, value);
    }
    return value as T;
}

/** `build.platforms`, normalized; the service's `platform` must be one of them (compose-go's check). */
function buildPlatforms(value: unknown, platform: unknown, where: string): string[] | undefined {
    if (value === undefined || value === null) return undefined;
    if (!Array.isArray(value)) throw new SpecError("build platforms must be a list such as [\"linux/amd64\", \"linux/arm64\"]", where, value);
    const platforms = [...new Set(value.map((p, i) => parsePlatform(p, `${where}[${i}]`)))];
    if (platform !== undefined && platform !== null && platforms.length > 0) {
        const own = parsePlatform(platform, where.replace(/\.build\.platforms$/, ".platform"));
        if (!platforms.includes(own)) throw new SpecError(`the service's platform ${own} must be one of the build platforms`, where, value);
    }
    return platforms;
}

function optional<T>(value: unknown, fn: () => T): T | undefined {
    return value === undefined || value === null ? undefined : fn();
}

// ---------------------------------------------------------------------------------------------
// Services

/**
 * Compose `pull_policy`, as compose-go reads it: `if_not_present` is `missing`. The time-based
 * policies (`refresh`, `daily`, `weekly`, `every_<duration>`) decide by the age of the local pull,
 * which Pulumi state does not keep; `always` refreshes an image whenever its tag moves instead.
 */
export function parsePullPolicy(value: unknown, where: string, hasBuild: boolean): PullPolicy | undefined {
    if (value === undefined || value === null) return undefined;
    if (typeof value === "string" && /^(refresh|daily|weekly|every_([0-9]+[wdhms])+)$/.test(value)) {
        throw new SpecError(
            "time-based pull policies are not supported (Pulumi state does not keep when an image was pulled): use \"always\", which pulls again whenever the registry's digest of the tag moves",
            where, value,
        );
    }
    const policy = value === "if_not_present" ? "missing" : oneOf(value, ["always", "missing", "never", "build"] as const, where, "pull policy (or \"if_not_present\")");
    if (policy === "build" && !hasBuild) throw new SpecError("pull_policy build needs a build section to build the image from", where, value);
    return policy;
}

export function parseRestart(value: unknown, where: string): RestartSpec {
    if (value === undefined || value === null) return { policy: "no", implicit: true };
    if (typeof value === "string") {
        if (value === "no" || value === "always" || value === "unless-stopped" || value === "on-failure") return { policy: value };
        const m = /^on-failure:(\d+)$/.exec(value);
        if (m) return { policy: "on-failure", maxRetries: Number(m[1]) };
    }
    throw new SpecError('unknown restart policy: use "no", "always", "unless-stopped", "on-failure" or "on-failure:N"', where, value);
}

function normalizeHealthcheck(h: HealthcheckInput | undefined, where: string): HealthcheckSpec | undefined {
    if (h === undefined || h === null) return undefined;
    if (typeof h !== "object") throw new SpecError("a healthcheck must be an object", where, h);
    let test: string[] | undefined;
    if (typeof h.test === "string") test = ["CMD-SHELL", h.test];
    else if (Array.isArray(h.test)) {
        test = toArgv(h.test, `${where}.test`);
        const kind = test?.[0];
        if (kind !== "CMD" && kind !== "CMD-SHELL" && kind !== "NONE") {
            throw new SpecError('a healthcheck test list must start with "CMD", "CMD-SHELL" or "NONE"', `${where}.test`, h.test);
        }
        if (kind === "CMD-SHELL" && test!.length !== 2) test = ["CMD-SHELL", test!.slice(1).join(" ")];
    } else if (h.test !== undefined) throw new SpecError("a healthcheck test must be a string or a list", `${where}.test`, h.test);
    if (h.disable === true || test?.[0] === "NONE") return { disable: true };
    return {
        disable: false,
        ...(test ? { test } : {}),
        ...(h.interval !== undefined ? { intervalMs: parseDurationMs(h.interval, `${where}.interval`) } : {}),
        ...(h.timeout !== undefined ? { timeoutMs: parseDurationMs(h.timeout, `${where}.timeout`) } : {}),
        ...(h.retries !== undefined ? { retries: nonNegativeInt(h.retries, `${where}.retries`, "retries") } : {}),
        ...(h.startPeriod !== undefined ? { startPeriodMs: parseDurationMs(h.startPeriod, `${where}.startPeriod`) } : {}),
        ...(h.startInterval !== undefined ? { startIntervalMs: parseDurationMs(h.startInterval, `${where}.startInterval`) } : {}),
    };
}

function normalizeUpdateConfig(u: UpdateConfigInput | undefined, where: string): UpdateConfigSpec | undefined {
    if (u === undefined || u === null) return undefined;
    const ratio = u.maxFailureRatio === undefined ? undefined : Number(u.maxFailureRatio);
    if (ratio !== undefined && (!Number.isFinite(ratio) || ratio < 0 || ratio > 1)) {
        throw new SpecError("max_failure_ratio must be a number between 0 and 1", `${where}.maxFailureRatio`, u.maxFailureRatio);
    }
    return {
        ...(u.parallelism !== undefined ? { parallelism: nonNegativeInt(u.parallelism, `${where}.parallelism`, "parallelism") } : {}),
        ...(u.delay !== undefined ? { delayMs: parseDurationMs(u.delay, `${where}.delay`) } : {}),
        ...(u.failureAction !== undefined ? { failureAction: oneOf(u.failureAction, ["continue", "pause", "rollback"] as const, `${where}.failureAction`, "failure action") } : {}),
        ...(u.monitor !== undefined ? { monitorMs: parseDurationMs(u.monitor, `${where}.monitor`) } : {}),
        ...(ratio !== undefined ? { maxFailureRatio: ratio } : {}),
        ...(u.order !== undefined ? { order: oneOf(u.order, ["stop-first", "start-first"] as const, `${where}.order`, "update order") } : {}),
    };
}

function normalizeDeploy(d: DeployInput, where: string): DeploySpec {
    const rp = d.restartPolicy;
    const restartPolicy: SwarmRestartPolicySpec | undefined = rp
        ? {
              condition: oneOf(rp.condition ?? "any", ["none", "on-failure", "any"] as const, `${where}.restartPolicy.condition`, "restart condition"),
              ...(rp.delay !== undefined ? { delayMs: parseDurationMs(rp.delay, `${where}.restartPolicy.delay`) } : {}),
              ...(rp.maxAttempts !== undefined ? { maxAttempts: nonNegativeInt(rp.maxAttempts, `${where}.restartPolicy.maxAttempts`, "max_attempts") } : {}),
              ...(rp.window !== undefined ? { windowMs: parseDurationMs(rp.window, `${where}.restartPolicy.window`) } : {}),
          }
        : undefined;
    const placement = d.placement ?? {};
    const updateConfig = normalizeUpdateConfig(d.updateConfig, `${where}.updateConfig`);
    const rollbackConfig = normalizeUpdateConfig(d.rollbackConfig, `${where}.rollbackConfig`);
    return {
        ...(d.endpointMode !== undefined ? { endpointMode: oneOf(d.endpointMode, ["vip", "dnsrr"] as const, `${where}.endpointMode`, "endpoint mode") } : {}),
        placement: {
            constraints: toStringList(placement.constraints, `${where}.placement.constraints`),
            preferences: (placement.preferences ?? []).map((p, i) => {
                if (!p || typeof p.spread !== "string") throw new SpecError("a placement preference must be { spread: <label> }", `${where}.placement.preferences[${i}]`, p);
                return { spread: p.spread };
            }),
            ...(placement.maxReplicasPerNode !== undefined
                ? { maxReplicasPerNode: nonNegativeInt(placement.maxReplicasPerNode, `${where}.placement.maxReplicasPerNode`, "max_replicas_per_node") }
                : {}),
        },
        ...(restartPolicy ? { restartPolicy } : {}),
        ...(updateConfig ? { updateConfig } : {}),
        ...(rollbackConfig ? { rollbackConfig } : {}),
        labels: toMap(d.labels, `${where}.labels`),
    };
}

function normalizeResources(s: ServiceInput, where: string): ResourcesSpec {
    const limits = s.deploy?.resources?.limits ?? {};
    const reservations = s.deploy?.resources?.reservations ?? {};
    const lw = `${where}.deploy.resources.limits`;
    const rw = `${where}.deploy.resources.reservations`;
    // compose-go (loader/validate.go): a service-level key and its deploy.resources twin that disagree are an error.
    const twins: [unknown, string, string, unknown, string, string, (v: unknown, p: string) => number][] = [
        [s.cpus, `${where}.cpus`, "cpus", limits.cpus, `${lw}.cpus`, "deploy.resources.limits.cpus", (v, p) => parseCpus(v, p)],
        [s.memLimit, `${where}.memLimit`, "mem_limit", limits.memory, `${lw}.memory`, "deploy.resources.limits.memory", (v, p) => parseBytes(v, p)],
        [s.memReservation, `${where}.memReservation`, "mem_reservation", reservations.memory, `${rw}.memory`, "deploy.resources.reservations.memory", (v, p) => parseBytes(v, p)],
        [s.pidsLimit, `${where}.pidsLimit`, "pids_limit", limits.pids, `${lw}.pids`, "deploy.resources.limits.pids", (v) => Number(v)],
    ];
    for (const [own, ownPath, ownName, twin, twinPath, twinName, parse] of twins) {
        if (own === undefined || own === null || twin === undefined || twin === null) continue;
        if (parse(own, ownPath) !== parse(twin, twinPath)) {
            throw new SpecError(`can't set distinct values on '${ownName}' (${own}) and '${twinName}' (${twin}): set one of them`, twinPath, twin);
        }
    }
    // Service-level keys (cpus, mem_limit…) and deploy.resources say the same thing; deploy wins.
    const cpus = optional(limits.cpus ?? s.cpus, () => parseCpus(limits.cpus ?? s.cpus, limits.cpus !== undefined ? `${lw}.cpus` : `${where}.cpus`));
    const memoryBytes = optional(limits.memory ?? s.memLimit, () =>
        parseBytes(limits.memory ?? s.memLimit, limits.memory !== undefined ? `${lw}.memory` : `${where}.memLimit`));
    const pids = optional(limits.pids ?? s.pidsLimit, () =>
        nonNegativeInt(limits.pids ?? s.pidsLimit, limits.pids !== undefined ? `${lw}.pids` : `${where}.pidsLimit`, "a pids limit"));
    const rCpus = optional(reservations.cpus, () => parseCpus(reservations.cpus, `${rw}.cpus`));
    const rMemory = optional(reservations.memory ?? s.memReservation, () =>
        parseBytes(reservations.memory ?? s.memReservation, reservations.memory !== undefined ? `${rw}.memory` : `${where}.memReservation`));
    if (memoryBytes !== undefined && rMemory !== undefined && rMemory > memoryBytes) {
        throw new SpecError(`the memory reservation (${rMemory} bytes) is larger than the memory limit (${memoryBytes} bytes)`, `${rw}.memory`, reservations.memory ?? s.memReservation);
    }
    if (cpus !== undefined && rCpus !== undefined && rCpus > cpus) {
        throw new SpecError(`the CPU reservation (${rCpus}) is larger than the CPU limit (${cpus})`, `${rw}.cpus`, reservations.cpus);
    }
    let memorySwapBytes: number | undefined;
    if (s.memswapLimit !== undefined && s.memswapLimit !== null) {
        memorySwapBytes = s.memswapLimit === -1 || s.memswapLimit === "-1" ? -1 : parseBytes(s.memswapLimit, `${where}.memswapLimit`);
        if (memorySwapBytes !== -1 && memoryBytes !== undefined && memorySwapBytes < memoryBytes) {
            throw new SpecError("memswap_limit is memory plus swap and cannot be less than the memory limit", `${where}.memswapLimit`, s.memswapLimit);
        }
    }
    return {
        limits: { ...(cpus !== undefined ? { cpus } : {}), ...(memoryBytes !== undefined ? { memoryBytes } : {}), ...(pids !== undefined ? { pids } : {}) },
        reservations: { ...(rCpus !== undefined ? { cpus: rCpus } : {}), ...(rMemory !== undefined ? { memoryBytes: rMemory } : {}) },
        ...(s.cpuShares !== undefined ? { cpuShares: nonNegativeInt(s.cpuShares, `${where}.cpuShares`, "cpu_shares") } : {}),
        ...(s.cpuset !== undefined ? { cpuset: checkCpuset(s.cpuset, `${where}.cpuset`) } : {}),
        ...(memorySwapBytes !== undefined ? { memorySwapBytes } : {}),
        ...(s.shmSize !== undefined ? { shmSizeBytes: parseBytes(s.shmSize, `${where}.shmSize`) } : {}),
    };
}

function checkCpuset(value: unknown, where: string): string {
    if (typeof value !== "string" || !/^\d+(-\d+)?(,\d+(-\d+)?)*$/.test(value)) {
        throw new SpecError('cpuset must list CPUs such as "0-2" or "0,3"', where, value);
    }
    return value;
}

function normalizeNetworks(s: ServiceInput, where: string): ServiceNetworkSpec[] {
    if (s.networkMode !== undefined) {
        if (s.networks !== undefined) throw new SpecError("network_mode and networks cannot be used together", `${where}.networkMode`, s.networkMode);
        return [];
    }
    if (s.networks === undefined || s.networks === null) return [{ network: DEFAULT_NETWORK, aliases: [] }];
    if (Array.isArray(s.networks)) {
        return s.networks.map((n, i) => {
            if (typeof n !== "string") throw new SpecError("a network must be named by a string", joinPath(`${where}.networks`, i), n);
            return { network: n, aliases: [] };
        });
    }
    if (typeof s.networks !== "object") throw new SpecError("networks must be a list or a map", `${where}.networks`, s.networks);
    return Object.entries(s.networks).map(([network, attach]) => ({
        network,
        aliases: toStringList(attach?.aliases, `${where}.networks.${network}.aliases`),
        ...(attach?.ipv4Address ? { ipv4Address: attach.ipv4Address } : {}),
        ...(attach?.ipv6Address ? { ipv6Address: attach.ipv6Address } : {}),
        ...(attach?.macAddress !== undefined ? { macAddress: checkMac(attach.macAddress, `${where}.networks.${network}.macAddress`) } : {}),
        ...nonEmpty("driverOpts", toMap(attach?.driverOpts as MapOrList | undefined, joinPath(`${where}.networks`, network) + ".driverOpts")),
    }));
}

/** `{ key: map }` when the map has entries, else nothing: optional maps of the model are absent rather than empty. */
function nonEmpty<K extends string>(key: K, map: Record<string, string>): { [P in K]?: Record<string, string> } {
    return (Object.keys(map).length > 0 ? { [key]: map } : {}) as { [P in K]?: Record<string, string> };
}

function checkMac(value: unknown, where: string): string {
    if (typeof value !== "string" || !MAC_RE.test(value)) throw new SpecError('a MAC address must be six hex pairs such as "02:42:ac:11:00:02"', where, value);
    return value;
}

/**
 * A namespace setting (`pid`, `ipc`): one of `modes`, `service:<name>` or `container:<name|id>`.
 * Whether the service exists is checked with the other cross-references.
 */
function namespaceMode(value: unknown, modes: readonly string[], where: string, what: string): string {
    if (typeof value === "string" && (modes.includes(value) || /^(service|container):[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(value))) return value;
    throw new SpecError(`unknown ${what} mode: use ${modes.map((m) => `"${m}"`).join(", ")}, "service:<name>" or "container:<name>"`, where, value);
}

/** A non-empty string without spaces (runtime names, cgroup paths). */
function word(value: unknown, where: string, what: string): string {
    if (typeof value !== "string" || value === "" || /\s/.test(value)) throw new SpecError(`${what} must be a non-empty string without spaces`, where, value);
    return value;
}

/**
 * `depends_on` plus the services whose namespaces this one joins (`network_mode`, `ipc`, `pid` of
 * `service:<name>`): compose-go adds those as dependencies (started, restart, required), so the
 * service they name is created first.
 */
function withNamespaceDependencies(dependsOn: DependencySpec[], namespaces: (string | undefined)[]): DependencySpec[] {
    const out = [...dependsOn];
    for (const ns of namespaces) {
        if (!ns?.startsWith("service:")) continue;
        const service = ns.slice("service:".length);
        if (!out.some((d) => d.service === service)) out.push({ service, condition: "started", required: true, restart: true });
    }
    return out;
}

function normalizeDependsOn(s: ServiceInput, where: string): DependencySpec[] {
    const d = s.dependsOn;
    if (d === undefined || d === null) return [];
    if (Array.isArray(d)) return d.map((service) => ({ service, condition: "started", required: true, restart: false }));
    const conditions: Record<string, DependencyCondition> = {
        service_started: "started",
        service_healthy: "healthy",
        service_completed_successfully: "completed",
    };
    return Object.entries(d).map(([service, v]) => {
        const cond = v?.condition ?? "service_started";
        if (typeof cond !== "string" || !hasOwn(conditions, cond)) {
            throw new SpecError("unknown depends_on condition: use service_started, service_healthy or service_completed_successfully", `${where}.dependsOn.${service}.condition`, cond);
        }
        return { service, condition: conditions[cond], required: v?.required ?? true, restart: v?.restart ?? false };
    });
}

function normalizeFileRefs(list: (string | FileReferenceInput)[] | undefined, where: string, defaultDir: string): FileReferenceSpec[] {
    return (list ?? []).map((ref, i) => {
        const p = joinPath(where, i);
        if (typeof ref === "string") return { source: ref, target: path.posix.join(defaultDir, ref) };
        if (typeof ref !== "object" || ref === null || typeof ref.source !== "string") throw new SpecError("must be a name or { source, target, uid, gid, mode }", p, ref);
        const target = ref.target === undefined ? path.posix.join(defaultDir, ref.source) : ref.target.startsWith("/") ? ref.target : path.posix.join(defaultDir, ref.target);
        return {
            source: ref.source,
            target,
            ...(ref.uid !== undefined ? { uid: String(ref.uid) } : {}),
            ...(ref.gid !== undefined ? { gid: String(ref.gid) } : {}),
            ...(ref.mode !== undefined ? { mode: parseMode(ref.mode, `${p}.mode`) } : {}),
        };
    });
}

function normalizeExtraHosts(value: ServiceInput["extraHosts"], where: string): ExtraHostSpec[] {
    if (value === undefined || value === null) return [];
    if (Array.isArray(value)) {
        return value.map((entry, i) => {
            // "host:ip" or "host=ip"; the ip may be IPv6 and contain ':'.
            const m = typeof entry === "string" ? /^([^:=]+)[:=](.+)$/.exec(entry) : null;
            if (!m) throw new SpecError('an extra host must be "hostname:ip"', joinPath(`${where}.extraHosts`, i), entry);
            return splitAddresses(m[2]).map((ip) => ({ host: m[1], ip }));
        }).flat();
    }
    // compose-go: several addresses of one host are separated by commas (`myhost=10.0.0.1,10.0.0.2`).
    return Object.entries(value).flatMap(([host, ips]) => (Array.isArray(ips) ? ips : [ips]).flatMap((ip) => splitAddresses(String(ip)).map((one) => ({ host, ip: one }))));
}

/** The addresses of one `extra_hosts` value: several separated by commas, IPv6 ones possibly in brackets. */
function splitAddresses(ips: string): string[] {
    return ips.split(",").map((ip) => ip.trim().replace(/^\[(.*)\]$/, "$1"));
}

function normalizeUlimits(value: ServiceInput["ulimits"], where: string): Record<string, UlimitSpec> {
    const out: Record<string, UlimitSpec> = {};
    for (const [name, v] of Object.entries(value ?? {})) {
        const p = `${where}.ulimits.${name}`;
        const num = (x: unknown, q: string) => {
            const n = typeof x === "string" ? Number(x) : x;
            if (typeof n !== "number" || !Number.isSafeInteger(n) || n < -1) throw new SpecError("a ulimit must be a whole number (-1 for unlimited)", q, x);
            return n;
        };
        if (typeof v === "object" && v !== null) {
            const soft = num(v.soft, `${p}.soft`);
            const hard = num(v.hard, `${p}.hard`);
            if (hard !== -1 && (soft === -1 || soft > hard)) throw new SpecError(`the soft limit (${soft}) is above the hard limit (${hard})`, p, v);
            setOwn(out, name, { soft, hard });
        } else {
            const n = num(v, p);
            setOwn(out, name, { soft: n, hard: n });
        }
    }
    return out;
}

function extensionsOf(s: object): Record<string, unknown> {
    return Object.fromEntries(Object.entries(s).filter(([k]) => k.startsWith("x-")));
}

function normalizeService(name: string, s: ServiceInput, where: string, appName: string, ctx: Ctx): ServiceSpec {
    if (!SERVICE_NAME_RE.test(name)) throw new SpecError("a service name must consist of letters, digits, '.', '_' and '-'", where, name);
    if (typeof s !== "object" || s === null) throw new SpecError("a service must be an object", where, s);
    const build = s.build === undefined ? undefined : typeof s.build === "string" ? { context: s.build } : s.build;
    if (!s.image && !build) throw new SpecError("a service needs an image or a build section", where, undefined);
    if (s.image !== undefined && (typeof s.image !== "string" || s.image.trim() === "" || /\s/.test(s.image))) {
        throw new SpecError("an image must be a reference such as \"nginx:1.27\"", `${where}.image`, s.image);
    }

    const deploy = s.deploy ?? {};
    const mode = oneOf(deploy.mode ?? "replicated", ["replicated", "global"] as const, `${where}.deploy.mode`, "deploy mode");
    // compose-go (loader/validate.go): `scale` and `deploy.replicas` say the same thing; two different numbers are an error.
    if (deploy.replicas !== undefined && deploy.replicas !== null && s.replicas !== undefined && s.replicas !== null && Number(deploy.replicas) !== Number(s.replicas)) {
        throw new SpecError(`can't set distinct values on 'scale' (${s.replicas}) and 'deploy.replicas' (${deploy.replicas}): set one of them`, `${where}.deploy.replicas`, deploy.replicas);
    }
    const replicasRaw = deploy.replicas ?? s.replicas;
    const replicasPath = deploy.replicas !== undefined ? `${where}.deploy.replicas` : `${where}.replicas`;
    if (replicasRaw !== undefined && mode === "global") {
        throw new SpecError("replicas cannot be set for a global service (it runs one task per node)", replicasPath, replicasRaw);
    }
    const replicas = replicasRaw === undefined ? 1 : nonNegativeInt(replicasRaw, replicasPath, "replicas");
    if (replicas > MAX_REPLICAS) throw new SpecError(`replicas must be at most ${MAX_REPLICAS}`, replicasPath, replicasRaw);
    if (s.containerName !== undefined) {
        if (typeof s.containerName !== "string" || !CONTAINER_NAME_RE.test(s.containerName)) {
            throw new SpecError("a container name must be two or more letters, digits, '_', '.' and '-', starting with a letter or digit", `${where}.containerName`, s.containerName);
        }
        if (replicas > 1) {
            throw new SpecError(`container_name "${s.containerName}" names a single container, so the service cannot run ${replicas} replicas (Compose refuses it too): remove container_name or run one replica`,
                replicasPath, replicasRaw);
        }
    }
    const pid = optional(s.pid, () => namespaceMode(s.pid, PID_MODES, `${where}.pid`, "pid"));
    const ipc = optional(s.ipc, () => namespaceMode(s.ipc, IPC_MODES, `${where}.ipc`, "ipc"));
    const macAddress = optional(s.macAddress, () => checkMac(s.macAddress, `${where}.macAddress`));
    if (macAddress !== undefined && s.networkMode !== undefined && /^(host$|none$|service:|container:)/.test(s.networkMode)) {
        // Docker refuses it: the container has no interface of its own to give the address to.
        throw new SpecError(`mac_address cannot be set with network_mode "${s.networkMode}": the container has no network interface of its own`, `${where}.macAddress`, macAddress);
    }
    if (!Array.isArray(s.devices ?? [])) throw new SpecError("devices must be a list", `${where}.devices`, s.devices);

    const mounts: MountSpec[] = [
        ...(s.volumes ?? []).map((v, i) => parseMount(v, joinPath(`${where}.volumes`, i), ctx)),
        ...toStringList(s.tmpfs, `${where}.tmpfs`).map((t, i) => parseTmpfs(t, joinPath(`${where}.tmpfs`, i))),
    ];
    const seenTargets = new Map<string, number>();
    mounts.forEach((m, i) => {
        if (seenTargets.has(m.target)) throw new SpecError(`two mounts share the container path ${m.target}`, `${where}.volumes`, m.target);
        seenTargets.set(m.target, i);
    });

    const ports: PortSpec[] = (s.ports ?? []).flatMap((p, i) => parsePort(p, joinPath(`${where}.ports`, i)));
    const securityOpt = toStringList(s.securityOpt, `${where}.securityOpt`);
    const nnp = securityOpt.filter((o) => /^no-new-privileges(?:[:=](true|false))?$/.test(o));
    const noNewPrivileges = nnp.length > 0 && !/false$/.test(nnp[nnp.length - 1]);

    const logging = s.logging
        ? { ...(s.logging.driver ? { driver: s.logging.driver } : {}), options: toMap(s.logging.options as MapOrList | undefined, `${where}.logging.options`) }
        : undefined;
    const healthcheck = normalizeHealthcheck(s.healthcheck, `${where}.healthcheck`);
    const buildSpec = build
        ? {
              context: resolveBuildContext(build.context ?? ".", ctx.projectDir),
              ...(build.dockerfile ? { dockerfile: build.dockerfile } : {}),
              args: toMap(build.args, `${where}.build.args`),
              ...(build.target ? { target: build.target } : {}),
              labels: toMap(build.labels, `${where}.build.labels`),
              ...optionalField("platforms", buildPlatforms(build.platforms, s.platform, `${where}.build.platforms`)),
          }
        : undefined;
    const pullPolicy = parsePullPolicy(s.pullPolicy, `${where}.pullPolicy`, build !== undefined);

    return {
        name,
        image: s.image ?? `${appName}-${name}`,
        ...(buildSpec ? { build: buildSpec } : {}),
        ...optionalField("pullPolicy", pullPolicy),
        ...optionalField("entrypoint", toArgv(s.entrypoint, `${where}.entrypoint`)),
        ...optionalField("command", toArgv(s.command, `${where}.command`)),
        environment: toMap(s.environment, `${where}.environment`),
        ports,
        expose: (s.expose ?? []).flatMap((e, i) => parseExpose(e, joinPath(`${where}.expose`, i))),
        mounts,
        networks: normalizeNetworks(s, where),
        ...optionalField("networkMode", s.networkMode),
        dependsOn: withNamespaceDependencies(normalizeDependsOn(s, where), [s.networkMode, ipc, pid]),
        ...optionalField("healthcheck", healthcheck),
        restart: parseRestart(s.restart, `${where}.restart`),
        mode,
        replicas,
        resources: normalizeResources(s, where),
        deploy: normalizeDeploy(deploy, `${where}.deploy`),
        ...optionalField("user", s.user === undefined ? undefined : String(s.user)),
        groupAdd: (s.groupAdd ?? []).map(String),
        ...optionalField("workingDir", s.workingDir),
        ...optionalField("hostname", s.hostname),
        ...optionalField("domainname", s.domainname),
        dns: toStringList(s.dns, `${where}.dns`),
        dnsSearch: toStringList(s.dnsSearch, `${where}.dnsSearch`),
        dnsOptions: toStringList(s.dnsOpt, `${where}.dnsOpt`),
        extraHosts: normalizeExtraHosts(s.extraHosts, where),
        labels: toMap(s.labels, `${where}.labels`),
        ...optionalField("logging", logging),
        readOnly: s.readOnly ?? false,
        capAdd: toStringList(s.capAdd, `${where}.capAdd`),
        capDrop: toStringList(s.capDrop, `${where}.capDrop`),
        securityOpt: securityOpt.filter((o) => !nnp.includes(o)),
        noNewPrivileges,
        privileged: s.privileged ?? false,
        init: s.init ?? false,
        ...optionalField("stopSignal", s.stopSignal),
        ...optionalField("stopGracePeriodMs", optional(s.stopGracePeriod, () => parseDurationMs(s.stopGracePeriod, `${where}.stopGracePeriod`))),
        ulimits: normalizeUlimits(s.ulimits, where),
        sysctls: toMap(s.sysctls, `${where}.sysctls`),
        tty: s.tty ?? false,
        stdinOpen: s.stdinOpen ?? false,
        secrets: normalizeFileRefs(s.secrets, `${where}.secrets`, "/run/secrets"),
        configs: normalizeFileRefs(s.configs, `${where}.configs`, "/"),
        ...optionalField("containerName", s.containerName),
        devices: (s.devices ?? []).map((d, i) => parseDevice(d, joinPath(`${where}.devices`, i))),
        ...optionalField("platform", optional(s.platform, () => parsePlatform(s.platform, `${where}.platform`))),
        ...optionalField("pid", pid),
        ...optionalField("ipc", ipc),
        ...optionalField("runtime", optional(s.runtime, () => word(s.runtime, `${where}.runtime`, "a runtime"))),
        ...optionalField("macAddress", macAddress),
        ...optionalField("cgroupParent", optional(s.cgroupParent, () => word(s.cgroupParent, `${where}.cgroupParent`, "cgroup_parent"))),
        extensions: extensionsOf(s),
    };
}

function optionalField<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}

// ---------------------------------------------------------------------------------------------
// Top-level resources

function normalizeNetwork(key: string, n: NetworkInput, where: string): NetworkSpec {
    if (typeof n !== "object") throw new SpecError("a network must be an object", where, n);
    return {
        key,
        ...optionalField("name", n.name),
        ...optionalField("driver", n.driver),
        driverOpts: toMap(n.driverOpts as MapOrList | undefined, `${where}.driverOpts`),
        internal: n.internal ?? false,
        attachable: n.attachable ?? false,
        enableIpv6: n.enableIpv6 ?? false,
        ipam: {
            ...optionalField("driver", n.ipam?.driver),
            ...nonEmpty("options", toMap(n.ipam?.options as MapOrList | undefined, `${where}.ipam.options`)),
            config: (n.ipam?.config ?? []).map((c, i) => {
                const p = `${where}.ipam.config[${i}]`;
                if (c.subnet !== undefined && !isCidr(c.subnet)) throw new SpecError("a subnet must be in CIDR form such as 172.28.0.0/16", `${p}.subnet`, c.subnet);
                if (c.ipRange !== undefined && !isCidr(c.ipRange)) throw new SpecError("an ip_range must be in CIDR form", `${p}.ipRange`, c.ipRange);
                return { ...optionalField("subnet", c.subnet), ...optionalField("gateway", c.gateway), ...optionalField("ipRange", c.ipRange), auxAddresses: { ...(c.auxAddresses ?? {}) } };
            }),
        },
        labels: toMap(n.labels, `${where}.labels`),
        external: n.external ?? false,
    };
}

function isCidr(value: string): boolean {
    return /^(\d{1,3}\.){3}\d{1,3}\/\d{1,2}$/.test(value) || /^[0-9a-fA-F:]+\/\d{1,3}$/.test(value);
}

function normalizeVolume(key: string, v: VolumeInput, where: string, ctx: Ctx): VolumeSpec {
    if (typeof v !== "object") throw new SpecError("a volume must be an object", where, v);
    const external = v.external ?? false;
    const driverOpts = toMap(v.driverOpts as MapOrList | undefined, `${where}.driverOpts`);
    // A local volume mounted with `o: bind` is a bind mount of `device`, a host path: relative to the project (compose-go paths/resolve.go).
    const bind = (v.driver === undefined || v.driver === "local") && (driverOpts.o ?? "").split(",").includes("bind");
    if (bind && hasOwn(driverOpts, "device") && driverOpts.device !== "") driverOpts.device = resolveHostPath(driverOpts.device, ctx);
    return {
        key,
        ...optionalField("name", v.name),
        ...optionalField("driver", v.driver),
        driverOpts,
        labels: toMap(v.labels, `${where}.labels`),
        external,
        extensions: extensionsOf(v),
    };
}

function normalizeFileSource(key: string, s: FileSourceInput, where: string, ctx: Ctx): FileSourceSpec {
    if (typeof s !== "object" || s === null) throw new SpecError("must be an object with file, content, environment or external", where, s);
    const sources = (["file", "content", "environment"] as const).filter((k) => s[k] !== undefined);
    const external = s.external ?? false;
    if (external && sources.length > 0) throw new SpecError(`an external definition cannot also set ${sources.join(", ")}`, where, s);
    if (!external && sources.length !== 1) {
        throw new SpecError("set exactly one of file, content or environment (or external: true)", where, sources.length ? sources : undefined);
    }
    return {
        key,
        ...optionalField("name", s.name),
        ...(s.content !== undefined ? { content: s.content } : {}),
        ...(s.file !== undefined ? { file: resolveHostPath(s.file, ctx) } : {}),
        ...optionalField("environment", s.environment),
        external,
        labels: toMap(s.labels, `${where}.labels`),
    };
}

// ---------------------------------------------------------------------------------------------
// Cross-references: what no single value can tell.

function checkReferences(app: AppSpec): void {
    const containerNames = new Map<string, string>();
    for (const [name, s] of Object.entries(app.services)) {
        const where = `services.${name}`;
        if (s.containerName !== undefined) {
            const other = containerNames.get(s.containerName);
            if (other !== undefined) throw new SpecError(`services "${other}" and "${name}" both set container_name "${s.containerName}"; container names must be unique`, `${where}.containerName`, s.containerName);
            containerNames.set(s.containerName, name);
        }
        for (const [key, what] of [["networkMode", "network"], ["pid", "PID"], ["ipc", "IPC"]] as const) {
            const mode = s[key];
            if (!mode?.startsWith("service:")) continue;
            const target = mode.slice("service:".length);
            if (target === name) throw new SpecError(`service "${name}" cannot share its own ${what} namespace`, `${where}.${key}`, mode);
            // Before the dependsOn checks: these references are also implicit dependencies.
            if (!hasOwn(app.services, target)) {
                throw new SpecError(`service "${name}" shares the ${key === "networkMode" ? "network" : `${what} namespace`} of undefined service "${target}"`, `${where}.${key}`, mode);
            }
        }
        const primary = primaryNetwork(s);
        if (s.macAddress !== undefined && primary?.macAddress !== undefined && primary.macAddress.toLowerCase() !== s.macAddress.toLowerCase()) {
            throw new SpecError(`mac_address ${s.macAddress} and networks.${primary.network}.mac_address ${primary.macAddress} are both set and differ`, `${where}.macAddress`, s.macAddress);
        }
        s.networks.forEach((n) => {
            if (!hasOwn(app.networks, n.network)) throw new SpecError(`service "${name}" refers to undefined network "${n.network}"`, `${where}.networks`, n.network);
        });
        s.mounts.forEach((m, i) => {
            if (m.type === "volume" && m.source !== undefined && !hasOwn(app.volumes, m.source)) {
                throw new SpecError(`service "${name}" refers to undefined volume "${m.source}"; declare it under the top-level volumes`, `${where}.volumes[${i}]`, m.source);
            }
        });
        s.secrets.forEach((r, i) => {
            if (!hasOwn(app.secrets, r.source)) throw new SpecError(`service "${name}" refers to undefined secret "${r.source}"`, `${where}.secrets[${i}]`, r.source);
        });
        s.configs.forEach((r, i) => {
            if (!hasOwn(app.configs, r.source)) throw new SpecError(`service "${name}" refers to undefined config "${r.source}"`, `${where}.configs[${i}]`, r.source);
        });
        s.dependsOn.forEach((d) => {
            if (d.service === name) throw new SpecError(`service "${name}" depends on itself`, `${where}.dependsOn`, d.service);
            if (!hasOwn(app.services, d.service) && d.required) throw new SpecError(`service "${name}" depends on undefined service "${d.service}"`, `${where}.dependsOn`, d.service);
            if (d.condition === "healthy" && getOwn(app.services, d.service)?.healthcheck?.disable) {
                throw new SpecError(`service "${name}" waits for "${d.service}" to be healthy, but its healthcheck is disabled`, `${where}.dependsOn.${d.service}`, d.condition);
            }
        });
        const published = new Map<string, number>();
        s.ports.forEach((p, i) => {
            if (p.published === undefined) return;
            const key = `${p.hostIp ?? "*"}:${p.published}/${p.protocol}`;
            if (published.has(key)) throw new SpecError(`host port ${p.published}/${p.protocol} is published twice`, `${where}.ports`, p.published);
            published.set(key, i);
        });
    }
    checkHostPorts(app);
    checkDependencyCycles(app);
}

/** Whether two host addresses (undefined for all) can both bind one port: only when they differ and neither covers the other. */
export function hostAddressesOverlap(a: string | undefined, b: string | undefined): boolean {
    const all = (ip: string | undefined) => ip === undefined || ip === "0.0.0.0" || ip === "::";
    if (all(a) || all(b)) {
        if (a === "0.0.0.0" && b !== undefined && b.includes(":")) return false;
        if (b === "0.0.0.0" && a !== undefined && a.includes(":")) return false;
        if (a === "::" && b !== undefined && !b.includes(":")) return false;
        if (b === "::" && a !== undefined && !a.includes(":")) return false;
        return true;
    }
    return a === b;
}

/** Two services publishing one host port: the second fails at deploy time, so it fails here. */
function checkHostPorts(app: AppSpec): void {
    const seen = new Map<string, { service: string; hostIp?: string }[]>();
    for (const [name, s] of Object.entries(app.services)) {
        s.ports.forEach((p) => {
            if (p.published === undefined) return;
            const key = `${p.published}/${p.protocol}`;
            const users = seen.get(key) ?? [];
            const other = users.find((u) => u.service !== name && hostAddressesOverlap(u.hostIp, p.hostIp));
            if (other) {
                throw new SpecError(
                    `host port ${key} is published by services "${other.service}" and "${name}"; a host port can be bound once: publish another port or remove one`,
                    `${joinPath("services", name)}.ports`,
                    p.published,
                );
            }
            users.push({ service: name, ...(p.hostIp !== undefined ? { hostIp: p.hostIp } : {}) });
            seen.set(key, users);
        });
    }
}

/**
 * The network a service-level `mac_address` applies to: Compose takes the network of highest
 * priority, then the first by name; the model has no priorities, so the first by name.
 */
export function primaryNetwork(s: ServiceSpec): ServiceNetworkSpec | undefined {
    return [...s.networks].sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0))[0];
}

function checkDependencyCycles(app: AppSpec): void {
    const state = new Map<string, "visiting" | "done">();
    const visit = (name: string, trail: string[]): void => {
        if (state.get(name) === "done") return;
        if (state.get(name) === "visiting") {
            const cycle = [...trail.slice(trail.indexOf(name)), name].join(" -> ");
            throw new SpecError(`services depend on each other in a cycle: ${cycle}`, `services.${name}.dependsOn`, undefined);
        }
        state.set(name, "visiting");
        for (const d of getOwn(app.services, name)?.dependsOn ?? []) visit(d.service, [...trail, name]);
        state.set(name, "done");
    };
    for (const name of Object.keys(app.services)) visit(name, []);
}
