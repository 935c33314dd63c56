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
 * 2. `deploy.mode: global` → DaemonSet;
 * 3. runs once → Job: `deploy.restart_policy.condition: none`, or another service waits for it
 *    with `condition: service_completed_successfully`. A plain `restart: "no"` or `on-failure`
 *    does not count: it is Compose's default and common on servers, and says nothing about intent;
 * 4. owns named volumes and the target has `stableStorage: true` → StatefulSet;
 * 5. otherwise → Deployment.
 */
export function workloadKind(ctx: ConvertContext, s: ServiceSpec): WorkloadKind {
    const ext = serviceExtension(s).workload;
    if (ext) return ext;
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
    const strategy = u ? { type: "RollingUpdate", rollingUpdate: toRollingUpdate(u) } : sharesClaim ? { type: "Recreate" } : undefined;
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
    const condition = s.deploy.restartPolicy?.condition;
    const never = condition === "none" || (condition === undefined && s.restart.policy === "no");
    const retries = s.deploy.restartPolicy?.maxAttempts ?? s.restart.maxRetries;
    const n = s.replicas;
    const template = toPodTemplate(ctx, s);
    return {
        apiVersion: "batch/v1",
        kind: "Job",
        metadata: metadata(ctx, s),
        spec: {
            backoffLimit: never ? 0 : retries ?? 6,
            ...(n !== 1 ? { completions: n, parallelism: n } : {}),
            template: { ...template, spec: { ...template.spec, restartPolicy: never ? "Never" : "OnFailure" } as k8s.types.input.core.v1.PodSpec },
        },
    };
}

export type Workload =
    | k8s.types.input.apps.v1.Deployment
    | k8s.types.input.apps.v1.DaemonSet
    | k8s.types.input.apps.v1.StatefulSet
    | k8s.types.input.batch.v1.Job;

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
    }
}
