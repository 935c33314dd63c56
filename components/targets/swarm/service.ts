/**
 * A service of the application model as a Swarm service: `toServiceArgs` assembles the
 * converters of this directory into `docker.ServiceArgs`, following `Service()` in docker/cli's
 * `cli/compose/convert/service.go` (what `docker stack deploy` sends to the engine).
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { splitPlatform } from "../../spec/platform";
import { AppSpec, FileReferenceSpec, ServiceSpec } from "../../spec/types";
import { withDefaultTag } from "../../spec/images";
import { goShortDuration } from "../../spec/units";
import { toEndpointSpec } from "./endpoint";
import { toHealthcheck } from "./healthcheck";
import { toMounts } from "./mounts";
import { LABEL_STACK_IMAGE, labelList, scopedName, stackServiceLabels } from "./naming";
import { toResources } from "./resources";
import { toRestartPolicy } from "./restart";
import { toUpdateConfig } from "./update";

/** A created Swarm secret or config, as a service references it. */
export interface FileObjectRef {
    readonly id: pulumi.Input<string>;
    readonly name: pulumi.Input<string>;
}

/** The ids of the app-wide objects a service refers to, by key in the `AppSpec`. */
export interface ServiceRefs {
    /** Network ids (the provider sees a change on every run when given names). */
    readonly networkIds: Record<string, pulumi.Input<string>>;
    readonly secrets: Record<string, FileObjectRef>;
    readonly configs: Record<string, FileObjectRef>;
}

/** Options of {@link toServiceArgs}. */
export interface ServiceOptions {
    /** Extra labels on the service and its containers. @default {} */
    readonly labels?: Record<string, string>;
    /**
     * Wait until the service has converged (all replicas running) before the resource counts as
     * created or updated. The provider implements it for replicated services only, so global
     * services never get it. @default undefined (no waiting)
     */
    readonly converge?: docker.types.input.ServiceConvergeConfig;
    /** The image the tasks run when it is not the service's as named: a pushed build or a pinned digest (`name@sha256:…`). @default the service's image */
    readonly image?: pulumi.Input<string>;
}

/** How long a task may take to stop before it is killed when the description sets no `stop_grace_period` (Compose's and Swarm's default). */
export const DEFAULT_STOP_GRACE_PERIOD_MS = 10_000;

/** Swarm name of a service: `<app>_<service>`, like `docker stack deploy`. */
export function serviceName(app: AppSpec, service: string): string {
    return scopedName(app.name, service);
}

/** Replicated (with its replica count) or global mode. */
export function toServiceMode(service: ServiceSpec): docker.types.input.ServiceMode {
    return service.mode === "global" ? { global: true } : { replicated: { replicas: service.replicas } };
}

/**
 * Placement constraints, spread preferences, the per-node replica cap and the service's
 * `platform` (Swarm schedules tasks only on nodes of that OS and architecture; an empty
 * architecture matches any, and the scheduler ignores variants); undefined when none.
 *
 * A preference is the bare spread descriptor (`node.labels.zone`): the provider makes each `prefs`
 * string the `SpreadDescriptor` of a spread preference as it is, so the CLI's `spread=` prefix
 * would make Swarm spread over a label of that literal name, which no node has.
 */
export function toPlacement(service: ServiceSpec): docker.types.input.ServiceTaskSpecPlacement | undefined {
    const p = service.deploy.placement;
    const platform = service.platform !== undefined ? splitPlatform(service.platform) : undefined;
    const out = {
        ...(platform ? { platforms: [{ os: platform.os, architecture: platform.architecture ?? "" }] } : {}),
        ...(p.constraints.length > 0 ? { constraints: [...p.constraints] } : {}),
        ...(p.preferences.length > 0 ? { prefs: p.preferences.map((x) => x.spread) } : {}),
        ...(p.maxReplicasPerNode !== undefined ? { maxReplicas: p.maxReplicasPerNode } : {}),
    };
    return Object.keys(out).length > 0 ? out : undefined;
}

/**
 * Network attachments by network id. Each attachment carries the service's own name as an alias
 * (as `docker stack deploy` adds it), so other services reach it as `db`, not only as `app_db`.
 * A `container_name` becomes an alias too: on one host other containers resolve that name, and
 * Compose files use it as a host name (`DB_HOST: mysql`), which `docker stack deploy` would break.
 */
export function toNetworkAttachments(service: ServiceSpec, networkIds: Record<string, pulumi.Input<string>>): docker.types.input.ServiceTaskSpecNetworksAdvanced[] {
    const own = [service.name, ...(service.containerName !== undefined ? [service.containerName] : [])];
    return [...service.networks]
        .sort((a, b) => (a.network < b.network ? -1 : a.network > b.network ? 1 : 0))
        .map((n) => ({ id: networkIds[n.network], aliases: [...new Set([...n.aliases, ...own])] }));
}

/** Secret references as files with owner and mode (Swarm's defaults: uid 0, gid 0, 0444). */
export function toSecretRefs(refs: FileReferenceSpec[], secrets: Record<string, FileObjectRef>): docker.types.input.ServiceTaskSpecContainerSpecSecret[] {
    return refs.map((r) => ({ secretId: secrets[r.source].id, secretName: secrets[r.source].name, ...fileTarget(r) }));
}

/** Config references as files, like secrets. */
export function toConfigRefs(refs: FileReferenceSpec[], configs: Record<string, FileObjectRef>): docker.types.input.ServiceTaskSpecContainerSpecConfig[] {
    return refs.map((r) => ({ configId: configs[r.source].id, configName: configs[r.source].name, ...fileTarget(r) }));
}

/**
 * A capability as the engine stores it (`NET_ADMIN` → `CAP_NET_ADMIN`, `ALL` unchanged), the way
 * the docker CLI normalizes it, so `docker service inspect` shows the same as for a stack.
 */
export function capabilityName(cap: string): string {
    const upper = cap.toUpperCase();
    return upper === "ALL" || upper.startsWith("CAP_") ? upper : `CAP_${upper}`;
}

function fileTarget(r: FileReferenceSpec): { fileName: string; fileUid: string; fileGid: string; fileMode: number } {
    // Spelled out (not left to the provider's defaults) so a diff shows what the file gets.
    return { fileName: r.target, fileUid: r.uid ?? "0", fileGid: r.gid ?? "0", fileMode: r.mode ?? 0o444 };
}

/**
 * The `docker.ServiceArgs` of one service. Pure apart from carrying the ids in `refs`; call
 * `swarmFindings(app)` first, which refuses what Swarm cannot run.
 */
export function toServiceArgs(app: AppSpec, service: ServiceSpec, refs: ServiceRefs, options: ServiceOptions = {}): docker.ServiceArgs {
    const where = `services.${service.name}`;
    const extra = options.labels ?? {};
    const s = service;
    const dnsConfig =
        s.dns.length > 0 || s.dnsSearch.length > 0 || s.dnsOptions.length > 0
            ? {
                  nameservers: [...s.dns],
                  ...(s.dnsSearch.length > 0 ? { searches: [...s.dnsSearch] } : {}),
                  ...(s.dnsOptions.length > 0 ? { options: [...s.dnsOptions] } : {}),
              }
            : undefined;
    const containerSpec: docker.types.input.ServiceTaskSpecContainerSpec = {
        image: options.image ?? withDefaultTag(s.image),
        // Swarm has no separate entrypoint: ContainerSpec.Command replaces ENTRYPOINT and Args replace CMD.
        ...(s.entrypoint !== undefined ? { commands: [...s.entrypoint] } : {}),
        ...(s.command !== undefined ? { args: [...s.command] } : {}),
        ...(Object.keys(s.environment).length > 0 ? { env: { ...s.environment } } : {}),
        labels: labelList({ ...s.labels, ...stackServiceLabels(app, s.name, extra) }),
        ...(s.user !== undefined ? { user: s.user } : {}),
        ...(s.groupAdd.length > 0 ? { groups: [...s.groupAdd] } : {}),
        ...(s.workingDir !== undefined ? { dir: s.workingDir } : {}),
        ...(s.hostname !== undefined ? { hostname: s.hostname } : {}),
        ...(dnsConfig ? { dnsConfig } : {}),
        ...(s.extraHosts.length > 0 ? { hosts: s.extraHosts.map((h) => ({ host: h.host, ip: h.ip })) } : {}),
        ...(s.mounts.length > 0 ? { mounts: toMounts(app, s.mounts, extra) } : {}),
        ...optional("healthcheck", toHealthcheck(s.healthcheck)),
        ...(s.readOnly ? { readOnly: true } : {}),
        ...(s.init ? { init: true } : {}),
        ...(s.capAdd.length > 0 ? { capAdds: s.capAdd.map(capabilityName) } : {}),
        ...(s.capDrop.length > 0 ? { capDrops: s.capDrop.map(capabilityName) } : {}),
        ...(Object.keys(s.sysctls).length > 0 ? { sysctl: { ...s.sysctls } } : {}),
        ...(s.stopSignal !== undefined ? { stopSignal: s.stopSignal } : {}),
        // Always written: the provider sends an unset grace period as 0 (tasks are killed at once),
        // where Compose and Swarm give 10s.
        stopGracePeriod: goShortDuration(s.stopGracePeriodMs ?? DEFAULT_STOP_GRACE_PERIOD_MS),
        ...(s.secrets.length > 0 ? { secrets: toSecretRefs(s.secrets, refs.secrets) } : {}),
        ...(s.configs.length > 0 ? { configs: toConfigRefs(s.configs, refs.configs) } : {}),
    };
    const restartPolicy = toRestartPolicy(app, s, where);
    const taskSpec: docker.types.input.ServiceTaskSpec = {
        containerSpec,
        ...optional("resources", toResources(s.resources)),
        ...optional("restartPolicy", restartPolicy),
        ...optional("placement", toPlacement(s)),
        ...(s.networks.length > 0 ? { networksAdvanceds: toNetworkAttachments(s, refs.networkIds) } : {}),
        ...(s.logging?.driver !== undefined ? { logDriver: { name: s.logging.driver, ...(Object.keys(s.logging.options).length > 0 ? { options: { ...s.logging.options } } : {}) } } : {}),
    };
    return {
        name: serviceName(app, s.name),
        labels: labelList({ ...s.deploy.labels, ...stackServiceLabels(app, s.name, extra), [LABEL_STACK_IMAGE]: s.image }),
        mode: toServiceMode(s),
        taskSpec,
        ...optional("endpointSpec", toEndpointSpec(s, where)),
        ...optional("updateConfig", toUpdateConfig(s.deploy.updateConfig, `${where}.deploy.updateConfig`)),
        ...optional("rollbackConfig", toUpdateConfig(s.deploy.rollbackConfig, `${where}.deploy.rollbackConfig`, true)),
        ...(options.converge !== undefined && mayConverge(s, restartPolicy) ? { convergeConfig: options.converge } : {}),
    };
}

/**
 * Whether `pulumi up` can wait for the service to converge. The provider counts running tasks
 * only, and implements waiting for replicated services only: a service whose tasks may complete
 * (restart condition `none` or `on-failure`, such as a migration) would never converge, and
 * `docker stack deploy` does not wait for it either.
 */
function mayConverge(s: ServiceSpec, policy: docker.types.input.ServiceTaskSpecRestartPolicy | undefined): boolean {
    return s.mode === "replicated" && (policy === undefined || policy.condition === "any");
}

function optional<K extends string, V>(key: K, value: V | undefined): { [P in K]?: V } {
    return (value === undefined ? {} : { [key]: value }) as { [P in K]?: V };
}
