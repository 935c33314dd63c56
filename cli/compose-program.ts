/**
 * The program `dockyard render --target <kind> <files>` evaluates: the Compose files as one App on
 * a default target of that kind (local engine socket, current kubeconfig context).
 */
import * as docker from "@pulumi/docker";
import { App, locateFinding } from "../components/app";
import { loadCompose, LoadComposeOptions } from "../components/compose";
import { Finding, Plan } from "../components/targets/plan";
import { DockerTarget } from "../components/targets/docker";
import { KubernetesTarget, KubernetesTargetArgs } from "../components/targets/kubernetes";
import { SwarmTarget } from "../components/targets/swarm";
import { Target } from "../components/targets/target";

import { isTargetKind, TARGET_KINDS, TargetKindName } from "./target-kinds";

export { isTargetKind, TARGET_KINDS, TargetKindName };

/**
 * Settings of the target `render --target` uses, from the command line; only the Kubernetes target
 * takes any (the Docker and Swarm targets' settings are the engine's).
 */
export interface TargetSettings {
    readonly kubernetes?: Omit<KubernetesTargetArgs, "provider">;
}

/** A target of `kind` with default settings (or `settings`), as `render --target` uses. */
export function defaultTarget(kind: TargetKindName, settings: TargetSettings = {}): Target {
    switch (kind) {
        case "docker":
            return new DockerTarget();
        case "swarm":
            return new SwarmTarget({ provider: new docker.Provider("swarm-manager", { host: "unix:///var/run/docker.sock" }) });
        case "kubernetes":
            return new KubernetesTarget(settings.kubernetes ?? {});
    }
}

/** The name the App component gets: the Compose project's name is already in every resource name. */
export const COMPOSE_APP_NAME = "app";

export function composeProgram(kind: string, files: string[], options: LoadComposeOptions = {}, settings: TargetSettings = {}): () => unknown {
    if (!isTargetKind(kind)) throw new Error(`unknown target "${kind}": use ${TARGET_KINDS.join(", ")}`);
    return () => {
        const app = App.fromCompose(COMPOSE_APP_NAME, { files, target: defaultTarget(kind, settings), ...options });
        return { endpoints: app.endpoints };
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
    const target = kind === "swarm" ? new SwarmTarget() : defaultTarget(kind, settings);
    return { plan: target.plan(spec, { name: COMPOSE_APP_NAME }), tell: locateFinding(spec) };
}
