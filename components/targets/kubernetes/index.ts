/**
 * The Kubernetes target: an app becomes a namespace of Secrets, ConfigMaps, claims, workloads,
 * Services, NetworkPolicies and autoscalers, plus the RBAC objects of services that use the API. The semantics live in the pure converters next to
 * this file; this class only checks everything first, then creates the resources in order.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dependencyOrder } from "../../spec/order";
import { AppSpec } from "../../spec/types";
import { usedFileContents } from "../file-sources";
import { DeployedApp, DeployOptions, Target } from "../target";
import { toHpa } from "./autoscaling";
import { convertContext } from "./context";
import { kubeName } from "./names";
import { toNamespace } from "./namespace";
import { toNetworkPolicy } from "./network-policy";
import { KubernetesTargetArgs, PublishedServiceType } from "./options";
import { toClusterRole, toClusterRoleBinding, toServiceAccount } from "./rbac";
import { toConfigMap, toSecret } from "./secrets-configs";
import { publishedServiceType, toClusterService, toPublicService } from "./services";
import { toPersistentVolumeClaim } from "./storage";
import { unsupportedSettings } from "./unsupported";
import { toWorkload, Workload } from "./workloads";

export * from "./autoscaling";
export * from "./context";
export * from "./labels";
export * from "./names";
export * from "./namespace";
export * from "./network-policy";
export * from "./options";
export * from "./pod";
export * from "./probes";
export * from "./rbac";
export * from "./resources";
export * from "./secrets-configs";
export * from "./services";
export * from "./storage";
export * from "./unsupported";
export * from "./workloads";

type Converted = ReturnType<typeof plan>;

/** Everything the target will create, converted and checked, before any resource exists. */
export function plan(spec: AppSpec, args: KubernetesTargetArgs, labels: Record<string, string> = {}) {
    const ctx = convertContext(spec, args, labels);
    const workloads = Object.values(spec.services).map((s) => {
        const { kind, object } = toWorkload(ctx, s);
        const serviceAccount = toServiceAccount(ctx, s);
        const rbac = serviceAccount ? { serviceAccount, clusterRole: toClusterRole(ctx, s)!, clusterRoleBinding: toClusterRoleBinding(ctx, s)! } : undefined;
        return { service: s, kind, object, services: { service: toClusterService(ctx, s, kind), public: toPublicService(ctx, s) }, hpa: toHpa(ctx, s, kind), rbac };
    });
    // StatefulSets claim their own volumes from templates; only the others get shared claims.
    const templated = new Set(workloads.filter((w) => w.kind === "StatefulSet").flatMap((w) => w.service.mounts.flatMap((m) => (m.type === "volume" && m.source ? [m.source] : []))));
    const claims = Object.values(spec.volumes).filter((v) => !v.external && !templated.has(v.key)).map((v) => ({ key: v.key, object: toPersistentVolumeClaim(ctx, v) }));
    const policies = Object.values(spec.networks).flatMap((n) => {
        const p = toNetworkPolicy(ctx, n);
        return p ? [{ key: n.key, object: p }] : [];
    });
    return { ctx, namespace: args.namespace === undefined ? toNamespace(ctx) : undefined, workloads, claims, policies };
}

export class KubernetesTarget implements Target {
    public readonly kind = "kubernetes" as const;

    constructor(private readonly args: KubernetesTargetArgs = {}) {}

    public deploy(spec: AppSpec, opts: DeployOptions): DeployedApp {
        const p: Converted = plan(spec, this.args, opts.labels ?? {});
        // Read every secret and config before creating anything: a missing file must not leave half an app.
        const secretContents = usedFileContents(spec, "secret");
        const configContents = usedFileContents(spec, "config");
        for (const warning of unsupportedSettings(spec)) pulumi.log.warn(`kubernetes: ${warning}`, opts.parent);

        const child = (extra: pulumi.CustomResourceOptions = {}): pulumi.CustomResourceOptions => ({
            parent: opts.parent,
            ...(this.args.provider ? { provider: this.args.provider } : {}),
            ...extra,
        });
        const resources: Record<string, pulumi.Resource> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        const role = (r: string): string => `${opts.name}-${r}`;

        const ns = p.namespace ? new k8s.core.v1.Namespace(role("namespace"), p.namespace, child()) : undefined;
        if (ns) resources.namespace = ns;
        const inNs = ns ? [ns] : [];

        const prerequisites: Record<string, pulumi.Resource> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        for (const [key, content] of Object.entries(secretContents)) {
            const r = new k8s.core.v1.Secret(role(`secret-${key}`), toSecret(p.ctx, spec.secrets[key], pulumi.secret(content)), child({ dependsOn: inNs, deleteBeforeReplace: true }));
            resources[`secret-${key}`] = prerequisites[`secret:${key}`] = r;
        }
        for (const [key, content] of Object.entries(configContents)) {
            const r = new k8s.core.v1.ConfigMap(role(`config-${key}`), toConfigMap(p.ctx, spec.configs[key], content), child({ dependsOn: inNs, deleteBeforeReplace: true }));
            resources[`config-${key}`] = prerequisites[`config:${key}`] = r;
        }
        for (const c of p.claims) {
            // Deleting a claim deletes its data: keep it when the app is removed, as Compose keeps volumes.
            const r = new k8s.core.v1.PersistentVolumeClaim(role(`volume-${c.key}`), c.object, child({ dependsOn: inNs, retainOnDelete: true }));
            resources[`volume-${c.key}`] = prerequisites[`volume:${c.key}`] = r;
        }
        for (const w of p.policies) {
            resources[`network-${w.key}`] = new k8s.networking.v1.NetworkPolicy(role(`network-${w.key}`), w.object, child({ dependsOn: inNs }));
        }

        const created: Record<string, pulumi.Resource> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
        const endpoints: pulumi.Output<string[]>[] = [];
        const endpointServices: string[] = [];
        for (const w of dependencyOrder(spec).map((svc) => p.workloads.find((x) => x.service.name === svc.name)!)) {
            const s = w.service;
            const access: pulumi.Resource[] = [];
            if (w.rbac) {
                const base = kubeName(s.name);
                // Fixed names, and a binding's roleRef is immutable: a replacement must delete first.
                const sa = new k8s.core.v1.ServiceAccount(role(`${base}-service-account`), w.rbac.serviceAccount, child({ dependsOn: inNs, deleteBeforeReplace: true }));
                const cr = new k8s.rbac.v1.ClusterRole(role(`${base}-cluster-role`), w.rbac.clusterRole, child({ deleteBeforeReplace: true }));
                const crb = new k8s.rbac.v1.ClusterRoleBinding(role(`${base}-cluster-role-binding`), w.rbac.clusterRoleBinding, child({ dependsOn: [sa, cr], deleteBeforeReplace: true }));
                resources[`${s.name}-service-account`] = sa;
                resources[`${s.name}-cluster-role`] = cr;
                resources[`${s.name}-cluster-role-binding`] = crb;
                // The pods' first API calls must not meet a 403 because the binding is not there yet.
                access.push(crb);
            }
            const needs = [
                ...inNs,
                ...access,
                ...s.secrets.map((r) => prerequisites[`secret:${r.source}`]),
                ...s.configs.map((r) => prerequisites[`config:${r.source}`]),
                ...s.mounts.flatMap((m) => (m.type === "volume" && m.source ? [prerequisites[`volume:${m.source}`]] : [])),
                // Pulumi waits for a workload to be ready (a Job to complete), so this is depends_on with a healthy/completed condition.
                ...s.dependsOn.flatMap((d) => (created[d.service] ? [created[d.service]] : [])),
            ].filter((r): r is pulumi.Resource => r !== undefined);
            // Objects carry fixed names (the Compose names), so a replacement (a Job's new template, a
            // StatefulSet's new claim templates) must delete the old object before creating the new one.
            const workload = createWorkload(role(kubeName(s.name)), w.kind, w.object, child({ dependsOn: needs, deleteBeforeReplace: true }));
            created[s.name] = resources[s.name] = workload;
            for (const suffix of ["service", "public"] as const) {
                const svc = w.services[suffix];
                if (!svc) continue;
                const r = new k8s.core.v1.Service(role(`${kubeName(s.name)}-${suffix}`), svc, child({ dependsOn: inNs, deleteBeforeReplace: true }));
                resources[`${s.name}-${suffix}`] = r;
                if (suffix === "public") {
                    endpointServices.push(s.name);
                    endpoints.push(publicEndpoints(r, publishedServiceType(p.ctx, s) as PublishedServiceType, this.args.nodeAddress ?? "localhost"));
                }
            }
            if (w.hpa) {
                resources[`${s.name}-hpa`] = new k8s.autoscaling.v2.HorizontalPodAutoscaler(role(`${kubeName(s.name)}-hpa`), w.hpa, child({ dependsOn: [workload] }));
            }
        }
        return {
            endpoints: pulumi.all(endpoints).apply((lists) => Object.fromEntries(endpointServices.map((name, i) => [name, lists[i]]))),
            resources,
        };
    }
}

function createWorkload(name: string, kind: string, object: Workload, opts: pulumi.CustomResourceOptions): pulumi.CustomResource {
    switch (kind) {
        case "DaemonSet":
            return new k8s.apps.v1.DaemonSet(name, object as k8s.apps.v1.DaemonSetArgs, opts);
        case "StatefulSet":
            return new k8s.apps.v1.StatefulSet(name, object as k8s.apps.v1.StatefulSetArgs, opts);
        case "Job":
            return new k8s.batch.v1.Job(name, object as k8s.batch.v1.JobArgs, opts);
        default:
            return new k8s.apps.v1.Deployment(name, object as k8s.apps.v1.DeploymentArgs, opts);
    }
}

/** Workloads with every dependency first (defineApp rejects cycles). */
/**
 * `host:port` (with `/udp` for UDP, as the Docker target reports them) of a public Service: the
 * load balancer's address for LoadBalancer, the node address and allocated node port for NodePort.
 */
function publicEndpoints(svc: k8s.core.v1.Service, type: PublishedServiceType, nodeAddress: string): pulumi.Output<string[]> {
    return pulumi.all([svc.spec, svc.status]).apply(([spec, status]) => {
        const ingress = status?.loadBalancer?.ingress?.[0];
        const host = type === "LoadBalancer" ? ingress?.hostname || ingress?.ip || "(pending)" : nodeAddress;
        return (spec?.ports ?? []).map((port) => {
            const n = type === "LoadBalancer" ? port.port : port.nodePort;
            return `${host.includes(":") ? `[${host}]` : host}:${n}${port.protocol === "UDP" ? "/udp" : ""}`;
        });
    });
}
