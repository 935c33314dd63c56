/**
 * A Compose service → the pod template of its workload: one container with the service's image,
 * command, environment, ports, probes, resources, mounts and security settings, plus the pod-level
 * settings (volumes, host aliases, DNS, sysctls, grace period). Fields Kubernetes has no place for
 * are left out here and reported by unsupported.ts.
 */
import type * as k8s from "@pulumi/kubernetes";
import { pullsWithRegistry, REGISTRY_PULL_SECRET } from "./registry";
import { SpecError } from "../../spec/errors";
import { MountSpec, ServiceSpec } from "../../spec/types";
import { hasOwn } from "../../spec/records";
import { ConvertContext } from "./context";
import { podLabels } from "./labels";
import { isLabelKey, podVolumeName, portName, serviceObjectName, splitLabels, subdomainName } from "./names";
import { EXTENSION, serviceExtension } from "./options";
import { toAffinity, toNodeSelector, toTolerations, toTopologySpread } from "./placement";
import { toExtensionProbe, toProbes, toSeconds } from "./probes";
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
type Probe = k8s.types.input.core.v1.Probe;

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

/** The pod's security context: sysctls, numeric supplementary groups and `x-kubernetes.fsGroup`. */
export function toPodSecurityContext(s: ServiceSpec): PodSecurityContext | undefined {
    const sysctls = Object.entries(s.sysctls).map(([name, value]) => ({ name, value }));
    const groups = s.groupAdd.filter((g) => /^\d+$/.test(g)).map(Number);
    const fsGroup = serviceExtension(s).fsGroup;
    const ctx: PodSecurityContext = {
        ...(sysctls.length ? { sysctls } : {}),
        ...(groups.length ? { supplementalGroups: groups } : {}),
        ...(fsGroup !== undefined ? { fsGroup } : {}),
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
            // The API server refuses Bidirectional propagation in an unprivileged container.
            if (m.propagation && PROPAGATION[m.propagation] === "Bidirectional" && !s.privileged) {
                throw new SpecError(`propagation ${m.propagation} is Bidirectional mount propagation, which Kubernetes allows only in privileged containers: set privileged: true or use rslave`, where, m.propagation);
            }
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

/**
 * The container's probes: from the healthcheck (probes.ts), each replaced by its
 * `x-kubernetes.probes` counterpart when given. A port given by name must be one of the service's.
 */
export function toContainerProbes(s: ServiceSpec): { livenessProbe?: Probe; readinessProbe?: Probe } {
    const fromHealthcheck = toProbes(s.healthcheck) ?? {};
    const ext = serviceExtension(s).probes;
    if (!ext) return fromHealthcheck;
    const names = listenPorts(s).map((p) => p.name);
    const out: { livenessProbe?: Probe; readinessProbe?: Probe } = { ...fromHealthcheck };
    for (const kind of ["liveness", "readiness"] as const) {
        const p = ext[kind];
        if (!p) continue;
        const handler = p.httpGet ? "httpGet" : "tcpSocket";
        const port = (p.httpGet ?? p.tcpSocket)!.port;
        if (typeof port === "string" && !names.includes(port)) {
            throw new SpecError(`the service has no port named "${port}"${names.length ? ` (its ports: ${names.join(", ")})` : ""}`, `services.${s.name}.${EXTENSION}.probes.${kind}.${handler}.port`, port);
        }
        out[kind === "liveness" ? "livenessProbe" : "readinessProbe"] = toExtensionProbe(p);
    }
    return out;
}

/** Compose's pull policies as the kubelet's; a built image is pushed, then pulled when missing. */
const KUBE_PULL_POLICY = { always: "Always", missing: "IfNotPresent", never: "Never", build: "IfNotPresent" } as const;

/**
 * The container's `imagePullPolicy`: Compose `pull_policy`, or `x-kubernetes.imagePullPolicy`;
 * both only when they agree. Undefined leaves Kubernetes' default.
 */
export function imagePullPolicy(s: ServiceSpec): string | undefined {
    const own = serviceExtension(s).imagePullPolicy;
    const compose = s.pullPolicy !== undefined ? KUBE_PULL_POLICY[s.pullPolicy] : undefined;
    if (own !== undefined && compose !== undefined && own !== compose) {
        throw new SpecError(`x-kubernetes.imagePullPolicy ${own} contradicts pull_policy ${s.pullPolicy} (which is ${compose}); keep one of them`, `services.${s.name}.pullPolicy`, s.pullPolicy);
    }
    return own ?? compose;
}

export function toContainer(ctx: ConvertContext, s: ServiceSpec, claimTemplates: ClaimTemplates = new Set()): Container {
    const ports = toContainerPorts(s);
    // The API server refuses an unnamed variable (Compose passes `=value` on to Docker, which keeps it).
    if (hasOwn(s.environment, "")) throw new SpecError("an environment variable needs a name", `services.${s.name}.environment`, `=${s.environment[""]}`);
    const env = Object.entries(s.environment).map(([name, value]) => ({ name, value }));
    const pullPolicy = imagePullPolicy(s);
    const resources = toResources(s.resources);
    const securityContext = toSecurityContext(s);
    const { volumeMounts } = toVolumes(ctx, s, claimTemplates);
    return {
        name: serviceObjectName(s.name, `services.${s.name}`),
        image: s.image,
        ...(pullPolicy ? { imagePullPolicy: pullPolicy } : {}),
        // Compose entrypoint is the image ENTRYPOINT (Kubernetes command), command is CMD (args).
        ...(s.entrypoint ? { command: s.entrypoint } : {}),
        ...(s.command ? { args: s.command } : {}),
        ...(s.workingDir ? { workingDir: s.workingDir } : {}),
        ...(env.length ? { env } : {}),
        ...(ports.length ? { ports } : {}),
        ...(resources ? { resources } : {}),
        ...toContainerProbes(s),
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
    const affinity = toAffinity(ctx, s);
    const tolerations = toTolerations(s);
    const topologySpreadConstraints = toTopologySpread(ctx, s);
    const hostname = podHostname(s);
    const runtimeClass = runtimeClassName(s);
    const own = serviceExtension(s).imagePullSecrets;
    // The target registry's credentials first, then the service's own Secrets.
    const pullSecrets = [...(pullsWithRegistry(ctx) ? [REGISTRY_PULL_SECRET] : []), ...(own === undefined ? [] : typeof own === "string" ? [own] : own)];
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
        ...(affinity ? { affinity } : {}),
        ...(tolerations ? { tolerations } : {}),
        ...(topologySpreadConstraints ? { topologySpreadConstraints } : {}),
        ...(runtimeClass ? { runtimeClassName: runtimeClass } : {}),
        ...(pullSecrets.length ? { imagePullSecrets: [...new Set(pullSecrets)].map((name) => ({ name })) } : {}),
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
