/**
 * Labels of the Kubernetes objects: the recommended `app.kubernetes.io/*` set, dockyard's own
 * labels (the same keys on every target), the service's Compose labels and one label per network.
 * Selectors use only labels that never change for the life of a service (part-of and component):
 * a Deployment's selector is immutable, so the image name or the user's labels must stay out of it.
 */
import { appLabels, serviceLabels } from "../../spec/labels";
import { ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { kubeName, serviceObjectName, splitLabels, toLabelValue } from "./names";

export const LABEL_NAME = "app.kubernetes.io/name";
export const LABEL_INSTANCE = "app.kubernetes.io/instance";
export const LABEL_COMPONENT = "app.kubernetes.io/component";
export const LABEL_PART_OF = "app.kubernetes.io/part-of";
export const LABEL_K8S_MANAGED_BY = "app.kubernetes.io/managed-by";
/** Prefix of the per-network pod labels: `dev.dockyard.network/<network>: "true"`. */
export const NETWORK_LABEL_PREFIX = "dev.dockyard.network/";

/** Labels of objects that belong to the app as a whole (namespace, PVCs, Secrets, policies). */
export function appObjectLabels(ctx: ConvertContext): Record<string, string> {
    return {
        ...appLabels(ctx.app.name, ctx.labels),
        [LABEL_PART_OF]: toLabelValue(ctx.app.name),
        [LABEL_K8S_MANAGED_BY]: "dockyard",
    };
}

/** The stable labels that select a service's pods. */
export function selectorLabels(ctx: ConvertContext, s: ServiceSpec): Record<string, string> {
    return {
        [LABEL_PART_OF]: toLabelValue(ctx.app.name),
        [LABEL_COMPONENT]: serviceObjectName(s.name, `services.${s.name}`),
    };
}

/** `nginx` for `docker.io/library/nginx:1.27@sha256:…`: what `app.kubernetes.io/name` means. */
export function imageBaseName(image: string): string {
    const noDigest = image.split("@")[0];
    const last = noDigest.slice(noDigest.lastIndexOf("/") + 1);
    return toLabelValue(last.split(":")[0]);
}

/** Labels of a service's workload and Services. */
export function serviceObjectLabels(ctx: ConvertContext, s: ServiceSpec): Record<string, string> {
    const name = serviceObjectName(s.name, `services.${s.name}`);
    return {
        ...serviceLabels(ctx.app.name, s.name, ctx.labels),
        [LABEL_NAME]: imageBaseName(s.image),
        [LABEL_INSTANCE]: toLabelValue(`${ctx.app.name}-${name}`),
        [LABEL_K8S_MANAGED_BY]: "dockyard",
        ...selectorLabels(ctx, s),
    };
}

/** The pod label that marks membership of network `key`. */
export function networkLabel(key: string): string {
    return NETWORK_LABEL_PREFIX + toLabelValue(kubeName(key));
}

/**
 * Labels of a service's pods: its Compose labels (those valid as Kubernetes labels), then the
 * object labels and a label per network, which win so that selectors cannot be broken.
 */
export function podLabels(ctx: ConvertContext, s: ServiceSpec): Record<string, string> {
    return {
        ...splitLabels(s.labels).labels,
        ...serviceObjectLabels(ctx, s),
        ...Object.fromEntries(s.networks.map((n) => [networkLabel(n.network), "true"])),
    };
}
