/**
 * A Compose service → the pod template of its workload: one container with the service's image,
 * command, environment, ports, probes, resources, mounts and security settings, plus the pod-level
 * settings (volumes, host aliases, DNS, sysctls, grace period). Fields Kubernetes has no place for
 * are left out here and reported by unsupported.ts.
 */
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { splitPlatform } from "../../spec/platform";
import { MountSpec, ServiceSpec } from "../../spec/types";
import { getOwn, hasOwn, setOwn } from "../../spec/records";
import { ConvertContext } from "./context";
import { podLabels } from "./labels";
import { isLabelKey, podVolumeName, portName, serviceObjectName, splitLabels, subdomainName } from "./names";
import { EXTENSION, serviceExtension } from "./options";
import { toProbes, toSeconds } from "./probes";
import { isProjectBind, projectBindVolume, projectMountKey } from "./project-files";
import { podServiceAccount } from "./rbac";
import { toResources } from "./resources";
import { dataKey, fileObjectName } from "./secrets-configs";
import { claimName } from "./storage";

type Container = k8s.types.input.core.v1.Container;
type ContainerPort = k8s.types.input.core.v1.ContainerPort;
type PodSpec = k8s.types.input.core.v1.PodSpec;
type PodTemplateSpec = k8s.types.input.core.v1.PodTemplateSpec;
type Volume = k8s.types.input.core.v1.Volume;
type VolumeMount = k8s.types.input.core.v1.VolumeMount;
type SecurityContext = k8s.types.input.core.v1.SecurityContext;
type PodSecurityContext = k8s.types.input.core.v1.PodSecurityContext;

/** Compose files default secret and config files to read-only for everyone. */
const DEFAULT_FILE_MODE = 0o444;

/** Kubernetes protocol names. */
export function toProtocol(p: "tcp" | "udp" | "sctp"): "TCP" | "UDP" | "SCTP" {
    return p.toUpperCase() as "TCP" | "UDP" | "SCTP";
}

/** One port a service listens on, from `ports` or `expose`, with the name its Service port gets. */
export interface ListenPort {
    readonly name: string;
    readonly target: number;
    readonly protocol: "tcp" | "udp" | "sctp";
    /** Compose `app_protocol`, when it is a name Kubernetes takes (a qualified name: `http`, `kubernetes.io/h2c`). */
    readonly appProtocol?: string;
}

/**
 * Every port the container listens on (published and exposed), once per port and protocol.
 * Unnamed ports are called `<protocol>-<port>` (`tcp-8080`), which fits the 15-character limit.
 */
/** `app_protocol` as a Service port's `appProtocol`: only a qualified name, which the API server takes (see support.ts). */
export function appProtocolOf(value: string | undefined): string | undefined {
    return value !== undefined && isLabelKey(value) ? value : undefined;
}

export function listenPorts(s: ServiceSpec): ListenPort[] {
    const out: ListenPort[] = [];
    const seen = new Set<string>();
    const add = (target: number, protocol: ListenPort["protocol"], name: string | undefined, where: string, appProtocol?: string): void => {
        const key = `${target}/${protocol}`;
        if (seen.has(key)) return;
        seen.add(key);
        out.push({ name: name !== undefined ? portName(name, where) : `${protocol}-${target}`, target, protocol, ...(appProtocolOf(appProtocol) ? { appProtocol } : {}) });
    };
    s.ports.forEach((p, i) => add(p.target, p.protocol, p.name, `services.${s.name}.ports[${i}].name`, p.appProtocol));
    s.expose.forEach((e, i) => add(e.target, e.protocol, undefined, `services.${s.name}.expose[${i}]`));
    const names = new Set<string>();
    for (const p of out) {
        if (names.has(p.name)) throw new SpecError(`two ports of service "${s.name}" are both named "${p.name}"`, `services.${s.name}.ports`, p.name);
        names.add(p.name);
    }
    return out;
}

export function toContainerPorts(s: ServiceSpec): ContainerPort[] {
    return listenPorts(s).map((p) => ({ name: p.name, containerPort: p.target, protocol: toProtocol(p.protocol) }));
}

/** `"1000"`, `"1000:1000"` and `root` as ids; undefined for names, which Kubernetes cannot resolve. */
export function parseUser(user: string | undefined): { runAsUser?: number; runAsGroup?: number } | undefined {
    if (user === undefined) return undefined;
    const [u, g] = user.split(":");
    const id = (x: string | undefined): number | undefined => (x === "root" ? 0 : x !== undefined && /^\d+$/.test(x) ? Number(x) : undefined);
    const runAsUser = id(u);
    if (runAsUser === undefined) return undefined;
    const runAsGroup = id(g);
    return { runAsUser, ...(runAsGroup !== undefined ? { runAsGroup } : {}) };
}

/** `CAP_NET_ADMIN` and `net_admin` as Kubernetes writes them: `NET_ADMIN`. */
export function toCapability(cap: string): string {
    return cap.toUpperCase().replace(/^CAP_/, "");
}

/** The container's security context; undefined when the service changes nothing. */
export function toSecurityContext(s: ServiceSpec): SecurityContext | undefined {
    const where = `services.${s.name}`;
    const add = s.capAdd.map(toCapability);
    const drop = s.capDrop.map(toCapability);
    // The API server rejects these combinations; say so with the Compose path instead.
    if (s.noNewPrivileges && s.privileged) {
        throw new SpecError("a privileged container cannot also set no-new-privileges on Kubernetes", `${where}.securityOpt`, "no-new-privileges");
    }
    if (s.noNewPrivileges && add.includes("SYS_ADMIN")) {
        throw new SpecError("Kubernetes does not allow adding SYS_ADMIN together with no-new-privileges", `${where}.capAdd`, "SYS_ADMIN");
    }
    const ctx: SecurityContext = {
        ...(parseUser(s.user) ?? {}),
        ...(s.readOnly ? { readOnlyRootFilesystem: true } : {}),
        ...(s.privileged ? { privileged: true } : {}),
        ...(s.noNewPrivileges ? { allowPrivilegeEscalation: false } : {}),
        ...(add.length || drop.length ? { capabilities: { ...(add.length ? { add } : {}), ...(drop.length ? { drop } : {}) } } : {}),
    };
    return Object.keys(ctx).length ? ctx : undefined;
}

/** The pod's security context: sysctls and numeric supplementary groups. */
export function toPodSecurityContext(s: ServiceSpec): PodSecurityContext | undefined {
    const sysctls = Object.entries(s.sysctls).map(([name, value]) => ({ name, value }));
    const groups = s.groupAdd.filter((g) => /^\d+$/.test(g)).map(Number);
    const ctx: PodSecurityContext = {
        ...(sysctls.length ? { sysctls } : {}),
        ...(groups.length ? { supplementalGroups: groups } : {}),
    };
    return Object.keys(ctx).length ? ctx : undefined;
}

const PROPAGATION: Record<string, string> = { rshared: "Bidirectional", shared: "Bidirectional", rslave: "HostToContainer", slave: "HostToContainer" };

/** Names of the volumes a StatefulSet gets from claim templates instead of shared claims. */
export type ClaimTemplates = ReadonlySet<string>;

/**
 * Pod volumes and container mounts: named volumes → claims (or claim templates), anonymous
 * volumes and tmpfs → emptyDir, files of the project → ConfigMaps (project-files.ts), other
 * bind mounts → hostPath only when allowed (by the target or the service's
 * `x-kubernetes.allowHostPath`), secrets and configs →
 * one file each via subPath, `shm_size` → an in-memory emptyDir at /dev/shm.
 */
export function toVolumes(ctx: ConvertContext, s: ServiceSpec, claimTemplates: ClaimTemplates = new Set()): { volumes: Volume[]; volumeMounts: VolumeMount[] } {
    const volumes: Volume[] = [];
    const volumeMounts: VolumeMount[] = [];
    const names = new Set<string>();
    // Per service, so that a node agent can read the host without opening hostPath to every app.
    const hostPathAllowed = serviceExtension(s).allowHostPath ?? ctx.options.allowHostPath;
    const addVolume = (v: Volume & { name: string }): void => {
        if (names.has(v.name)) return;
        names.add(v.name);
        volumes.push(v);
    };
    const unique = (base: string): string => {
        let name = base;
        for (let n = 2; names.has(name); n++) name = `${base}-${n}`;
        return name;
    };

    s.mounts.forEach((m: MountSpec, i) => {
        const where = `services.${s.name}.volumes[${i}]`;
        const ro = m.type !== "tmpfs" && m.readOnly ? { readOnly: true } : {};
        if (m.type === "volume" && m.source !== undefined) {
            const vol = ctx.app.volumes[m.source];
            const name = podVolumeName("volume", m.source);
            if (claimTemplates.has(m.source)) names.add(name);
            else addVolume({ name, persistentVolumeClaim: { claimName: claimName(vol) } });
            volumeMounts.push({ name, mountPath: m.target, ...ro, ...(m.subpath ? { subPath: m.subpath } : {}) });
        } else if (m.type === "volume") {
            // An anonymous volume lives as long as its container in Compose; the pod is the closest.
            const name = unique(`anonymous-${i}`);
            addVolume({ name, emptyDir: {} });
            volumeMounts.push({ name, mountPath: m.target, ...ro });
        } else if (m.type === "tmpfs") {
            const name = unique(`tmpfs-${i}`);
            addVolume({ name, emptyDir: { medium: "Memory", ...(m.sizeBytes !== undefined ? { sizeLimit: String(m.sizeBytes) } : {}) } });
            volumeMounts.push({ name, mountPath: m.target });
        } else if (isProjectBind(m)) {
            // A file of the project is on the deployer's machine, not on a node: it travels as a ConfigMap (never a hostPath).
            const content = ctx.projectMounts.get(projectMountKey(s.name, i));
            if (!content) throw new SpecError(`the project path ${m.source} was not read`, where, m.source);
            const name = unique(`bind-${i}`);
            addVolume({ name, configMap: projectBindVolume(s.name, i, content) });
            volumeMounts.push({ name, mountPath: m.target, readOnly: true, ...(content.kind === "file" ? { subPath: content.files[0].key } : {}) });
        } else {
            if (!hostPathAllowed) {
                throw new SpecError(
                    `service "${s.name}" bind-mounts the host path ${m.source} at ${m.target}; pods cannot rely on a node's files. ` +
                        "Use a named volume, a config, a secret or a file of the project (a relative path, carried as a ConfigMap), " +
                        "or set allowHostPath: true on the Kubernetes target (single-node clusters) " +
                        `or in the service's ${EXTENSION} (node agents)`,
                    where,
                    m.source,
                );
            }
            const name = unique(`host-${i}`);
            addVolume({ name, hostPath: { path: m.source } });
            volumeMounts.push({ name, mountPath: m.target, ...ro, ...(m.propagation && PROPAGATION[m.propagation] ? { mountPropagation: PROPAGATION[m.propagation] } : {}) });
        }
    });

    // Kubernetes hands devices to unprivileged pods only through device plugins; a privileged
    // container sees every device of the node at its own path, so only a renamed one needs a mount.
    s.devices.forEach((d, i) => {
        const where = `services.${s.name}.devices[${i}]`;
        const text = `${d.hostPath}:${d.containerPath}:${d.permissions}`;
        if (!s.privileged) {
            throw new SpecError(
                `service "${s.name}" maps the device ${d.hostPath}; Kubernetes gives pods a node's devices only when privileged (or through a device plugin): ` +
                    "set privileged: true or remove the device",
                where,
                text,
            );
        }
        if (d.containerPath === d.hostPath) return;
        if (!hostPathAllowed) {
            throw new SpecError(
                `service "${s.name}" maps the device ${d.hostPath} to ${d.containerPath}, which needs a hostPath volume; ` +
                    `set allowHostPath: true on the Kubernetes target or in the service's ${EXTENSION}, or keep the device at its host path`,
                where,
                text,
            );
        }
        const name = unique(`device-${i}`);
        addVolume({ name, hostPath: { path: d.hostPath } });
        volumeMounts.push({ name, mountPath: d.containerPath, ...(d.permissions.includes("w") ? {} : { readOnly: true }) });
    });

    for (const [kind, refs] of [["secret", s.secrets], ["config", s.configs]] as const) {
        for (const ref of refs) {
            const src = kind === "secret" ? ctx.app.secrets[ref.source] : ctx.app.configs[ref.source];
            const name = unique(podVolumeName(kind, ref.source));
            const defaultMode = ref.mode ?? DEFAULT_FILE_MODE;
            const objectName = fileObjectName(kind, src);
            addVolume(kind === "secret" ? { name, secret: { secretName: objectName, defaultMode } } : { name, configMap: { name: objectName, defaultMode } });
            volumeMounts.push({ name, mountPath: ref.target, subPath: dataKey(ref.source), readOnly: true });
        }
    }

    if (s.resources.shmSizeBytes !== undefined) {
        addVolume({ name: "dshm", emptyDir: { medium: "Memory", sizeLimit: String(s.resources.shmSizeBytes) } });
        volumeMounts.push({ name: "dshm", mountPath: "/dev/shm" });
    }
    return { volumes, volumeMounts };
}

export function toContainer(ctx: ConvertContext, s: ServiceSpec, claimTemplates: ClaimTemplates = new Set()): Container {
    const ports = toContainerPorts(s);
    const env = Object.entries(s.environment).map(([name, value]) => ({ name, value }));
    const resources = toResources(s.resources);
    const securityContext = toSecurityContext(s);
    const { volumeMounts } = toVolumes(ctx, s, claimTemplates);
    return {
        name: serviceObjectName(s.name, `services.${s.name}`),
        image: s.image,
        // Compose entrypoint is the image ENTRYPOINT (Kubernetes command), command is CMD (args).
        ...(s.entrypoint ? { command: s.entrypoint } : {}),
        ...(s.command ? { args: s.command } : {}),
        ...(s.workingDir ? { workingDir: s.workingDir } : {}),
        ...(env.length ? { env } : {}),
        ...(ports.length ? { ports } : {}),
        ...(resources ? { resources } : {}),
        ...(toProbes(s.healthcheck) ?? {}),
        ...(securityContext ? { securityContext } : {}),
        ...(volumeMounts.length ? { volumeMounts } : {}),
        ...(s.tty ? { tty: true } : {}),
        ...(s.stdinOpen ? { stdin: true } : {}),
    };
}

/** `extra_hosts` grouped by address, as hostAliases wants them. */
export function toHostAliases(s: ServiceSpec): { ip: string; hostnames: string[] }[] {
    const byIp = new Map<string, string[]>();
    s.extraHosts.forEach((h, i) => {
        if (h.ip === "host-gateway") {
            throw new SpecError("host-gateway (the Docker host's address) has no Kubernetes equivalent; give an IP address", `services.${s.name}.extraHosts[${i}]`, `${h.host}:${h.ip}`);
        }
        byIp.set(h.ip, [...(byIp.get(h.ip) ?? []), h.host]);
    });
    return [...byIp].map(([ip, hostnames]) => ({ ip, hostnames }));
}

/**
 * `dns`, `dns_search`, `dns_opt` → dnsConfig, added to the cluster DNS rather than replacing it:
 * Docker keeps resolving service names with custom DNS servers too, and so must the pod.
 */
export function toDnsConfig(s: ServiceSpec): k8s.types.input.core.v1.PodDNSConfig | undefined {
    if (!s.dns.length && !s.dnsSearch.length && !s.dnsOptions.length) return undefined;
    const options = s.dnsOptions.map((o) => {
        const colon = o.indexOf(":");
        return colon < 0 ? { name: o } : { name: o.slice(0, colon), value: o.slice(colon + 1) };
    });
    return {
        ...(s.dns.length ? { nameservers: s.dns } : {}),
        ...(s.dnsSearch.length ? { searches: s.dnsSearch } : {}),
        ...(options.length ? { options } : {}),
    };
}

const ARCH: Record<string, string> = { x86_64: "amd64", amd64: "amd64", aarch64: "arm64", arm64: "arm64" };
/** Operating systems Kubernetes nodes report in `kubernetes.io/os`. */
const NODE_OS = ["linux", "windows"];

/**
 * The node labels a service's `platform` selects: `kubernetes.io/os` and `kubernetes.io/arch`
 * (OCI architecture names are the labels' values). Platforms no node reports (`wasi/wasm`, run
 * by a runtime class on Linux nodes) select nothing; unsupported.ts says so.
 */
export function platformSelector(s: ServiceSpec): Record<string, string> {
    if (s.platform === undefined) return {};
    const p = splitPlatform(s.platform);
    if (!NODE_OS.includes(p.os)) return {};
    return { "kubernetes.io/os": p.os, ...(p.architecture !== undefined ? { "kubernetes.io/arch": p.architecture } : {}) };
}

/**
 * Swarm placement constraints that have a node label equivalent (`==` only), and the service's
 * `platform` → nodeSelector. A platform that contradicts a constraint is an error: no node fits.
 */
export function toNodeSelector(s: ServiceSpec): Record<string, string> | undefined {
    // Keys are node label names users choose ("constructor" among them): own properties only.
    const out: Record<string, string> = {};
    for (const c of s.deploy.placement.constraints) {
        const m = /^\s*([\w.-]+)\s*==\s*(\S+)\s*$/.exec(c);
        if (!m) continue;
        const [, key, value] = m;
        if (key.startsWith("node.labels.")) setOwn(out, key.slice("node.labels.".length), value);
        else if (key === "node.hostname") out["kubernetes.io/hostname"] = value;
        else if (key === "node.platform.os") out["kubernetes.io/os"] = value;
        else if (key === "node.platform.arch" && hasOwn(ARCH, value)) out["kubernetes.io/arch"] = ARCH[value];
    }
    for (const [key, value] of Object.entries(platformSelector(s))) {
        const before = getOwn(out, key);
        if (before !== undefined && before !== value) {
            throw new SpecError(`platform "${s.platform}" contradicts the placement constraints (${key}: ${before}); no node can run the service`, `services.${s.name}.platform`, s.platform);
        }
        setOwn(out, key, value);
    }
    return Object.keys(out).length ? out : undefined;
}

/** Whether a placement constraint becomes part of the nodeSelector (the others are reported). */
export function isMappedConstraint(c: string): boolean {
    const m = /^\s*([\w.-]+)\s*==\s*(\S+)\s*$/.exec(c);
    if (!m) return false;
    return m[1].startsWith("node.labels.") || m[1] === "node.hostname" || m[1] === "node.platform.os" || (m[1] === "node.platform.arch" && !!ARCH[m[2]]);
}

/** The pod hostname: a DNS label, so `web.example.com` keeps only `web` (the rest is reported). */
export function podHostname(s: ServiceSpec): string | undefined {
    if (s.hostname === undefined) return undefined;
    const first = s.hostname.split(".")[0].toLowerCase();
    if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(first) || first.length > 63) {
        throw new SpecError("a Kubernetes pod hostname must be a DNS label (a-z, 0-9, '-')", `services.${s.name}.hostname`, s.hostname);
    }
    return first;
}

/**
 * `runtime` → the pod's RuntimeClass, by the same name (the cluster must define a RuntimeClass of
 * that name whose handler is the runtime); `runc` is every node's default and selects none.
 */
export function runtimeClassName(s: ServiceSpec): string | undefined {
    if (s.runtime === undefined || s.runtime === "runc") return undefined;
    return subdomainName(s.runtime, `services.${s.name}.runtime`);
}

export function toPodSpec(ctx: ConvertContext, s: ServiceSpec, claimTemplates: ClaimTemplates = new Set()): PodSpec {
    const where = `services.${s.name}`;
    const mode = s.networkMode;
    if (mode !== undefined && (mode.startsWith("service:") || mode.startsWith("container:"))) {
        throw new SpecError("sharing another container's network namespace needs both in one pod, which dockyard does not do; use the service name instead", `${where}.networkMode`, mode);
    }
    const { volumes } = toVolumes(ctx, s, claimTemplates);
    const securityContext = toPodSecurityContext(s);
    const hostAliases = toHostAliases(s);
    const dnsConfig = toDnsConfig(s);
    const nodeSelector = toNodeSelector(s);
    const hostname = podHostname(s);
    const runtimeClass = runtimeClassName(s);
    return {
        containers: [toContainer(ctx, s, claimTemplates)],
        ...(volumes.length ? { volumes } : {}),
        ...(securityContext ? { securityContext } : {}),
        ...(s.stopGracePeriodMs !== undefined ? { terminationGracePeriodSeconds: toSeconds(s.stopGracePeriodMs) } : {}),
        ...(hostname ? { hostname } : {}),
        ...(hostAliases.length ? { hostAliases } : {}),
        ...(dnsConfig ? { dnsConfig } : {}),
        // Host networking bypasses cluster DNS unless asked for explicitly.
        ...(mode === "host" ? { hostNetwork: true, dnsPolicy: "ClusterFirstWithHostNet" } : {}),
        ...(s.pid === "host" ? { hostPID: true } : {}),
        ...(s.ipc === "host" ? { hostIPC: true } : {}),
        ...(nodeSelector ? { nodeSelector } : {}),
        ...(runtimeClass ? { runtimeClassName: runtimeClass } : {}),
        ...podServiceAccount(ctx, s),
    };
}

/** The pod template: labels (including network membership), annotations from labels Kubernetes refuses, the pod spec. */
export function toPodTemplate(ctx: ConvertContext, s: ServiceSpec, claimTemplates: ClaimTemplates = new Set()): PodTemplateSpec {
    const { annotations } = splitLabels(s.labels);
    return {
        metadata: { labels: podLabels(ctx, s), ...(Object.keys(annotations).length ? { annotations } : {}) },
        spec: toPodSpec(ctx, s, claimTemplates),
    };
}
