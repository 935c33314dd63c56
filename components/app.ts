import * as pulumi from "@pulumi/pulumi";
import { ComposeError, inComposeTerms, loadCompose, LoadComposeOptions } from "./compose";
import { SpecError } from "./spec/errors";
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

/** Arguments of {@link App.fromCompose}: Compose files and how to read them, plus where to run. */
export interface AppFromComposeArgs extends LoadComposeOptions {
    /** One Compose file or several, later ones overriding earlier ones. */
    readonly files: string | readonly string[];
    readonly target: Target;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

/** An application deployed to a target: networks, volumes, images and workloads as children. */
export class App extends pulumi.ComponentResource {
    /** The normalized application this component deployed. */
    public readonly spec: AppSpec;
    /** Published endpoints (`host:port`, `host:port/udp`) by service name. */
    public readonly endpoints: pulumi.Output<Record<string, string[]>>;

    constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dockyard:index:App", name, {}, opts);
        this.spec = args.spec;
        const deployed = args.target.deploy(this.spec, { name, parent: this, labels: args.labels ?? {} });
        this.endpoints = deployed.endpoints;
        this.registerOutputs({ endpoints: this.endpoints });
    }

    /**
     * The one-line way in: `App.fromCompose("shop", { files: "compose.yaml", target })`. The files
     * are loaded and validated before any resource exists; Compose warnings go to the Pulumi log.
     */
    public static fromCompose(name: string, args: AppFromComposeArgs, opts?: pulumi.ComponentResourceOptions): App {
        const { files, target, labels, ...options } = args;
        const spec = loadCompose(files, { onWarning: (w) => pulumi.log.warn(w.message), ...options });
        try {
            return new App(name, { spec, target, ...(labels ? { labels } : {}) }, opts);
        } catch (e) {
            // A target refusing the app should point at the file the user edits, in its own key names.
            const file = typeof files === "string" ? files : files[0];
            if (e instanceof SpecError) throw inComposeTerms(e, file);
            // Anything else is dockyard's bug; the message still says which file it was converting.
            const error = new ComposeError(`internal error while converting for the target: ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`, "", undefined, file);
            (error as { cause?: unknown }).cause = e;
            throw error;
        }
    }
}
