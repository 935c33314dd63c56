import * as pulumi from "@pulumi/pulumi";
import { AppSpec } from "./spec/types";
import { Target } from "./targets/target";

/** Arguments of {@link App}. */
export interface AppArgs {
    /** The application: the result of `defineApp()` or `loadCompose()`. */
    readonly spec: AppSpec;
    /** Where it runs: a `DockerHost`'s target, a `SwarmCluster`'s, a `KubernetesTarget`. */
    readonly target: Target;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

/** An application deployed to a target: networks, volumes, images and workloads as children. */
export class App extends pulumi.ComponentResource {
    /** The normalized application this component deployed. */
    public readonly spec: AppSpec;
    /** Published endpoints (`host:port`) by service name. */
    public readonly endpoints: pulumi.Output<Record<string, string[]>>;

    constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dockyard:index:App", name, {}, opts);
        this.spec = args.spec;
        const deployed = args.target.deploy(this.spec, { name, parent: this, labels: args.labels ?? {} });
        this.endpoints = deployed.endpoints;
        this.registerOutputs({ endpoints: this.endpoints });
    }
}

