/**
 * The Kubernetes target: an app becomes a namespace of Secrets, ConfigMaps, claims, workloads,
 * Services, Ingresses, NetworkPolicies and autoscalers, plus the RBAC objects of services that use the API. The semantics live in the pure converters next to
 * this file; this class only checks everything first, then creates the resources in order.
 */
import * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { dependencyOrder } from "../../spec/order";
import { AppSpec } from "../../spec/types";
import { usedFileContents } from "../file-sources";
import { DOCKER, DOCKER_FACTORIES } from "../docker-factories";
import { ImageSettings, planBuild, unbuiltWarning } from "../images";
import { podSpecOf, toRegistrySecret } from "./registry";
import { ResourceFactories } from "../materialize";
import { Plan, PlanOptions } from "../plan";
import { PlanBuilder } from "../plan-builder";
import { Discovery, Target } from "../target";
import { LABEL_COMPONENT, LABEL_PART_OF } from "./labels";
import { toHpa } from "./autoscaling";
import { convertContext } from "./context";
import { kubeName, toLabelValue } from "./names";
import { toNamespace } from "./namespace";
import { toNetworkPolicy } from "./network-policy";
import { KubernetesTargetArgs, PublishedServiceType } from "./options";
import { toClusterRole, toClusterRoleBinding, toServiceAccount } from "./rbac";
import { toConfigMap, toSecret } from "./secrets-configs";
import { publishedServiceType, toAliasServices, toClusterService, toIngress, toPublicService } from "./services";
import { toBindConfigMap } from "./project-files";
import { toPersistentVolumeClaim } from "./storage";
import { kubernetesFindings } from "./support";
import { toWorkload, Workload } from "./workloads";

export * from "./autoscaling";
export * from "./context";
export * from "./labels";
export * from "./names";
export * from "./namespace";
export * from "./network-policy";
export * from "./options";
export * from "./placement";
export * from "./pod";
export * from "./probes";
export * from "./project-files";
export * from "./rbac";
export * from "./registry";
export * from "./resources";
export * from "./secrets-configs";
export * from "./services";
export * from "./storage";
export * from "./support";
export * from "./workloads";

type Converted = ReturnType<typeof convertApp>;

/** Every object the target will create, converted and checked. Pure. */
export function convertApp(spec: AppSpec, args: KubernetesTargetArgs, labels: Record<string, string> = {}) {
    const ctx = convertContext(spec, args, labels);
    const workloads = Object.values(spec.services).map((s) => {
        const { kind, object } = toWorkload(ctx, s);
        const serviceAccount = toServiceAccount(ctx, s);
        const rbac = serviceAccount ? { serviceAccount, clusterRole: toClusterRole(ctx, s)!, clusterRoleBinding: toClusterRoleBinding(ctx, s)! } : undefined;
        return {
            service: s, kind, object, services: { service: toClusterService(ctx, s, kind), public: toPublicService(ctx, s) },
            aliases: toAliasServices(ctx, s, kind), ingress: toIngress(ctx, s, kind), hpa: toHpa(ctx, s, kind), rbac,
        };
    });
    // StatefulSets claim their own volumes from templates; only the others get shared claims.
    const templated = new Set(workloads.filter((w) => w.kind === "StatefulSet").flatMap((w) => w.service.mounts.flatMap((m) => (m.type === "volume" && m.source ? [m.source] : []))));
    const claims = Object.values(spec.volumes).filter((v) => !v.external && !templated.has(v.key)).map((v) => ({ key: v.key, object: toPersistentVolumeClaim(ctx, v) }));
    const policies = Object.values(spec.networks).flatMap((n) => {
        const p = toNetworkPolicy(ctx, n);
        return p ? [{ key: n.key, object: p }] : [];
    });
    // Files of the project bound into services: a ConfigMap per bind, keyed `<service>/<index>`.
    const bindConfigMaps = [...ctx.projectMounts].map(([key, pm]) => {
        const slash = key.lastIndexOf("/");
        const [service, index] = [key.slice(0, slash), Number(key.slice(slash + 1))];
        return { key, object: toBindConfigMap(ctx, service, index, pm) };
    });
    return { ctx, namespace: args.namespace === undefined ? toNamespace(ctx) : undefined, workloads, claims, policies, bindConfigMaps, registrySecret: toRegistrySecret(ctx) };
}

const KINDS = {
    Namespace: "kubernetes:core/v1:Namespace",
    Secret: "kubernetes:core/v1:Secret",
    ConfigMap: "kubernetes:core/v1:ConfigMap",
    PersistentVolumeClaim: "kubernetes:core/v1:PersistentVolumeClaim",
    NetworkPolicy: "kubernetes:networking.k8s.io/v1:NetworkPolicy",
    ServiceAccount: "kubernetes:core/v1:ServiceAccount",
    ClusterRole: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole",
    ClusterRoleBinding: "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
    Deployment: "kubernetes:apps/v1:Deployment",
    StatefulSet: "kubernetes:apps/v1:StatefulSet",
    DaemonSet: "kubernetes:apps/v1:DaemonSet",
    Job: "kubernetes:batch/v1:Job",
    CronJob: "kubernetes:batch/v1:CronJob",
    Service: "kubernetes:core/v1:Service",
    Ingress: "kubernetes:networking.k8s.io/v1:Ingress",
    HorizontalPodAutoscaler: "kubernetes:autoscaling/v2:HorizontalPodAutoscaler",
} as const;

/** How the Kubernetes target's planned objects are created, by type token. */
/** The plan's name of the Docker engine that builds and pushes images for the cluster. */
const BUILDER = "builder";

export const KUBERNETES_FACTORIES: ResourceFactories = {
    // Images built and pushed for the cluster, on a Docker engine.
    [DOCKER.remoteImage]: DOCKER_FACTORIES[DOCKER.remoteImage],
    [DOCKER.registryImage]: DOCKER_FACTORIES[DOCKER.registryImage],
    [KINDS.Namespace]: (n, a, o) => new k8s.core.v1.Namespace(n, a as k8s.core.v1.NamespaceArgs, o),
    [KINDS.Secret]: (n, a, o) => new k8s.core.v1.Secret(n, a as k8s.core.v1.SecretArgs, o),
    [KINDS.ConfigMap]: (n, a, o) => new k8s.core.v1.ConfigMap(n, a as k8s.core.v1.ConfigMapArgs, o),
    [KINDS.PersistentVolumeClaim]: (n, a, o) => new k8s.core.v1.PersistentVolumeClaim(n, a as k8s.core.v1.PersistentVolumeClaimArgs, o),
    [KINDS.NetworkPolicy]: (n, a, o) => new k8s.networking.v1.NetworkPolicy(n, a as k8s.networking.v1.NetworkPolicyArgs, o),
    [KINDS.ServiceAccount]: (n, a, o) => new k8s.core.v1.ServiceAccount(n, a as k8s.core.v1.ServiceAccountArgs, o),
    [KINDS.ClusterRole]: (n, a, o) => new k8s.rbac.v1.ClusterRole(n, a as k8s.rbac.v1.ClusterRoleArgs, o),
    [KINDS.ClusterRoleBinding]: (n, a, o) => new k8s.rbac.v1.ClusterRoleBinding(n, a as k8s.rbac.v1.ClusterRoleBindingArgs, o),
    [KINDS.Deployment]: (n, a, o) => new k8s.apps.v1.Deployment(n, a as k8s.apps.v1.DeploymentArgs, o),
    [KINDS.StatefulSet]: (n, a, o) => new k8s.apps.v1.StatefulSet(n, a as k8s.apps.v1.StatefulSetArgs, o),
    [KINDS.DaemonSet]: (n, a, o) => new k8s.apps.v1.DaemonSet(n, a as k8s.apps.v1.DaemonSetArgs, o),
    [KINDS.Job]: (n, a, o) => new k8s.batch.v1.Job(n, a as k8s.batch.v1.JobArgs, o),
    [KINDS.CronJob]: (n, a, o) => new k8s.batch.v1.CronJob(n, a as k8s.batch.v1.CronJobArgs, o),
    [KINDS.Service]: (n, a, o) => new k8s.core.v1.Service(n, a as k8s.core.v1.ServiceArgs, o),
    [KINDS.Ingress]: (n, a, o) => new k8s.networking.v1.Ingress(n, a as k8s.networking.v1.IngressArgs, o),
    [KINDS.HorizontalPodAutoscaler]: (n, a, o) => new k8s.autoscaling.v2.HorizontalPodAutoscaler(n, a as k8s.autoscaling.v2.HorizontalPodAutoscalerArgs, o),
};

export class KubernetesTarget implements Target {
    public readonly kind = "kubernetes" as const;
    public readonly factories = KUBERNETES_FACTORIES;

    constructor(private readonly args: KubernetesTargetArgs = {}) {}

    public discovery(): Discovery {
        return {
            services: {
                kind: "kubernetes-pods",
                // The selector labels the Kubernetes target puts on every pod: app and service.
                appLabel: LABEL_PART_OF,
                serviceLabel: LABEL_COMPONENT,
                appValue: toLabelValue,
                serviceValue: kubeName,
            },
            engines: { kind: "none", reason: "Kubernetes nodes have no Docker engine metrics endpoint to scrape" },
            privileged: true,
            joinsAppNetworks: false,
        };
    }

    public plan(spec: AppSpec, opts: PlanOptions): Plan {
        const b = new PlanBuilder("kubernetes", spec, opts.name);
        b.findings.push(...kubernetesFindings(spec));
        if (!this.args.registry) for (const s of Object.values(spec.services)) if (s.build) b.warn(`services.${s.name}.build`, unbuiltWarning("kubernetes", s));
        let p: Converted | undefined;
        b.attempt(() => {
            p = convertApp(spec, this.args, opts.labels ?? {});
        });
        // Read every secret and config before planning anything: a missing file must not leave half an app.
        let contents = { secrets: {} as Record<string, pulumi.Input<string>>, configs: {} as Record<string, pulumi.Input<string>> };
        b.attempt(() => {
            contents = { secrets: usedFileContents(spec, "secret"), configs: usedFileContents(spec, "config") };
        });
        const endpoints: Record<string, { resource: string; type: PublishedServiceType }> = Object.create(null);
        if (p && !b.hasErrors()) this.planResources(b, spec, p, contents, endpoints);
        const services: Record<string, string[]> = Object.create(null);
        for (const s of Object.values(spec.services)) services[s.name] = [kubeName(s.name)];
        const networks: Record<string, string> = Object.create(null);
        for (const key of Object.keys(spec.networks)) networks[key] = kubeName(key);
        const volumes: Record<string, string> = Object.create(null);
        for (const key of Object.keys(spec.volumes)) volumes[key] = kubeName(key);
        return b.build({ services, networks, volumes }, { kind: "kubernetes-services", services: endpoints, nodeAddress: this.args.nodeAddress ?? "localhost" }, {
            ...(this.args.provider ? { provider: this.args.provider } : {}),
            // Images are built and pushed by a Docker engine: the builder, else the ambient docker provider.
            ...(this.args.builder ? { providers: { [BUILDER]: this.args.builder } } : {}),
        });
    }

    private planResources(b: PlanBuilder, spec: AppSpec, p: Converted, contents: { secrets: Record<string, pulumi.Input<string>>; configs: Record<string, pulumi.Input<string>> },
        endpoints: Record<string, { resource: string; type: PublishedServiceType }>): void {
        const ns = p.namespace ? b.add("namespace", KINDS.Namespace, p.namespace, { name: b.name("namespace") }) : undefined;
        const inNs = ns ? [ns] : [];
        // Objects carry fixed names (the Compose names), so a replacement must delete the old object first.
        const fixed = { deleteBeforeReplace: true };
        for (const [key, content] of Object.entries(contents.secrets)) {
            b.add(`secret/${key}`, KINDS.Secret, toSecret(p.ctx, spec.secrets[key], pulumi.secret(content)), { dependsOn: inNs, options: fixed, name: b.name(`secret-${key}`) });
        }
        for (const [key, content] of Object.entries(contents.configs)) {
            b.add(`config/${key}`, KINDS.ConfigMap, toConfigMap(p.ctx, spec.configs[key], content), { dependsOn: inNs, options: fixed, name: b.name(`config-${key}`) });
        }
        for (const c of p.bindConfigMaps) {
            b.add(`bind/${c.key}`, KINDS.ConfigMap, c.object, { dependsOn: inNs, options: fixed, name: b.name(`bind-${c.key.replace("/", "-")}`) });
        }
        for (const c of p.claims) {
            // Deleting a claim deletes its data: keep it when the app is removed, as Compose keeps volumes.
            b.add(`volume/${c.key}`, KINDS.PersistentVolumeClaim, c.object, { dependsOn: inNs, options: { retainOnDelete: true }, name: b.name(`volume-${c.key}`) });
        }
        for (const w of p.policies) b.add(`network/${w.key}`, KINDS.NetworkPolicy, w.object, { dependsOn: inNs, name: b.name(`network-${w.key}`) });
        const registrySecret = p.registrySecret;
        const pullSecret = registrySecret ? [b.add("registry-secret", KINDS.Secret, registrySecret, { dependsOn: inNs, options: fixed, name: b.name("registry-secret") })] : [];
        const registry = p.ctx.options.registry;
        const settings: ImageSettings = { projectDir: p.ctx.options.projectDir, provider: BUILDER, ...(registry ? { registry } : {}) };

        for (const w of dependencyOrder(spec).map((svc) => p.workloads.find((x) => x.service.name === svc.name)!)) {
            const s = w.service;
            const base = kubeName(s.name);
            const access: string[] = [];
            if (w.rbac) {
                // Fixed names, and a binding's roleRef is immutable: a replacement must delete first.
                const sa = b.add(`service-account/${s.name}`, KINDS.ServiceAccount, w.rbac.serviceAccount, { dependsOn: inNs, options: fixed, name: b.name(`${base}-service-account`) });
                const cr = b.add(`cluster-role/${s.name}`, KINDS.ClusterRole, w.rbac.clusterRole, { options: fixed, name: b.name(`${base}-cluster-role`) });
                // The pods' first API calls must not meet a 403 because the binding is not there yet.
                access.push(b.add(`cluster-role-binding/${s.name}`, KINDS.ClusterRoleBinding, w.rbac.clusterRoleBinding, { dependsOn: [sa, cr], options: fixed, name: b.name(`${base}-cluster-role-binding`) }));
            }
            if (s.build && registry) {
                // Built by the builder, pushed, and run by the registry's digest (a new digest rolls the workload out).
                const built = planBuild(b, s, settings);
                podSpecOf(w.object as { spec?: unknown }).containers[0].image = built.image;
            }
            const needs = [
                ...inNs,
                ...pullSecret,
                ...access,
                ...s.secrets.map((r) => `secret/${r.source}`),
                ...s.configs.map((r) => `config/${r.source}`),
                ...s.mounts.map((_m, i) => `bind/${s.name}/${i}`),
                ...s.mounts.flatMap((m) => (m.type === "volume" && m.source ? [`volume/${m.source}`] : [])),
                // Pulumi waits for a workload to be ready (a Job to complete), so this is depends_on with a healthy/completed condition.
                ...s.dependsOn.map((d) => `workload/${d.service}`),
            ].filter((k) => b.has(k));
            // A Job's new template or a StatefulSet's new claim templates replace the object: delete first (fixed names).
            const workload = b.add(`workload/${s.name}`, KINDS[w.kind], w.object, { dependsOn: needs, options: fixed, name: b.name(base) });
            for (const suffix of ["service", "public"] as const) {
                const svc = w.services[suffix];
                if (!svc) continue;
                const key = b.add(`${suffix}/${s.name}`, KINDS.Service, svc, { dependsOn: inNs, options: fixed, name: b.name(`${base}-${suffix}`) });
                if (suffix === "public") endpoints[s.name] = { resource: key, type: publishedServiceType(p.ctx, s) as PublishedServiceType };
            }
            for (const a of w.aliases) b.add(`alias/${s.name}/${a.alias}`, KINDS.Service, a.object, { dependsOn: inNs, options: fixed, name: b.name(`${base}-alias-${a.alias}`) });
            // Pulumi waits for an Ingress to get an address from the cluster's ingress controller.
            if (w.ingress) b.add(`ingress/${s.name}`, KINDS.Ingress, w.ingress, { dependsOn: inNs, options: fixed, name: b.name(`${base}-ingress`) });
            if (w.hpa) b.add(`hpa/${s.name}`, KINDS.HorizontalPodAutoscaler, w.hpa, { dependsOn: [workload], name: b.name(`${base}-hpa`) });
        }
    }
}
