/**
 * Pure converters from the application model to `@pulumi/docker` arguments for one Docker host.
 * No Pulumi runtime here: spec in, provider args out. Units follow the provider: memory in MB,
 * durations as Go duration strings, stop timeout in seconds.
 *
 * Every value is written in the form the provider reads back from the engine (CPUs as its
 * decimal string, durations as Go prints them, capabilities as the engine stores them…): the
 * provider compares its read-back with the program, and most container fields are ForceNew, so a
 * value written in another form would replace the container on every `up`. Where the read-back
 * cannot be known before creation, {@link containerResourceOptions} ignores exactly that property.
 */
import * as path from "path";
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../../spec/errors";
import { LABEL_REPLICA, serviceLabels, appLabels } from "../../spec/labels";
import { primaryNetwork } from "../../spec/normalize";
import { buildBlock } from "../images";
import { goDuration } from "../../spec/units";
import {
    AppSpec, FileReferenceSpec, HealthcheckSpec, MountSpec, NetworkSpec, PortSpec, ResourcesSpec, RestartSpec,
    ServiceSpec, SwarmRestartPolicySpec, VolumeSpec,
} from "../../spec/types";
import { getOwn } from "../../spec/records";
import { awaitedToComplete } from "../../spec/lifecycle";
import { networkName, volumeName } from "../../spec/names";
import { keyedInput } from "../inputs";
import { capabilityName } from "../swarm/service";

const MiB = 1024 * 1024;
/** Label of a container whose secrets and configs come from a files volume: the id of the container that wrote them. */
export const LABEL_FILES = "dev.dockyard.files";
/** Label of the never-started container that writes a service's files volumes. */
export const LABEL_ROLE = "dev.dockyard.role";

/** Docker name of a container: `<app>-<service>-<n>`, as Compose names them. */
export function containerName(app: string, service: string, replica: number): string {
    return `${app}-${service}-${replica}`;
}

/** Docker name of replica `replica` of `s`: its `container_name` when set (then it has one replica), else `<app>-<service>-<n>`. */
export function serviceContainerName(app: AppSpec, s: ServiceSpec, replica: number): string {
    return s.containerName ?? containerName(app.name, s.name, replica);
}

/** Docker name of a network: its explicit `name`, the key when external, else `<app>_<key>`, as Compose names it. */
export { networkName, volumeName } from "../../spec/names";

/** Docker labels as the provider wants them: `[{label, value}]`, sorted for stable diffs. */
export function toLabelList(labels: Record<string, string>): { label: string; value: string }[] {
    return Object.keys(labels).sort().map((label) => ({ label, value: labels[label] }));
}

/**
 * The container's restart policy, as `docker compose` computes it: `deploy.restart_policy` when
 * written (any → always, on-failure with its attempts, none → no), which wins over `restart`
 * even when both are set; otherwise `restart`.
 */
export function restartPolicy(r: RestartSpec, deployPolicy?: SwarmRestartPolicySpec): Pick<docker.ContainerArgs, "restart" | "maxRetryCount"> {
    if (deployPolicy) {
        switch (deployPolicy.condition) {
            case "any":
                return { restart: "always" };
            case "none":
                return { restart: "no" };
            case "on-failure":
                return { restart: "on-failure", ...(deployPolicy.maxAttempts !== undefined ? { maxRetryCount: deployPolicy.maxAttempts } : {}) };
        }
    }
    return { restart: r.policy, ...(r.maxRetries !== undefined ? { maxRetryCount: r.maxRetries } : {}) };
}

/** Bytes to the provider's whole megabytes, rounded up so a limit is never lower than asked. */
export function toMegabytes(bytes: number): number {
    return Math.ceil(bytes / MiB);
}

const NANO = 1_000_000_000n;

/**
 * A CPU count as the provider reads it back from the engine's nano-CPUs (its
 * `nanoInt64ToDecimalString`): `1` → `"1.0"`, `0.5` → `"0.5"`, `1.25` → `"1.25"`, `10` → `"10."`.
 * When the nine-decimal form holds exactly nine zeros it rounds to one decimal, so a few values
 * read back as another number (`0.05` → `"0.1"`, `0.01` → `"0.0"`); see {@link cpuLimit}.
 */
export function cpusReadBack(nanoCpus: number): string {
    if (nanoCpus === 0) return "0";
    const nano = BigInt(nanoCpus);
    const nine = `${nano / NANO}.${(nano % NANO).toString().padStart(9, "0")}`;
    if ([...nine].filter((c) => c === "0").length === 9) {
        // big.Rat.FloatString(1): to nearest, halves away from zero.
        const tenths = (nano + NANO / 20n) / (NANO / 10n);
        return `${tenths / 10n}.${tenths % 10n}`;
    }
    return nine.replace(/0+$/, "");
}

/** The nano-CPUs a decimal CPU string means (what the provider's `ParseCPUs` makes of it). */
function nanoOf(decimal: string): number {
    const [whole, frac = ""] = decimal.split(".");
    return Number(BigInt(whole) * NANO + BigInt(frac.padEnd(9, "0").slice(0, 9)));
}

/** The CFS period Docker uses for a CPU limit, in microseconds. */
export const CFS_PERIOD_US = 100_000;

/**
 * A CPU limit for the provider: `cpus` in the form it reads back ({@link cpusReadBack}), so the
 * container (`cpus` is ForceNew) is not replaced on every `up`. For the few limits that form
 * would change (`0.05` reads back as `"0.1"`), the same CFS quota the engine derives from
 * nano-CPUs is written as `cpuPeriod`/`cpuQuota`, which the provider does not read back; the
 * target then replaces the container when they change ({@link containerResourceOptions}), since
 * the provider cannot update them in place.
 */
export function cpuLimit(cpus: number): Pick<docker.ContainerArgs, "cpus" | "cpuPeriod" | "cpuQuota"> {
    const nano = Math.round(cpus * 1e9);
    const text = cpusReadBack(nano);
    if (nanoOf(text) === nano) return { cpus: text };
    return { cpuPeriod: CFS_PERIOD_US, cpuQuota: Math.round((nano * CFS_PERIOD_US) / 1e9) };
}

/**
 * Resources as the provider takes and reads them back. A memory limit without `memswap_limit`
 * gets a swap limit of twice the memory written out: that is what the engine sets when none is
 * given (as Compose leaves it), and the provider reads it back, so leaving it unset would update
 * the container on every `up`.
 */
export function resources(r: ResourcesSpec): Partial<docker.ContainerArgs> {
    const memory = r.limits.memoryBytes !== undefined ? toMegabytes(r.limits.memoryBytes) : undefined;
    const swap = r.memorySwapBytes !== undefined ? (r.memorySwapBytes === -1 ? -1 : toMegabytes(r.memorySwapBytes)) : memory !== undefined ? 2 * memory : undefined;
    return {
        ...(r.limits.cpus !== undefined ? cpuLimit(r.limits.cpus) : {}),
        ...(memory !== undefined ? { memory } : {}),
        ...(r.reservations.memoryBytes !== undefined ? { memoryReservation: toMegabytes(r.reservations.memoryBytes) } : {}),
        ...(swap !== undefined ? { memorySwap: swap } : {}),
        ...(r.cpuShares !== undefined ? { cpuShares: r.cpuShares } : {}),
        ...(r.cpuset !== undefined ? { cpuSet: r.cpuset } : {}),
        ...(r.shmSizeBytes !== undefined ? { shmSize: toMegabytes(r.shmSizeBytes) } : {}),
    };
}

/**
 * The healthcheck, durations written as the provider reads them back (Go's `Duration.String()`:
 * `1m30s`, `1m0s`, `1.5s`, `500ms`); the healthcheck is ForceNew, so any other form would replace
 * the container on every `up`.
 */
export function healthcheck(h: HealthcheckSpec): docker.types.input.ContainerHealthcheck {
    if (h.disable) return { tests: ["NONE"] };
    return {
        ...(h.test ? { tests: h.test } : {}),
        ...(h.intervalMs !== undefined ? { interval: goDuration(h.intervalMs) } : {}),
        ...(h.timeoutMs !== undefined ? { timeout: goDuration(h.timeoutMs) } : {}),
        ...(h.startPeriodMs !== undefined ? { startPeriod: goDuration(h.startPeriodMs) } : {}),
        ...(h.startIntervalMs !== undefined ? { startInterval: goDuration(h.startIntervalMs) } : {}),
        ...(h.retries !== undefined ? { retries: h.retries } : {}),
    };
}

export function ports(list: PortSpec[]): docker.types.input.ContainerPort[] {
    return list.map((p) => ({
        internal: p.target,
        ...(p.published !== undefined ? { external: p.published } : {}),
        ...(p.hostIp ? { ip: p.hostIp } : {}),
        protocol: p.protocol,
    }));
}

/**
 * The option string of a tmpfs for the engine's `--tmpfs` (`HostConfig.Tmpfs`), which the provider
 * reads back as written: `size=<bytes>`, `mode=<octal>`, then the other options as written.
 */
export function tmpfsOptionString(m: Extract<MountSpec, { type: "tmpfs" }>): string {
    return [
        ...(m.sizeBytes !== undefined ? [`size=${m.sizeBytes}`] : []),
        ...(m.mode !== undefined ? [`mode=${m.mode.toString(8)}`] : []),
        ...(m.options ?? []),
    ].join(",");
}

/**
 * Mounts. Bind mounts that may create their host path use the `-v` form (`volumes`), because the
 * mount API refuses a missing source while `-v` creates it, which is what Compose's short syntax does.
 * A tmpfs with options besides size and mode (`uid=1000`, `exec`…, from a service-level `tmpfs`
 * entry) goes to the provider's `tmpfs` map, path → full option string, as Compose passes it to
 * `--tmpfs`: the mount API's tmpfs options only carry size and mode.
 */
export function mounts(app: AppSpec, list: MountSpec[]): Pick<docker.ContainerArgs, "mounts" | "volumes" | "tmpfs"> {
    const out: docker.types.input.ContainerMount[] = [];
    const binds: docker.types.input.ContainerVolume[] = [];
    const tmpfs: Record<string, string> = {};
    for (const m of list) {
        if (m.type === "volume") {
            const source = m.source === undefined ? undefined : volumeName(app, m.source);
            const volumeOptions = { ...(m.noCopy ? { noCopy: true } : {}), ...(m.subpath ? { subpath: m.subpath } : {}) };
            out.push({
                type: "volume",
                ...(source ? { source } : {}),
                target: m.target,
                readOnly: m.readOnly,
                ...(Object.keys(volumeOptions).length ? { volumeOptions } : {}),
            });
        } else if (m.type === "bind") {
            if (m.createHostPath && !m.propagation) {
                binds.push({ hostPath: m.source, containerPath: m.target, readOnly: m.readOnly });
            } else {
                out.push({
                    type: "bind",
                    source: m.source,
                    target: m.target,
                    readOnly: m.readOnly,
                    ...(m.propagation ? { bindOptions: { propagation: m.propagation } } : {}),
                });
            }
        } else if (m.options !== undefined) {
            tmpfs[m.target] = tmpfsOptionString(m);
        } else {
            const tmpfsOptions = { ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}), ...(m.mode !== undefined ? { mode: m.mode } : {}) };
            out.push({ type: "tmpfs", target: m.target, ...(Object.keys(tmpfsOptions).length ? { tmpfsOptions } : {}) });
        }
    }
    return { ...(out.length ? { mounts: out } : {}), ...(binds.length ? { volumes: binds } : {}), ...(Object.keys(tmpfs).length ? { tmpfs } : {}) };
}

/** `container:<id>` of the first container of each service created so far, by service name. */
export type ContainerModes = Record<string, pulumi.Input<string>>;

/**
 * A namespace mode (`network_mode`, `ipc`, `pid`) for the engine: `service:<name>` means "join the
 * namespace of that service's first container", which is `container:<its id>` on one host. The
 * engine turns a `container:<name>` into `container:<id>` and the provider reads that back
 * (the modes are ForceNew), so the id is written when the target knows it (`modes`); the name
 * is only the fallback of a render without containers. The id also makes the container follow
 * its donor: a replaced donor gets a new id, and the namespace of the old one is gone.
 */
export function namespaceMode(app: AppSpec, mode: string, modes: ContainerModes = {}): pulumi.Input<string> {
    if (!mode.startsWith("service:")) return mode;
    const name = mode.slice("service:".length);
    const target = getOwn(app.services, name);
    return getOwn(modes, name) ?? `container:${target ? serviceContainerName(app, target, 1) : containerName(app.name, name, 1)}`;
}

/** `network_mode` for the engine (see {@link namespaceMode}). */
export function networkMode(app: AppSpec, mode: string, modes: ContainerModes = {}): pulumi.Input<string> {
    return namespaceMode(app, mode, modes);
}

/** True for a full 64-hex container id, the form the engine reports `container:` modes in. */
export function isContainerId(ref: string): boolean {
    return /^[0-9a-f]{64}$/.test(ref);
}

export function networks(app: AppSpec, s: ServiceSpec): docker.types.input.ContainerNetworksAdvanced[] {
    const primary = primaryNetwork(s)?.network;
    return s.networks.map((n) => {
        if ((n.ipv4Address || n.ipv6Address) && s.replicas > 1) {
            throw new SpecError(`a static address cannot be shared by ${s.replicas} replicas`, `services.${s.name}.networks.${n.network}`, n.ipv4Address ?? n.ipv6Address);
        }
        // A service-level mac_address goes to the primary network, as Compose applies it.
        const macAddress = n.macAddress ?? (n.network === primary ? s.macAddress : undefined);
        if (macAddress !== undefined && s.replicas > 1) {
            throw new SpecError(`a MAC address cannot be shared by ${s.replicas} replicas on one network`,
                n.macAddress !== undefined ? `services.${s.name}.networks.${n.network}.macAddress` : `services.${s.name}.macAddress`, macAddress);
        }
        return {
            name: networkName(app, n.network),
            // The service name is the DNS name other services use, as Compose registers it.
            aliases: [...new Set([s.name, ...n.aliases])],
            ...(n.ipv4Address ? { ipv4Address: n.ipv4Address } : {}),
            ...(n.ipv6Address ? { ipv6Address: n.ipv6Address } : {}),
            ...(macAddress !== undefined ? { macAddress } : {}),
        };
    });
}

/**
 * The image resource of a service: pulled (for its platform), or built and tagged `image` when it
 * has a build section (see ../images for the build block, its rebuild trigger and the push).
 * `projectDir` is what a local context is kept relative to.
 */
export function imageArgs(s: ServiceSpec, projectDir: string = process.cwd()): docker.RemoteImageArgs {
    // keepLocally: deleting an app must not delete an image other containers on the host may use.
    const platform = s.platform !== undefined ? { platform: s.platform } : {};
    if (!s.build) return { name: s.image, keepLocally: true, ...platform };
    return { name: s.image, keepLocally: true, ...platform, build: buildBlock(s, s.image, projectDir) };
}

/** Content of each secret/config by key (see `usedFileContents`). */
export type FileContents = Record<string, pulumi.Input<string>>;

/** Secrets and configs as files written into the container at creation (never environment variables). */
export function uploads(refs: FileReferenceSpec[], contents: FileContents, defaultMode: number): docker.types.input.ContainerUpload[] {
    return refs.map((r) => ({
        file: r.target,
        content: contents[r.source],
        permissions: "0" + (r.mode ?? defaultMode).toString(8),
        ...(r.uid !== undefined ? { owner: r.uid } : {}),
        ...(r.gid !== undefined ? { group: r.gid } : {}),
    }));
}

/** A secret or config a service uses, with where it is written in the description. */
export interface ServiceFile {
    readonly kind: "secret" | "config";
    readonly ref: FileReferenceSpec;
    /** Path in the description, e.g. `services.db.secrets[0]`. */
    readonly path: string;
}

/** A volume that carries the secrets and configs of one directory into a service's containers. */
export interface FilesVolume {
    /** Directory in the container it is mounted on, read-only. */
    readonly dir: string;
    /** Key of the volume among the app's resources: `<service>-files-<dir as a name>`. */
    readonly key: string;
    /** Docker name: `<app>-<key>`. */
    readonly name: string;
}

/** How the secrets and configs of a service reach its containers (see {@link planFiles}). */
export interface FilePlan {
    /** Files uploaded into each container before it starts. */
    readonly direct: ServiceFile[];
    /** Files written into {@link volumes} by the service's files container. */
    readonly throughVolumes: ServiceFile[];
    readonly volumes: FilesVolume[];
}

/** The mount of `list` whose target is the deepest directory holding `file`, if any. */
function coveringMount(list: MountSpec[], file: string): MountSpec | undefined {
    return list
        .filter((m) => file.startsWith(m.target.replace(/\/+$/, "") + "/"))
        .sort((a, b) => b.target.length - a.target.length)[0];
}

/**
 * How each secret and config of `s` reaches its containers. The provider uploads files through
 * the engine's copy API before the container starts (into `/`, the tar entries carrying the full
 * paths). That works for a container of its own filesystem, and into a writable volume or bind
 * mount covering the file (the engine mounts those for the copy), but not:
 *
 * - into a `read_only` container: the engine refuses any copy into a read-only root filesystem;
 * - under a tmpfs: the copy lands in the container's filesystem, and the tmpfs mounted over it at
 *   start hides it (a `tmpfs: /run` hides `/run/secrets`).
 *
 * Those files go through a files volume instead: one named volume per directory holding such
 * files, written by a container of the service's image that is created with the volumes mounted
 * and the files uploaded, and never started; the service's containers mount the volumes
 * read-only on those directories (over the tmpfs, which the engine mounts first). The engine
 * copies the image's content of the directory into a new volume, as it would show without it.
 *
 * @throws SpecError when a file cannot be delivered: inside a read-only volume or bind mount (the
 *   copy is refused and no volume can be mounted inside it), a volume-delivered file directly in
 *   `/` (a volume cannot be mounted on `/`), or in a directory that is itself a mount target.
 */
export function planFiles(app: AppSpec, s: ServiceSpec): FilePlan {
    const files: ServiceFile[] = [
        ...s.secrets.map((ref, i) => ({ kind: "secret" as const, ref, path: `services.${s.name}.secrets[${i}]` })),
        ...s.configs.map((ref, i) => ({ kind: "config" as const, ref, path: `services.${s.name}.configs[${i}]` })),
    ];
    const direct: ServiceFile[] = [];
    const throughVolumes: ServiceFile[] = [];
    for (const f of files) {
        const cover = coveringMount(s.mounts, f.ref.target);
        if (cover && cover.type !== "tmpfs" && cover.readOnly) {
            throw new SpecError(`the ${f.kind} file ${f.ref.target} is inside the read-only ${cover.type} mounted at ${cover.target}: the engine cannot write it there; give the ${f.kind} a target outside that mount`,
                f.path, f.ref.source);
        }
        if (s.readOnly || cover?.type === "tmpfs") throughVolumes.push(f);
        else direct.push(f);
    }
    const dirs = [...new Set(throughVolumes.map((f) => path.posix.dirname(f.ref.target)))].sort();
    const why = (f: ServiceFile) => (s.readOnly ? "the container is read_only (the engine refuses to copy into a read-only root filesystem)" : `the tmpfs mounted at ${coveringMount(s.mounts, f.ref.target)!.target} would hide it`);
    for (const f of throughVolumes) {
        const dir = path.posix.dirname(f.ref.target);
        if (dir === "/") {
            throw new SpecError(`the ${f.kind} file ${f.ref.target} cannot be delivered: ${why(f)}, and a file directly in / cannot get a volume of its own; give it a target in a directory, e.g. /run/${f.kind}s/${f.ref.source}`,
                f.path, f.ref.source);
        }
        const taken = s.mounts.find((m) => m.target.replace(/\/+$/, "") === dir);
        if (taken) {
            throw new SpecError(`the ${f.kind} file ${f.ref.target} cannot be delivered: ${why(f)}, and its directory ${dir} is already the target of a ${taken.type} mount, where no volume for it can go; give it a target in another directory`,
                f.path, f.ref.source);
        }
    }
    const used = new Set<string>();
    const volumes = dirs.map((dir) => {
        let key = `${s.name}-files${dir.replace(/[^A-Za-z0-9_.-]+/g, "-")}`;
        for (let n = 2; used.has(key); n++) key = `${s.name}-files${dir.replace(/[^A-Za-z0-9_.-]+/g, "-")}-${n}`;
        used.add(key);
        return { dir, key, name: `${app.name}-${key}` };
    });
    return { direct, throughVolumes, volumes };
}

const FILE_MODE = 0o444;

function fileUploads(files: ServiceFile[], refs: { readonly secrets: FileContents; readonly configs: FileContents }): docker.types.input.ContainerUpload[] {
    return files.flatMap((f) => uploads([f.ref], f.kind === "secret" ? refs.secrets : refs.configs, FILE_MODE));
}

/** Docker name of the never-started container that writes the files volumes of `s`. */
export function filesContainerName(app: AppSpec, s: ServiceSpec): string {
    return `${s.containerName ?? `${app.name}-${s.name}`}-files`;
}

/** A files volume of `s` (see {@link planFiles}). */
export function toFilesVolumeArgs(app: AppSpec, s: ServiceSpec, v: FilesVolume, extraLabels: Record<string, string> = {}): docker.VolumeArgs {
    return { name: v.name, labels: toLabelList({ ...serviceLabels(app.name, s.name, extraLabels), [LABEL_ROLE]: "files" }) };
}

/**
 * The container that writes the files volumes of `s`, or undefined when it has none (see
 * {@link planFiles}). It is created from the service's image with the volumes mounted, gets the
 * files uploaded, and is never started (`start: false`, and `mustRun: false` so that later `up`s
 * do not start it either). It takes the service's entrypoint and command only because the engine
 * refuses to create a container without one. A change of content replaces it, which rewrites the
 * files; its id labels the service's containers ({@link LABEL_FILES}), so they are replaced with
 * it, as containers with uploaded files are.
 */
export function toFilesContainerArgs(app: AppSpec, s: ServiceSpec, refs: Pick<ContainerRefs, "image" | "secrets" | "configs" | "labels">): docker.ContainerArgs | undefined {
    const plan = planFiles(app, s);
    if (plan.volumes.length === 0) return undefined;
    return {
        name: filesContainerName(app, s),
        image: refs.image,
        ...(s.entrypoint ? { entrypoints: s.entrypoint } : {}),
        ...(s.command ? { command: s.command } : {}),
        networkMode: "none",
        mounts: plan.volumes.map((v) => ({ type: "volume", source: v.name, target: v.dir, readOnly: false })),
        uploads: fileUploads(plan.throughVolumes, refs),
        labels: toLabelList({ ...serviceLabels(app.name, s.name, refs.labels), [LABEL_ROLE]: "files" }),
        start: false,
        mustRun: false,
    };
}

export { awaitedToComplete } from "../../spec/lifecycle";

/** True when the engine leaves a container of this restart policy stopped once it exits (`no`, and `on-failure` after a success). */
export function mayStayExited(policy: Pick<docker.ContainerArgs, "restart">): boolean {
    return policy.restart === "no" || policy.restart === "on-failure";
}

/** Everything a container needs that is not in the service spec: resolved names and contents. */
export interface ContainerRefs {
    /** Image to run (usually the RemoteImage's `imageId`). */
    readonly image: pulumi.Input<string>;
    readonly secrets: FileContents;
    readonly configs: FileContents;
    /** Extra labels from the component. */
    readonly labels?: Record<string, string>;
    /** Wait until healthy after creation (set when another service depends on this one being healthy). */
    readonly waitHealthy?: boolean;
    /** `container:<id>` of the services created before, for `service:` namespaces (see {@link namespaceMode}). */
    readonly containerModes?: ContainerModes;
    /** Id of the service's files container, when it has one (see {@link toFilesContainerArgs}). */
    readonly filesRevision?: pulumi.Input<string>;
}

/**
 * The `docker.Container` arguments of replica `replica` (1-based) of service `s`.
 *
 * A container whose restart policy lets it exit for good (`no`, `on-failure`: one-shot jobs such
 * as migrations) gets `mustRun: false`: with the default the provider records an exited
 * container as `mustRun: false` and starts it again on the next `up`. When another service waits
 * for it to complete, `attach` makes its creation wait until it has exited.
 */
export function toContainerArgs(app: AppSpec, s: ServiceSpec, replica: number, refs: ContainerRefs): docker.ContainerArgs {
    const plan = planFiles(app, s);
    const files = fileUploads(plan.direct, refs);
    const securityOpts = [...s.securityOpt, ...(s.noNewPrivileges ? ["no-new-privileges:true"] : [])];
    const stopSeconds = s.stopGracePeriodMs === undefined ? undefined : Math.ceil(s.stopGracePeriodMs / 1000);
    const labels: { label: string; value: pulumi.Input<string> }[] = [
        ...toLabelList({ ...s.labels, ...serviceLabels(app.name, s.name, refs.labels), [LABEL_REPLICA]: String(replica) }),
        ...(plan.volumes.length && refs.filesRevision !== undefined ? [{ label: LABEL_FILES, value: refs.filesRevision }] : []),
    ].sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
    const modes = refs.containerModes ?? {};
    const restart = restartPolicy(s.restart, s.deploy.restartPolicy);
    const ownMounts = mounts(app, s.mounts);
    const fileMounts: docker.types.input.ContainerMount[] = plan.volumes.map((v) => ({ type: "volume", source: v.name, target: v.dir, readOnly: true }));
    const allMounts = [...((ownMounts.mounts as docker.types.input.ContainerMount[] | undefined) ?? []), ...fileMounts];
    return {
        name: serviceContainerName(app, s, replica),
        image: refs.image,
        ...(s.entrypoint ? { entrypoints: s.entrypoint } : {}),
        ...(s.command ? { command: s.command } : {}),
        ...(Object.keys(s.environment).length ? { envs: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`) } : {}),
        ...(s.ports.length ? { ports: ports(s.ports) } : {}),
        ...ownMounts,
        ...(allMounts.length ? { mounts: allMounts } : {}),
        ...(s.networkMode ? { networkMode: networkMode(app, s.networkMode, modes) } : { networksAdvanced: networks(app, s) }),
        ...(s.pid !== undefined ? { pidMode: namespaceMode(app, s.pid, modes) } : {}),
        ...(s.ipc !== undefined ? { ipcMode: namespaceMode(app, s.ipc, modes) } : {}),
        ...(s.devices.length ? { devices: s.devices.map((d) => ({ hostPath: d.hostPath, containerPath: d.containerPath, permissions: d.permissions })) } : {}),
        ...(s.platform !== undefined ? { platform: s.platform } : {}),
        ...(s.runtime !== undefined ? { runtime: s.runtime } : {}),
        ...(s.cgroupParent !== undefined ? { cgroupParent: s.cgroupParent } : {}),
        ...(s.healthcheck ? { healthcheck: healthcheck(s.healthcheck) } : {}),
        ...restart,
        ...(mayStayExited(restart) ? { mustRun: false } : {}),
        ...(mayStayExited(restart) && awaitedToComplete(app, s) ? { attach: true } : {}),
        ...resources(s.resources),
        ...(s.user !== undefined ? { user: s.user } : {}),
        ...(s.groupAdd.length ? { groupAdds: s.groupAdd } : {}),
        ...(s.workingDir !== undefined ? { workingDir: s.workingDir } : {}),
        ...(s.hostname !== undefined ? { hostname: s.hostname } : {}),
        ...(s.domainname !== undefined ? { domainname: s.domainname } : {}),
        ...(s.dns.length ? { dns: s.dns } : {}),
        ...(s.dnsSearch.length ? { dnsSearches: s.dnsSearch } : {}),
        ...(s.dnsOptions.length ? { dnsOpts: s.dnsOptions } : {}),
        ...(s.extraHosts.length ? { hosts: s.extraHosts.map((h) => ({ host: h.host, ip: h.ip })) } : {}),
        labels,
        ...(s.logging?.driver ? { logDriver: s.logging.driver } : {}),
        ...(s.logging && Object.keys(s.logging.options).length ? { logOpts: keyedInput(s.logging.options) } : {}),
        ...(s.readOnly ? { readOnly: true } : {}),
        // Capabilities as the engine stores and the provider reads them back (`CAP_NET_ADMIN`, `ALL`): ForceNew.
        ...(s.capAdd.length || s.capDrop.length
            ? { capabilities: { ...(s.capAdd.length ? { adds: s.capAdd.map(capabilityName) } : {}), ...(s.capDrop.length ? { drops: s.capDrop.map(capabilityName) } : {}) } }
            : {}),
        ...(securityOpts.length ? { securityOpts } : {}),
        ...(s.privileged ? { privileged: true } : {}),
        ...(s.init ? { init: true } : {}),
        ...(s.stopSignal !== undefined ? { stopSignal: s.stopSignal } : {}),
        // Pulumi stops the container before deleting it with the same grace period Docker would use.
        ...(stopSeconds !== undefined ? { stopTimeout: stopSeconds, destroyGraceSeconds: stopSeconds } : {}),
        ...(Object.keys(s.ulimits).length ? { ulimits: Object.entries(s.ulimits).map(([name, u]) => ({ name, soft: u.soft, hard: u.hard })) } : {}),
        ...(Object.keys(s.sysctls).length ? { sysctls: keyedInput(s.sysctls) } : {}),
        ...(s.tty ? { tty: true } : {}),
        ...(s.stdinOpen ? { stdinOpen: true } : {}),
        ...(files.length ? { uploads: files } : {}),
        ...(refs.waitHealthy ? { wait: true, waitTimeout: healthyWaitSeconds(s.healthcheck) } : {}),
    };
}

/**
 * Resource options a container of `s` needs besides its args, for what the provider reads back in
 * a form that cannot be written:
 *
 * - `platform` is ignored after creation when it names more than an OS: the engine reports only
 *   the container's OS (`linux`), which the provider reads back, and `platform` is ForceNew.
 *   Writing just the OS is no answer: the provider would complete it with the architecture of
 *   the machine running Pulumi, and the engine picks the image variant by the platform (with the
 *   containerd image store, the image id names a multi-platform index);
 * - `hosts` is ignored after creation when an extra host has an IPv6 address: the provider
 *   splits the engine's `host:address` entries at every `:`, reading `fe80::1` back as `fe80`,
 *   and `hosts` is ForceNew;
 * - `networkMode`, `pidMode`, `ipcMode` are ignored when they are `container:<name>` of a
 *   container outside the app: the engine reports `container:<id>`, which is not known before
 *   creation (`service:` modes are written with the id, see {@link namespaceMode});
 * - `cpuPeriod`/`cpuQuota` (see {@link cpuLimit}) replace the container when they change, as
 *   `cpus` does: the provider cannot update them in place;
 * - so does `tmpfs` (see {@link mounts}), which the provider takes as an in-place change and then
 *   does not apply.
 *
 * An ignored property keeps the value it was created with: changing it later takes a new
 * container (`dockerHostWarnings` says so).
 */
export function containerResourceOptions(s: ServiceSpec): Pick<pulumi.CustomResourceOptions, "ignoreChanges" | "replaceOnChanges"> {
    const ignore = [
        ...(s.platform?.includes("/") ? ["platform"] : []),
        ...(s.extraHosts.some((h) => h.ip.includes(":")) ? ["hosts"] : []),
        ...([["networkMode", s.networkMode], ["pidMode", s.pid], ["ipcMode", s.ipc]] as const)
            .filter(([, mode]) => mode?.startsWith("container:") && !isContainerId(mode.slice("container:".length)))
            .map(([prop]) => prop),
    ];
    const replace = [
        ...(s.resources.limits.cpus !== undefined && cpuLimit(s.resources.limits.cpus).cpuQuota !== undefined ? ["cpuPeriod", "cpuQuota"] : []),
        ...(s.mounts.some((m) => m.type === "tmpfs" && m.options !== undefined) ? ["tmpfs"] : []),
    ];
    return { ...(ignore.length ? { ignoreChanges: ignore } : {}), ...(replace.length ? { replaceOnChanges: replace } : {}) };
}

/** How long to wait for a container to become healthy: its start period plus retries × interval, at least 60 s. */
export function healthyWaitSeconds(h: HealthcheckSpec | undefined): number {
    if (!h || h.disable) return 60;
    const interval = h.intervalMs ?? 30_000;
    const timeout = h.timeoutMs ?? 30_000;
    const total = (h.startPeriodMs ?? 0) + (h.retries ?? 3) * (interval + timeout);
    return Math.max(60, Math.ceil(total / 1000));
}

export function toNetworkArgs(app: AppSpec, n: NetworkSpec, extraLabels: Record<string, string> = {}): docker.NetworkArgs {
    return {
        name: networkName(app, n.key),
        ...(n.driver ? { driver: n.driver } : {}),
        ...(Object.keys(n.driverOpts).length ? { options: keyedInput(n.driverOpts) } : {}),
        internal: n.internal,
        attachable: n.attachable,
        ...(n.enableIpv6 ? { ipv6: true } : {}),
        ...(n.ipam.driver ? { ipamDriver: n.ipam.driver } : {}),
        ...(n.ipam.config.length
            ? {
                  ipamConfigs: n.ipam.config.map((c) => ({
                      ...(c.subnet ? { subnet: c.subnet } : {}),
                      ...(c.gateway ? { gateway: c.gateway } : {}),
                      ...(c.ipRange ? { ipRange: c.ipRange } : {}),
                      ...(Object.keys(c.auxAddresses).length ? { auxAddress: c.auxAddresses } : {}),
                  })),
              }
            : {}),
        labels: toLabelList({ ...n.labels, ...appLabels(app.name, extraLabels) }),
    };
}

export function toVolumeArgs(app: AppSpec, v: VolumeSpec, extraLabels: Record<string, string> = {}): docker.VolumeArgs {
    return {
        name: volumeName(app, v.key),
        ...(v.driver ? { driver: v.driver } : {}),
        ...(Object.keys(v.driverOpts).length ? { driverOpts: keyedInput(v.driverOpts) } : {}),
        labels: toLabelList({ ...v.labels, ...appLabels(app.name, extraLabels) }),
    };
}
