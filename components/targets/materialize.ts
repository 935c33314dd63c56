/**
 * The one materializer: turns a target's plan into Pulumi resources under a parent. Targets only
 * plan (pure); this is the only place resources of an application are created, so every target
 * gets the same parenting, provider, dependency and option handling.
 */
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../spec/errors";
import { EndpointsPlan, errorsOf, Plan, PlannedResource, Ref } from "./plan";

/** How to create one kind of planned resource (or run one kind of lookup). */
export type ResourceFactory = (name: string, args: object, opts: pulumi.CustomResourceOptions) => pulumi.Resource | pulumi.Output<unknown>;

/** Factories by Pulumi type token; each target module exports the ones it plans. */
export type ResourceFactories = Readonly<Record<string, ResourceFactory>>;

/** What a materialized plan exposes back to the component. */
export interface DeployedApp {
    /** Published endpoints by service name, e.g. `{ wordpress: ["localhost:8080"] }`. */
    readonly endpoints: pulumi.Output<Record<string, string[]>>;
    /** The resources created (and lookups run), by plan key (`<service>-<n>`, `network-<key>`…). */
    readonly resources: Record<string, pulumi.Resource>;
}

/** Throws the plan's first error as a SpecError (the others are in `plan.findings`). */
export function assertNoErrors(plan: Pick<Plan, "findings">): void {
    const [first, ...rest] = errorsOf(plan);
    if (!first) return;
    const more = rest.length ? ` (and ${rest.length} more: ${rest.map((e) => e.path).join(", ")})` : "";
    throw new SpecError(first.message + more, first.path, first.value);
}

/** Replaces every `Ref` in `value` (plain objects and arrays only) by the output it names. */
function resolveRefs(value: unknown, created: Record<string, pulumi.Resource | pulumi.Output<unknown>>, owner: string): unknown {
    if (value instanceof Ref) {
        const source = created[value.resource];
        if (source === undefined) throw new Error(`dockyard: ${owner} refers to ${value.resource}, which the plan creates later or not at all`);
        const out: pulumi.Output<unknown> = pulumi.output((source as unknown as Record<string, pulumi.Input<unknown>>)[value.property]);
        const template = value.template;
        return template === undefined ? out : out.apply((v) => template.replace("{}", String(v)));
    }
    if (Array.isArray(value)) return value.map((v) => resolveRefs(v, created, owner));
    if (value === null || typeof value !== "object" || pulumi.Output.isInstance(value) || Object.getPrototypeOf(value) !== Object.prototype) return value;
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value)) out[k] = resolveRefs(v, created, owner);
    return out;
}

/** The keys of the planned resources `value` refers to. */
export function refsIn(value: unknown, into: Set<string> = new Set()): Set<string> {
    if (value instanceof Ref) into.add(value.resource);
    else if (Array.isArray(value)) value.forEach((v) => refsIn(v, into));
    else if (value !== null && typeof value === "object" && !pulumi.Output.isInstance(value) && Object.getPrototypeOf(value) === Object.prototype) {
        Object.values(value).forEach((v) => refsIn(v, into));
    }
    return into;
}

/**
 * Creates the resources of `plan` under `parent`, in plan order. Throws (before creating
 * anything) when the plan has an error, or when it names a resource kind `factories` lacks.
 */
export function materialize(plan: Plan, factories: ResourceFactories, parent: pulumi.Resource): DeployedApp {
    assertNoErrors(plan);
    for (const r of plan.resources) {
        if (!Object.prototype.hasOwnProperty.call(factories, r.type)) throw new Error(`dockyard: no factory for ${r.type} (planned as ${r.key})`);
    }
    const created: Record<string, pulumi.Resource | pulumi.Output<unknown>> = Object.create(null); // keyed by plan keys, which hold names users choose
    const resources: Record<string, pulumi.Resource> = Object.create(null);
    const external = plan.dependsOn ?? [];
    for (const r of plan.resources) {
        const result = factories[r.type](r.name, resolveRefs(r.args, created, r.key) as object, options(plan, r, created, external, parent));
        created[r.key] = result;
        if (pulumi.Resource.isInstance(result)) resources[r.key] = result;
    }
    return { endpoints: endpoints(plan.endpoints, created), resources };
}

function options(plan: Plan, r: PlannedResource, created: Record<string, pulumi.Resource | pulumi.Output<unknown>>, external: readonly pulumi.Input<pulumi.Resource>[], parent: pulumi.Resource): pulumi.CustomResourceOptions {
    const dependsOn = r.dependsOn.map((k) => created[k]).filter((x): x is pulumi.Resource => x !== undefined && pulumi.Resource.isInstance(x));
    const all = [...external, ...dependsOn];
    const provider = r.provider !== undefined ? plan.providers?.[r.provider] : plan.provider;
    return {
        parent,
        ...(provider ? { provider } : {}),
        ...(all.length && !r.lookup ? { dependsOn: all } : {}),
        ...(r.options?.retainOnDelete ? { retainOnDelete: true } : {}),
        ...(r.options?.deleteBeforeReplace ? { deleteBeforeReplace: true } : {}),
        ...(r.options?.ignoreChanges?.length ? { ignoreChanges: [...r.options.ignoreChanges] } : {}),
        ...(r.options?.replaceOnChanges?.length ? { replaceOnChanges: [...r.options.replaceOnChanges] } : {}),
    };
}

/** The endpoints of a materialized plan, by service. */
function endpoints(e: EndpointsPlan, created: Record<string, pulumi.Resource | pulumi.Output<unknown>>): pulumi.Output<Record<string, string[]>> {
    switch (e.kind) {
        case "static":
            return pulumi.output(e.endpoints);
        case "containers": {
            const names = Object.keys(e.containers);
            const lists = names.map((s) => containerEndpoints(created[e.containers[s]] as pulumi.Resource, e.host));
            return pulumi.all(lists).apply((ls) => Object.fromEntries(names.map((n, i) => [n, ls[i]])));
        }
        case "kubernetes-services": {
            const names = Object.keys(e.services);
            const lists = names.map((s) => kubernetesEndpoints(created[e.services[s].resource] as pulumi.Resource, e.services[s].type, e.nodeAddress));
            return pulumi.all(lists).apply((ls) => Object.fromEntries(names.map((n, i) => [n, ls[i]])));
        }
    }
}

function bracketed(host: string): string {
    return host.includes(":") ? `[${host}]` : host;
}

/** `host:port` of every published port of a container (with `/udp` for UDP), as the engine reports it after creation. */
function containerEndpoints(container: pulumi.Resource, host: string): pulumi.Output<string[]> {
    const ports = (container as unknown as { ports: pulumi.Output<{ external?: number; ip?: string; protocol?: string }[] | undefined> }).ports;
    return ports.apply((list) =>
        (list ?? [])
            .filter((p) => p.external !== undefined)
            .map((p) => {
                const ip = p.ip && p.ip !== "0.0.0.0" && p.ip !== "::" ? p.ip : host;
                return `${bracketed(ip)}:${p.external}${p.protocol === "udp" ? "/udp" : ""}`;
            }),
    );
}

interface KubeServiceOutputs {
    spec: pulumi.Output<{ ports?: { port: number; nodePort?: number; protocol?: string }[] } | undefined>;
    status: pulumi.Output<{ loadBalancer?: { ingress?: { hostname?: string; ip?: string }[] } } | undefined>;
}

/**
 * `host:port` (with `/udp` for UDP) of a public Kubernetes Service: the load balancer's address
 * for LoadBalancer, the node address and allocated node port for NodePort.
 */
function kubernetesEndpoints(svc: pulumi.Resource, type: "NodePort" | "LoadBalancer", nodeAddress: string): pulumi.Output<string[]> {
    const s = svc as unknown as KubeServiceOutputs;
    return pulumi.all([s.spec, s.status]).apply(([spec, status]) => {
        const ingress = status?.loadBalancer?.ingress?.[0];
        const host = type === "LoadBalancer" ? ingress?.hostname || ingress?.ip || "(pending)" : nodeAddress;
        return (spec?.ports ?? []).map((port) => `${bracketed(host)}:${type === "LoadBalancer" ? port.port : port.nodePort}${port.protocol === "UDP" ? "/udp" : ""}`);
    });
}
