/**
 * The program `dockyard render --target <kind> <files>` evaluates: the Compose files as one App on
 * a default target of that kind (local engine socket, current kubeconfig context).
 */
import * as path from "path";
import { loadCompose, LoadComposeOptions } from "../components/compose";
import type { Finding, Plan } from "../components/targets/plan";
import type { KubernetesTargetArgs } from "../components/targets/kubernetes";
import type { Target } from "../components/targets/target";

import { isTargetKind, TARGET_KINDS, TargetKindName } from "./target-kinds";

export { isTargetKind, TARGET_KINDS, TargetKindName };

/**
 * Settings of the target `render --target` uses, from the command line; only the Kubernetes target
 * takes any (the Docker and Swarm targets' settings are the engine's).
 */
export interface TargetSettings {
    readonly kubernetes?: Omit<KubernetesTargetArgs, "provider">;
    /**
     * What build contexts are kept relative to: the Compose project's directory (the files are
     * rendered as if `pulumi` ran there). @default the directory of the first file, or `workingDir`
     */
    readonly projectDir?: string;
}

/** The Compose project's directory, as the loader resolves it. */
function composeProjectDir(files: string[], options: LoadComposeOptions): string | undefined {
    return options.workingDir !== undefined ? path.resolve(options.workingDir) : files.length ? path.dirname(path.resolve(files[0])) : undefined;
}

// The App component (it loads @pulumi/pulumi) and the Swarm target, when a render needs them.
const app = () => require("../components/app") as typeof import("../components/app");
const swarm = () => require("../components/targets/swarm") as typeof import("../components/targets/swarm");

/**
 * A target of `kind` with default settings (or `settings`), as `render --target` uses. Each target is
 * loaded when it is asked for: a Docker render does not load @pulumi/kubernetes (a fifth of a second),
 * nor a Kubernetes render @pulumi/docker.
 */
export function defaultTarget(kind: TargetKindName, settings: TargetSettings = {}): Target {
    switch (kind) {
        case "docker": {
            const { DockerTarget } = require("../components/targets/docker") as typeof import("../components/targets/docker");
            return new DockerTarget(settings.projectDir !== undefined ? { projectDir: settings.projectDir } : {});
        }
        case "swarm": {
            const docker = require("@pulumi/docker") as typeof import("@pulumi/docker");
            return new (swarm().SwarmTarget)({
                provider: new docker.Provider("swarm-manager", { host: "unix:///var/run/docker.sock" }),
                ...(settings.projectDir !== undefined ? { projectDir: settings.projectDir } : {}),
            });
        }
        case "kubernetes": {
            const { KubernetesTarget } = require("../components/targets/kubernetes") as typeof import("../components/targets/kubernetes");
            return new KubernetesTarget({ ...settings.kubernetes, ...(settings.projectDir !== undefined ? { projectDir: settings.projectDir } : {}) });
        }
    }
}

/** The name the App component gets: the Compose project's name is already in every resource name. */
export const COMPOSE_APP_NAME = "app";

export function composeProgram(kind: string, files: string[], options: LoadComposeOptions = {}, settings: TargetSettings = {}): () => unknown {
    if (!isTargetKind(kind)) throw new Error(`unknown target "${kind}": use ${TARGET_KINDS.join(", ")}`);
    return () => {
        const target = defaultTarget(kind, { projectDir: composeProjectDir(files, options), ...settings });
        const composed = app().App.fromCompose(COMPOSE_APP_NAME, { files, target, ...options });
        return { endpoints: composed.endpoints };
    };
}

/**
 * The plan `render --target <kind> --plan` prints: the Compose files' app planned on a default
 * target of that kind, without Pulumi's runtime. Loader warnings go to `onWarning`.
 */
export function composePlan(
    kind: string,
    files: string[],
    options: LoadComposeOptions,
    onWarning: (w: { message: string }) => void,
    settings: TargetSettings = {},
): { plan: Plan; tell: (f: Finding) => string } {
    if (!isTargetKind(kind)) throw new Error(`unknown target "${kind}": use ${TARGET_KINDS.join(", ")}`);
    const spec = loadCompose(files, { onWarning, ...options });
    // Planning needs no provider (a provider is a resource, and there is no runtime here): the Swarm
    // target plans the same without one.
    const projectDir = settings.projectDir ?? composeProjectDir(files, options);
    const target = kind === "swarm" ? new (swarm().SwarmTarget)(projectDir !== undefined ? { projectDir } : {}) : defaultTarget(kind, { ...(projectDir !== undefined ? { projectDir } : {}), ...settings });
    return { plan: target.plan(spec, { name: COMPOSE_APP_NAME }), tell: app().locateFinding(spec) };
}
