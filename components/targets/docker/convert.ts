/**
 * Pure converters from the application model to `@pulumi/docker` arguments for one Docker host.
 * No Pulumi runtime here: spec in, provider args out. Units follow the provider: memory in MB,
 * durations as Go duration strings, stop timeout in seconds.
 */
import type * as docker from "@pulumi/docker";
import type * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../../spec/errors";
import { LABEL_REPLICA, serviceLabels, appLabels } from "../../spec/labels";
import { primaryNetwork } from "../../spec/normalize";
import { isRemoteContext } from "../../spec/build-context";
import { formatDuration } from "../../spec/units";
import {
    AppSpec, FileReferenceSpec, HealthcheckSpec, MountSpec, NetworkSpec, PortSpec, ResourcesSpec, RestartSpec,
    ServiceSpec, SwarmRestartPolicySpec, VolumeSpec,
} from "../../spec/types";

const MiB = 1024 * 1024;

/** Docker name of a container: `<app>-<service>-<n>`, as Compose names them. */
export function containerName(app: string, service: string, replica: number): string {
    return `${app}-${service}-${replica}`;
}

/** Docker name of replica `replica` of `s`: its `container_name` when set (then it has one replica), else `<app>-<service>-<n>`. */
export function serviceContainerName(app: AppSpec, s: ServiceSpec, replica: number): string {
    return s.containerName ?? containerName(app.name, s.name, replica);
}

/** Docker name of a network: its explicit `name`, else `<app>-<key>` (external: `name` or the key). */
export function networkName(app: string, net: NetworkSpec): string {
    return net.name ?? (net.external ? net.key : `${app}-${net.key}`);
}

/** Docker name of a volume: its explicit `name`, else `<app>-<key>` (external: `name` or the key). */
export function volumeName(app: string, vol: VolumeSpec): string {
    return vol.name ?? (vol.external ? vol.key : `${app}-${vol.key}`);
}

/** Docker labels as the provider wants them: `[{label, value}]`, sorted for stable diffs. */
export function toLabelList(labels: Record<string, string>): { label: string; value: string }[] {
    return Object.keys(labels).sort().map((label) => ({ label, value: labels[label] }));
}

/**
 * The container's restart policy: `restart`, or, when only `deploy.restart_policy` is written,
 * that policy translated the way `docker compose` does (any → always, on-failure with its
 * attempts, none → no).
 */
export function restartPolicy(r: RestartSpec, deployPolicy?: SwarmRestartPolicySpec): Pick<docker.ContainerArgs, "restart" | "maxRetryCount"> {
    if (r.implicit && deployPolicy) {
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

export function resources(r: ResourcesSpec): Partial<docker.ContainerArgs> {
    return {
        ...(r.limits.cpus !== undefined ? { cpus: String(r.limits.cpus) } : {}),
        ...(r.limits.memoryBytes !== undefined ? { memory: toMegabytes(r.limits.memoryBytes) } : {}),
        ...(r.reservations.memoryBytes !== undefined ? { memoryReservation: toMegabytes(r.reservations.memoryBytes) } : {}),
        ...(r.memorySwapBytes !== undefined ? { memorySwap: r.memorySwapBytes === -1 ? -1 : toMegabytes(r.memorySwapBytes) } : {}),
        ...(r.cpuShares !== undefined ? { cpuShares: r.cpuShares } : {}),
        ...(r.cpuset !== undefined ? { cpuSet: r.cpuset } : {}),
        ...(r.shmSizeBytes !== undefined ? { shmSize: toMegabytes(r.shmSizeBytes) } : {}),
    };
}

export function healthcheck(h: HealthcheckSpec): docker.types.input.ContainerHealthcheck {
    if (h.disable) return { tests: ["NONE"] };
    return {
        ...(h.test ? { tests: h.test } : {}),
        ...(h.intervalMs !== undefined ? { interval: formatDuration(h.intervalMs) } : {}),
        ...(h.timeoutMs !== undefined ? { timeout: formatDuration(h.timeoutMs) } : {}),
        ...(h.startPeriodMs !== undefined ? { startPeriod: formatDuration(h.startPeriodMs) } : {}),
        ...(h.startIntervalMs !== undefined ? { startInterval: formatDuration(h.startIntervalMs) } : {}),
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
 * Mounts. Bind mounts that may create their host path use the `-v` form (`volumes`), because the
 * mount API refuses a missing source while `-v` creates it, which is what Compose's short syntax does.
 */
export function mounts(app: AppSpec, list: MountSpec[]): Pick<docker.ContainerArgs, "mounts" | "volumes"> {
    const out: docker.types.input.ContainerMount[] = [];
    const binds: docker.types.input.ContainerVolume[] = [];
    for (const m of list) {
        if (m.type === "volume") {
            const source = m.source === undefined ? undefined : volumeName(app.name, app.volumes[m.source]);
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
        } else {
            const tmpfsOptions = { ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}), ...(m.mode !== undefined ? { mode: m.mode } : {}) };
            out.push({ type: "tmpfs", target: m.target, ...(Object.keys(tmpfsOptions).length ? { tmpfsOptions } : {}) });
        }
    }
    return { ...(out.length ? { mounts: out } : {}), ...(binds.length ? { volumes: binds } : {}) };
}

/**
 * A namespace mode (`network_mode`, `ipc`, `pid`) for the engine: `service:<name>` means "join the
 * namespace of that service's first container", which is `container:<its name>` on one host.
 */
export function namespaceMode(app: AppSpec, mode: string): string {
    if (!mode.startsWith("service:")) return mode;
    const name = mode.slice("service:".length);
    const target = app.services[name];
    return `container:${target ? serviceContainerName(app, target, 1) : containerName(app.name, name, 1)}`;
}

/** `network_mode` for the engine (see {@link namespaceMode}). */
export function networkMode(app: AppSpec, mode: string): string {
    return namespaceMode(app, mode);
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
            name: networkName(app.name, app.networks[n.network]),
            // The service name is the DNS name other services use, as Compose registers it.
            aliases: [...new Set([s.name, ...n.aliases])],
            ...(n.ipv4Address ? { ipv4Address: n.ipv4Address } : {}),
            ...(n.ipv6Address ? { ipv6Address: n.ipv6Address } : {}),
            ...(macAddress !== undefined ? { macAddress } : {}),
        };
    });
}

/** The image of a service: pulled (for its platform), or built and tagged `image` when it has a build section. */
export function imageArgs(s: ServiceSpec): docker.RemoteImageArgs {
    // keepLocally: deleting an app must not delete an image other containers on the host may use.
    const platform = s.platform !== undefined ? { platform: s.platform } : {};
    if (!s.build) return { name: s.image, keepLocally: true, ...platform };
    return {
        name: s.image,
        keepLocally: true,
        ...platform,
        build: {
            // A Git or HTTP(S) context goes to the engine as a remote context (the provider's
            // `remoteContext`); the local `context` it still requires is then unused.
            ...(isRemoteContext(s.build.context) ? { context: ".", remoteContext: s.build.context } : { context: s.build.context }),
            // Compose builds for the service's platform when the build names none.
            ...platform,
            ...(s.build.dockerfile ? { dockerfile: s.build.dockerfile } : {}),
            ...(Object.keys(s.build.args).length ? { buildArgs: s.build.args } : {}),
            ...(s.build.target ? { target: s.build.target } : {}),
            ...(Object.keys(s.build.labels).length ? { label: s.build.labels } : {}),
            tags: [s.image],
        },
    };
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
}

/** The `docker.Container` arguments of replica `replica` (1-based) of service `s`. */
export function toContainerArgs(app: AppSpec, s: ServiceSpec, replica: number, refs: ContainerRefs): docker.ContainerArgs {
    const files = [...uploads(s.secrets, refs.secrets, 0o444), ...uploads(s.configs, refs.configs, 0o444)];
    const securityOpts = [...s.securityOpt, ...(s.noNewPrivileges ? ["no-new-privileges:true"] : [])];
    const stopSeconds = s.stopGracePeriodMs === undefined ? undefined : Math.ceil(s.stopGracePeriodMs / 1000);
    const labels = { ...s.labels, ...serviceLabels(app.name, s.name, refs.labels), [LABEL_REPLICA]: String(replica) };
    return {
        name: serviceContainerName(app, s, replica),
        image: refs.image,
        ...(s.entrypoint ? { entrypoints: s.entrypoint } : {}),
        ...(s.command ? { command: s.command } : {}),
        ...(Object.keys(s.environment).length ? { envs: Object.entries(s.environment).map(([k, v]) => `${k}=${v}`) } : {}),
        ...(s.ports.length ? { ports: ports(s.ports) } : {}),
        ...mounts(app, s.mounts),
        ...(s.networkMode ? { networkMode: networkMode(app, s.networkMode) } : { networksAdvanced: networks(app, s) }),
        ...(s.pid !== undefined ? { pidMode: namespaceMode(app, s.pid) } : {}),
        ...(s.ipc !== undefined ? { ipcMode: namespaceMode(app, s.ipc) } : {}),
        ...(s.devices.length ? { devices: s.devices.map((d) => ({ hostPath: d.hostPath, containerPath: d.containerPath, permissions: d.permissions })) } : {}),
        ...(s.platform !== undefined ? { platform: s.platform } : {}),
        ...(s.runtime !== undefined ? { runtime: s.runtime } : {}),
        ...(s.cgroupParent !== undefined ? { cgroupParent: s.cgroupParent } : {}),
        ...(s.healthcheck ? { healthcheck: healthcheck(s.healthcheck) } : {}),
        ...restartPolicy(s.restart, s.deploy.restartPolicy),
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
        labels: toLabelList(labels),
        ...(s.logging?.driver ? { logDriver: s.logging.driver } : {}),
        ...(s.logging && Object.keys(s.logging.options).length ? { logOpts: s.logging.options } : {}),
        ...(s.readOnly ? { readOnly: true } : {}),
        ...(s.capAdd.length || s.capDrop.length
            ? { capabilities: { ...(s.capAdd.length ? { adds: s.capAdd } : {}), ...(s.capDrop.length ? { drops: s.capDrop } : {}) } }
            : {}),
        ...(securityOpts.length ? { securityOpts } : {}),
        ...(s.privileged ? { privileged: true } : {}),
        ...(s.init ? { init: true } : {}),
        ...(s.stopSignal !== undefined ? { stopSignal: s.stopSignal } : {}),
        // Pulumi stops the container before deleting it with the same grace period Docker would use.
        ...(stopSeconds !== undefined ? { stopTimeout: stopSeconds, destroyGraceSeconds: stopSeconds } : {}),
        ...(Object.keys(s.ulimits).length ? { ulimits: Object.entries(s.ulimits).map(([name, u]) => ({ name, soft: u.soft, hard: u.hard })) } : {}),
        ...(Object.keys(s.sysctls).length ? { sysctls: s.sysctls } : {}),
        ...(s.tty ? { tty: true } : {}),
        ...(s.stdinOpen ? { stdinOpen: true } : {}),
        ...(files.length ? { uploads: files } : {}),
        ...(refs.waitHealthy ? { wait: true, waitTimeout: healthyWaitSeconds(s.healthcheck) } : {}),
    };
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
        name: networkName(app.name, n),
        ...(n.driver ? { driver: n.driver } : {}),
        ...(Object.keys(n.driverOpts).length ? { options: n.driverOpts } : {}),
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
        name: volumeName(app.name, v),
        ...(v.driver ? { driver: v.driver } : {}),
        ...(Object.keys(v.driverOpts).length ? { driverOpts: v.driverOpts } : {}),
        labels: toLabelList({ ...v.labels, ...appLabels(app.name, extraLabels) }),
    };
}

/**
 * Checks what a single Docker host cannot do with a spec that is otherwise valid, so the error
 * comes before any resource exists.
 */
export function checkForDockerHost(app: AppSpec): void {
    for (const s of Object.values(app.services)) {
        const fixed = s.ports.filter((p) => p.published !== undefined);
        if (s.replicas > 1 && fixed.length > 0) {
            throw new SpecError(
                `${s.replicas} replicas cannot all publish host port ${fixed[0].published} on one Docker host; publish a range, drop the host port, or use one replica`,
                `services.${s.name}.ports`, fixed[0].published);
        }
        for (const [kind, refs, defs] of [["secret", s.secrets, app.secrets], ["config", s.configs, app.configs]] as const) {
            refs.forEach((r, i) => {
                if (defs[r.source].external) {
                    throw new SpecError(`external ${kind} "${r.source}" exists only on Swarm or Kubernetes; a Docker host needs file, content or environment`,
                        `services.${s.name}.${kind}s[${i}]`, r.source);
                }
            });
        }
    }
}

/**
 * Settings of a valid spec that one Docker engine (through the provider) cannot apply; the target
 * logs each with `pulumi.log.warn` and goes on, as `docker compose` would for orchestrator settings.
 */
export function dockerHostWarnings(app: AppSpec): string[] {
    const out: string[] = [];
    for (const s of Object.values(app.services)) {
        const at = `services.${s.name}`;
        if (s.resources.limits.pids !== undefined) out.push(`${at}.pidsLimit: the Docker provider cannot set a pids limit; it is not applied`);
        if (s.resources.reservations.cpus !== undefined) out.push(`${at}.deploy.resources.reservations.cpus: a Docker host has no CPU reservation; use cpu_shares for a relative weight`);
        s.mounts.forEach((m, i) => {
            if (m.type === "bind" && m.selinux) out.push(`${at}.volumes[${i}]: the SELinux relabel option :${m.selinux} is not applied by the Docker provider`);
        });
        s.dependsOn.forEach((d) => {
            if (d.condition === "completed") out.push(`${at}.dependsOn.${d.service}: created after "${d.service}" is created; the provider cannot wait for it to complete`);
        });
        if (s.macAddress !== undefined && s.networkMode !== undefined) {
            out.push(`${at}.macAddress: the Docker provider sets MAC addresses per network only; with network_mode "${s.networkMode}" it is not applied`);
        }
        const donor = s.ipc?.startsWith("service:") ? app.services[s.ipc.slice("service:".length)] : undefined;
        if (donor && donor.ipc !== "shareable" && donor.ipc !== "host") {
            out.push(`${at}.ipc: "${donor.name}" does not set ipc: shareable; an engine whose default IPC mode is private refuses to share it`);
        }
    }
    return out;
}
