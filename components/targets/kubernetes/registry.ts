/**
 * A private registry on Kubernetes: its credentials as an image pull Secret of the app's namespace
 * (type `kubernetes.io/dockerconfigjson`, what `kubectl create secret docker-registry` makes),
 * which every pod of the app names in `imagePullSecrets`; and the image a workload runs when the
 * target built and pushed it.
 */
import type * as k8s from "@pulumi/kubernetes";
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../../spec/errors";
import { ConvertContext } from "./context";
import { appObjectLabels } from "./labels";

/** Name of the image pull Secret the target makes from the registry's credentials. */
export const REGISTRY_PULL_SECRET = "dockyard-registry";

/** Whether the app's pods pull with the target registry's credentials. */
export function pullsWithRegistry(ctx: ConvertContext): boolean {
    const r = ctx.options.registry;
    return r !== undefined && r.username !== undefined && r.password !== undefined;
}

/** The image pull Secret of the target registry's credentials; undefined for an anonymous registry. */
export function toRegistrySecret(ctx: ConvertContext): k8s.types.input.core.v1.Secret | undefined {
    const r = ctx.options.registry;
    if (!r || r.username === undefined || r.password === undefined) return undefined;
    for (const src of Object.values(ctx.app.secrets)) {
        if ((src.name ?? src.key) === REGISTRY_PULL_SECRET) {
            throw new SpecError(`the name ${REGISTRY_PULL_SECRET} is the image pull Secret of the target's registry; name this secret otherwise`, `secrets.${src.key}`, src.name ?? src.key);
        }
    }
    const config = pulumi.all([r.username, r.password]).apply(([username, password]) =>
        JSON.stringify({ auths: { [r.host]: { username, password, auth: Buffer.from(`${username}:${password}`).toString("base64") } } }));
    return {
        apiVersion: "v1",
        kind: "Secret",
        metadata: { name: REGISTRY_PULL_SECRET, namespace: ctx.namespace, labels: appObjectLabels(ctx) },
        type: "kubernetes.io/dockerconfigjson",
        stringData: { ".dockerconfigjson": pulumi.secret(config) },
    };
}

/** The pod spec of a workload object, whatever its kind (a CronJob's is in its job template). */
export function podSpecOf(workload: { spec?: any }): { containers: { image?: unknown }[] } {
    const spec = workload.spec;
    return (spec.jobTemplate ? spec.jobTemplate.spec.template.spec : spec.template.spec) as { containers: { image?: unknown }[] };
}
