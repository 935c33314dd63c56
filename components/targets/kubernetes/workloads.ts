/**
 * A Compose service → its workload. Which kind is decided by {@link workloadKind}; the pod
 * template is the same for every kind (pod.ts), the kinds differ in replicas, update strategy and
 * storage.
 */
import { runsOnce as runsOnceInApp } from "../../spec/lifecycle";
import type * as k8s from "@pulumi/kubernetes";
import { SpecError } from "../../spec/errors";
import { ServiceSpec, UpdateConfigSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { appObjectLabels, selectorLabels, serviceObjectLabels } from "./labels";
import { podVolumeName, serviceObjectName, splitLabels } from "./names";
import { autoscalingOf, serviceExtension, WorkloadKind } from "./options";
import { ClaimTemplates, toPodTemplate } from "./pod";
import { toSeconds } from "./probes";
import { toClaimSpec } from "./storage";

type ObjectMeta = k8s.types.input.meta.v1.ObjectMeta;
type RollingUpdate = { maxUnavailable: number | string; maxSurge: number | string };

/** Named volumes of the app (not external) that the service mounts. */
export function ownedVolumes(ctx: ConvertContext, s: ServiceSpec): string[] {
    const keys = s.mounts.flatMap((m) => (m.type === "volume" && m.source !== undefined && !ctx.app.volumes[m.source].external ? [m.source] : []));
    return [...new Set(keys)];
}

/** True when the model says the service runs to completion instead of serving (see spec/lifecycle). */
export function runsOnce(ctx: ConvertContext, s: ServiceSpec): boolean {
    return runsOnceInApp(ctx.app, s);
}

/**
 * The workload kind of a service, in this order:
 * 1. `x-kubernetes.workload`, when set;
 * 2. `x-kubernetes.schedule` → CronJob;
 * 3. `deploy.mode: global` → DaemonSet;
 * 4. runs once (spec/lifecycle) → Job: another service waits for it with
 *    `service_completed_successfully`; `deploy.restart_policy.condition: none`; or an explicit
 *    `restart: "no"` / `on-failure[:N]` on a service that does not serve (no `ports` or `expose`,
 *    and no service waits for it to start or be healthy). Compose's default (no `restart`) does
 *    not count;
 * 5. owns named volumes and the target has `stableStorage: true` → StatefulSet;
 * 6. otherwise → Deployment.
 */
export function workloadKind(ctx: ConvertContext, s: ServiceSpec): WorkloadKind {
    const ext = serviceExtension(s);
    if (ext.workload) return ext.workload;
    if (ext.schedule !== undefined) return "CronJob";
    if (s.mode === "global") return "DaemonSet";
    if (runsOnce(ctx, s)) return "Job";
    if (ctx.options.stableStorage && ownedVolumes(ctx, s).length) return "StatefulSet";
    return "Deployment";
}

/** The service's replica count; undefined when an autoscaler (`x-kubernetes.autoscaling`) owns it. */
export function replicaCount(s: ServiceSpec): number | undefined {
    return autoscalingOf(s) ? undefined : s.replicas;
}

/**
 * Swarm's update config as a rolling update: `parallelism` tasks at a time (0 = all), taken down
 * first (`stop-first`: maxUnavailable) or started first (`start-first`: maxSurge).
 */
export function toRollingUpdate(u: UpdateConfigSpec): RollingUpdate {
    const step: number | string = u.parallelism === 0 ? "100%" : u.parallelism ?? 1;
    return u.order === "start-first" ? { maxUnavailable: 0, maxSurge: step } : { maxUnavailable: step, maxSurge: 0 };
}

function metadata(ctx: ConvertContext, s: ServiceSpec): ObjectMeta {
    const { labels, annotations } = splitLabels(s.deploy.labels);
    return {
        name: serviceObjectName(s.name, `services.${s.name}`),
        namespace: ctx.namespace,
        labels: { ...labels, ...serviceObjectLabels(ctx, s) },
        ...(Object.keys(annotations).length ? { annotations } : {}),
    };
}

function minReady(s: ServiceSpec): { minReadySeconds?: number } {
    const ms = s.deploy.updateConfig?.monitorMs;
    return ms ? { minReadySeconds: toSeconds(ms) } : {};
}

export function toDeployment(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.apps.v1.Deployment {
    const replicas = replicaCount(s);
    const u = s.deploy.updateConfig;
    // Without an update config, a pod that holds a ReadWriteOnce claim must stop before its
    // replacement can attach the volume on another node: Recreate, not the default rolling update.
    const sharesClaim = s.mounts.some((m) => m.type === "volume" && m.source !== undefined);
    // One pod per node (max_replicas_per_node: 1) leaves no node for a surge pod: replace one at a
    // time, stop first, as Swarm's default update does.
    const onePerNode = s.deploy.placement.maxReplicasPerNode === 1;
    const strategy = u ? { type: "RollingUpdate", rollingUpdate: toRollingUpdate(u) } : sharesClaim ? { type: "Recreate" }
        : onePerNode ? { type: "RollingUpdate", rollingUpdate: toRollingUpdate({}) } : undefined;
    return {
        apiVersion: "apps/v1",
        kind: "Deployment",
        metadata: metadata(ctx, s),
        spec: {
            ...(replicas !== undefined ? { replicas } : {}),
            selector: { matchLabels: selectorLabels(ctx, s) },
            ...(strategy ? { strategy } : {}),
            ...minReady(s),
            template: toPodTemplate(ctx, s),
        },
    };
}

export function toDaemonSet(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.apps.v1.DaemonSet {
    const u = s.deploy.updateConfig;
    return {
        apiVersion: "apps/v1",
        kind: "DaemonSet",
        metadata: metadata(ctx, s),
        spec: {
            selector: { matchLabels: selectorLabels(ctx, s) },
            ...(u ? { updateStrategy: { type: "RollingUpdate", rollingUpdate: toRollingUpdate(u) } } : {}),
            ...minReady(s),
            template: toPodTemplate(ctx, s),
        },
    };
}

/**
 * A StatefulSet: each named volume the service owns becomes a claim template, so every pod gets
 * its own claim (`volume-<key>-<service>-<n>`) that survives rescheduling. Such a volume cannot
 * also be mounted by another service. The governing Service is the service's own, made headless.
 */
export function toStatefulSet(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.apps.v1.StatefulSet {
    const owned = ownedVolumes(ctx, s);
    for (const key of owned) {
        const other = Object.values(ctx.app.services).find((o) => o.name !== s.name && o.mounts.some((m) => m.type === "volume" && m.source === key));
        if (other) {
            throw new SpecError(
                `service "${s.name}" runs as a StatefulSet with a claim per pod, so volume "${key}" cannot also be mounted by service "${other.name}"`,
                `services.${s.name}.volumes`,
                key,
            );
        }
    }
    const replicas = replicaCount(s);
    const templates: ClaimTemplates = new Set(owned);
    return {
        apiVersion: "apps/v1",
        kind: "StatefulSet",
        metadata: metadata(ctx, s),
        spec: {
            serviceName: serviceObjectName(s.name, `services.${s.name}`),
            ...(replicas !== undefined ? { replicas } : {}),
            selector: { matchLabels: selectorLabels(ctx, s) },
            ...minReady(s),
            template: toPodTemplate(ctx, s, templates),
            volumeClaimTemplates: owned.map((key) => ({
                metadata: { name: podVolumeName("volume", key), labels: appObjectLabels(ctx) },
                spec: toClaimSpec(ctx, ctx.app.volumes[key]),
            })),
        },
    };
}

/**
 * A Job. A service that must never be restarted (`deploy.restart_policy.condition: none`, or
 * `restart: "no"` without a deploy policy) gets restartPolicy Never and no retries; otherwise
 * OnFailure with `max_attempts` / `on-failure:N` retries (Kubernetes' default 6 without one).
 * Replicas become parallel completions.
 */
export function toJob(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.batch.v1.Job {
    return { apiVersion: "batch/v1", kind: "Job", metadata: metadata(ctx, s), spec: toJobSpec(ctx, s) };
}

/**
 * The spec of a Job (and of a CronJob's jobs). `max_attempts` / `on-failure:N` of 0 mean
 * "unlimited" to Swarm and Docker; Kubernetes has no unlimited, so they get its default, 6.
 */
export function toJobSpec(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.batch.v1.JobSpec {
    const condition = s.deploy.restartPolicy?.condition;
    const never = condition === "none" || (condition === undefined && s.restart.policy === "no");
    const retries = s.deploy.restartPolicy?.maxAttempts ?? s.restart.maxRetries;
    const n = s.replicas;
    const template = toPodTemplate(ctx, s);
    return {
        backoffLimit: never ? 0 : retries || 6,
        ...(n !== 1 ? { completions: n, parallelism: n } : {}),
        template: { ...template, spec: { ...template.spec, restartPolicy: never ? "Never" : "OnFailure" } as k8s.types.input.core.v1.PodSpec },
    };
}

/**
 * A CronJob (`x-kubernetes.schedule`): the service's Job, created at every tick of the schedule,
 * with `concurrencyPolicy` and `timeZone` when given.
 */
export function toCronJob(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.batch.v1.CronJob {
    const ext = serviceExtension(s);
    const meta = metadata(ctx, s);
    return {
        apiVersion: "batch/v1",
        kind: "CronJob",
        metadata: meta,
        spec: {
            schedule: ext.schedule!.trim(),
            ...(ext.concurrencyPolicy ? { concurrencyPolicy: ext.concurrencyPolicy } : {}),
            ...(ext.timeZone ? { timeZone: ext.timeZone } : {}),
            jobTemplate: { metadata: { labels: meta.labels }, spec: toJobSpec(ctx, s) },
        },
    };
}

export type Workload =
    | k8s.types.input.apps.v1.Deployment
    | k8s.types.input.apps.v1.DaemonSet
    | k8s.types.input.apps.v1.StatefulSet
    | k8s.types.input.batch.v1.Job
    | k8s.types.input.batch.v1.CronJob;

/** The service's workload, of the kind {@link workloadKind} chooses. */
export function toWorkload(ctx: ConvertContext, s: ServiceSpec): { kind: WorkloadKind; object: Workload } {
    const kind = workloadKind(ctx, s);
    switch (kind) {
        case "Deployment":
            return { kind, object: toDeployment(ctx, s) };
        case "DaemonSet":
            return { kind, object: toDaemonSet(ctx, s) };
        case "StatefulSet":
            return { kind, object: toStatefulSet(ctx, s) };
        case "Job":
            return { kind, object: toJob(ctx, s) };
        case "CronJob":
            return { kind, object: toCronJob(ctx, s) };
    }
}
