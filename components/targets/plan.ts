/**
 * The target contract's data: what a target plans for an application, as plain values. A plan is
 * computed without the Pulumi runtime (`Target.plan`), can be printed, compared and tested, and is
 * turned into resources by the one materializer (`./materialize`).
 */
import type * as pulumi from "@pulumi/pulumi";

export type FindingLevel = "error" | "warning";

/**
 * Something a target has to say about an application: a setting it refuses (`error`: nothing is
 * created) or ignores or approximates (`warning`: the application is created and the user told).
 */
export interface Finding {
    /** Where, in model terms: `services.web.resources.cpuShares`, `networks.back.driver`. */
    readonly path: string;
    readonly level: FindingLevel;
    /** What is wrong or ignored, without the location. */
    readonly message: string;
    /** The offending value (errors). */
    readonly value?: unknown;
}

/**
 * A value that exists only once another planned resource is created: `property` of the resource
 * planned under `resource`, optionally put into `template` (where `{}` stands for the value).
 */
export class Ref {
    constructor(
        /** Key of the planned resource (see `PlannedResource.key`). */
        public readonly resource: string,
        /** Output property of that resource, e.g. `id`, `imageId`, `name`. */
        public readonly property: string,
        /** e.g. `container:{}`; the bare value when absent. */
        public readonly template?: string,
    ) {}

    public toString(): string {
        const v = `${this.resource}.${this.property}`;
        return this.template ? this.template.replace("{}", `(${v})`) : `(${v})`;
    }

    public static isInstance(v: unknown): v is Ref {
        return v instanceof Ref;
    }
}

export function ref(resource: string, property: string, template?: string): Ref {
    return new Ref(resource, property, template);
}

/** Resource options a plan may set; the materializer adds parent, provider and dependencies. */
export interface PlannedOptions {
    readonly retainOnDelete?: boolean;
    readonly deleteBeforeReplace?: boolean;
    readonly ignoreChanges?: string[];
    readonly replaceOnChanges?: string[];
}

/** One resource to create, or one existing object to look up (`lookup: true`). */
export interface PlannedResource {
    /** Unique within the plan: `network/back`, `volume/data`, `container/web/1`, `image/web`, `secret/token`. */
    readonly key: string;
    /**
     * Pulumi type token of the resource (`docker:index/network:Network`) or, for a lookup, of the
     * function (`docker:index/getNetwork:getNetwork`); the materializer knows the classes.
     */
    readonly type: string;
    /** Pulumi resource name. */
    readonly name: string;
    /** The resource's arguments; may hold `Ref`s to other planned resources and Pulumi inputs (secret contents). */
    readonly args: object;
    /** Keys of planned resources this one is created after (beyond those its `Ref`s imply). */
    readonly dependsOn: readonly string[];
    readonly options?: PlannedOptions;
    /** An existing object read, not created (an external network on Swarm). */
    readonly lookup?: boolean;
    /**
     * The provider it is created with, by its name in `Plan.providers` (the docker engine that
     * builds images for Kubernetes); the ambient one of its package when the plan has none of that
     * name. @default the plan's provider
     */
    readonly provider?: string;
}

/** Names the target gives the application's objects in the runtime (engine, swarm, cluster). */
export interface PlannedNames {
    /** By service: the container names (Docker host), the service name (Swarm), the workload name (Kubernetes). */
    readonly services: Record<string, string[]>;
    readonly networks: Record<string, string>;
    readonly volumes: Record<string, string>;
}

/** How the published endpoints are read once the resources exist. */
export type EndpointsPlan =
    /** Known from the description alone (Swarm publishes what was asked). */
    | { readonly kind: "static"; readonly endpoints: Record<string, string[]> }
    /** Read back from each service's first container (Docker host: ports the engine picked). */
    | { readonly kind: "containers"; readonly containers: Record<string, string>; readonly host: string }
    /** Read back from each service's public Kubernetes Service. */
    | { readonly kind: "kubernetes-services"; readonly services: Record<string, { readonly resource: string; readonly type: "NodePort" | "LoadBalancer" }>; readonly nodeAddress: string };

export interface Plan {
    readonly target: "docker" | "swarm" | "kubernetes";
    /** The application's name. */
    readonly app: string;
    /** In creation order: every resource after the resources it depends on. */
    readonly resources: readonly PlannedResource[];
    readonly findings: readonly Finding[];
    readonly names: PlannedNames;
    readonly endpoints: EndpointsPlan;
    /** Provider every resource is created with; the ambient default when absent. */
    readonly provider?: pulumi.ProviderResource;
    /** Providers some resources name instead (`PlannedResource.provider`). */
    readonly providers?: Readonly<Record<string, pulumi.ProviderResource>>;
    /** Resources outside the plan everything waits for (the command that formed the swarm). */
    readonly dependsOn?: readonly pulumi.Input<pulumi.Resource>[];
}

/** Options of `Target.plan`. */
export interface PlanOptions {
    /** Pulumi name prefix of the resources (`<name>-<role>`); usually the component's name. */
    readonly name: string;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

export function errorsOf(plan: Pick<Plan, "findings">): Finding[] {
    return plan.findings.filter((f) => f.level === "error");
}

export function warningsOf(plan: Pick<Plan, "findings">): Finding[] {
    return plan.findings.filter((f) => f.level === "warning");
}

/**
 * A `Ref` typed as the Pulumi input it becomes, for converters whose arguments are typed with
 * the provider's input types (`image: pulumi.Input<string>`); the materializer resolves it.
 */
export function refInput<T = string>(resource: string, property: string, template?: string): pulumi.Input<T> {
    return new Ref(resource, property, template) as unknown as pulumi.Input<T>;
}
