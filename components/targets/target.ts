/**
 * The contract between the application model and a runtime. A target turns an `AppSpec` into
 * provider resources; components (`App`, `Monitoring`, `Portainer`) only ever talk to this.
 */
import * as pulumi from "@pulumi/pulumi";
import { AppSpec } from "../spec/types";

export type TargetKind = "docker" | "swarm" | "kubernetes";

/** Options a component passes to `Target.deploy`. */
export interface DeployOptions {
    /** Pulumi name prefix of the resources (`<name>-<role>`); usually the component's name. */
    readonly name: string;
    /** Parent of every resource the target creates. */
    readonly parent: pulumi.Resource;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

/** What a deployment exposes back to the component. */
export interface DeployedApp {
    /** Published endpoints by service name, e.g. `{ wordpress: ["http://localhost:8080"] }`. */
    readonly endpoints: pulumi.Output<Record<string, string[]>>;
    /** The resources created, by role name (`<service>-<n>`, `network-<key>`…), for dependsOn. */
    readonly resources: Record<string, pulumi.Resource>;
}

export interface Target {
    readonly kind: TargetKind;
    /** Creates the resources of `spec` under `opts.parent`. Throws SpecError before creating anything when the spec cannot run on this target. */
    deploy(spec: AppSpec, opts: DeployOptions): DeployedApp;
}
