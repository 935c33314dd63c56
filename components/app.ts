import * as pulumi from "@pulumi/pulumi";
import { ComposeError, inComposeTerms, loadCompose, LoadComposeOptions } from "./compose";
import { SpecError } from "./spec/errors";
import { AppSpec } from "./spec/types";
import { assertNoErrors } from "./targets/materialize";
import { Finding, Plan } from "./targets/plan";
import { deployPlan, Target } from "./targets/target";

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

/** How findings of a plan of `spec` are told: in Compose terms and with the file when it came from Compose files. */
export type FindingTeller = (f: Finding) => string;

/**
 * Plans `spec` on `target` and throws the first error (with how many more), told by `tell`'s
 * rules; returns the plan when it has none. Nothing is created either way.
 */
export function checkedPlan(target: Target, spec: AppSpec, name: string, labels: Record<string, string> = {}, file?: string): Plan {
    const plan = target.plan(spec, { name, labels });
    try {
        assertNoErrors(plan);
    } catch (e) {
        if (file !== undefined && e instanceof SpecError) throw inComposeTerms(e, file, spec);
        throw e;
    }
    return plan;
}

/** An application deployed to a target: networks, volumes, images and workloads as children. */
export class App extends pulumi.ComponentResource {
    /** The normalized application this component deployed. */
    public readonly spec: AppSpec;
    /** What the target planned for it (resources, findings, names). */
    public readonly plan: Plan;
    /** Published endpoints (`host:port`, `host:port/udp`) by service name. */
    public readonly endpoints: pulumi.Output<Record<string, string[]>>;

    constructor(name: string, args: AppArgs, opts?: pulumi.ComponentResourceOptions) {
        // Planned before anything exists, the component included: a refused app creates nothing.
        const plan = checkedPlan(args.target, args.spec, name, args.labels ?? {}, composeFile(args.spec));
        super("dockyard:index:App", name, {}, opts);
        this.spec = args.spec;
        this.plan = plan;
        this.endpoints = deployPlan(args.target, plan, this, tellFinding(args.spec)).endpoints;
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
            if (e instanceof SpecError) throw e;
            // Anything else is dockyard's bug; the message still says which file it was converting.
            const file = typeof files === "string" ? files : files[0];
            const error = new ComposeError(`internal error while converting for the target: ${(e as Error)?.name ?? "Error"}: ${(e as Error)?.message ?? String(e)}`, "", undefined, file);
            (error as { cause?: unknown }).cause = e;
            throw error;
        }
    }
}

/** The first Compose file `spec` was loaded from, if it was. */
function composeFile(spec: AppSpec): string | undefined {
    return spec.source?.split(", ")[0];
}

/** Where a finding is, in the terms of the description: Compose key names and the file for a Compose app. */
export function locateFinding(spec: AppSpec): FindingTeller {
    const file = composeFile(spec);
    if (file === undefined) return (f) => f.path;
    return (f) => {
        // With the spec, the path is the one the user wrote (their list indices), in the file that set it, at its line.
        const e = inComposeTerms(new SpecError(f.message, f.path), file, spec) as SpecError & { line?: number };
        return `${e.file}${e.line !== undefined ? `:${e.line}` : ""}: ${e.path}`;
    };
}

/** A finding told in the terms of the description (see {@link locateFinding}). */
export function tellFinding(spec: AppSpec): FindingTeller {
    const locate = locateFinding(spec);
    return (f) => `${locate(f)}: ${f.message}`;
}
