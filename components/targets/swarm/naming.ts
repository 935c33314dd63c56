/**
 * Names and labels of Swarm objects, chosen the way `docker stack deploy` chooses them, so that
 * `docker stack ls`, `docker stack services <app>` and `docker stack ps <app>` work on what
 * dockyard deployed and an operator used to stacks finds what they expect.
 */
import { AppSpec } from "../../spec/types";
import { appLabels, serviceLabels } from "../../spec/labels";

/** The label `docker stack` commands select a stack's objects by. */
export const LABEL_STACK_NAMESPACE = "com.docker.stack.namespace";
/** The image as written in the description (docker stack deploy sets it on services). */
export const LABEL_STACK_IMAGE = "com.docker.stack.image";

/** Swarm name of an app object: `<app>_<key>`, as `docker stack deploy` scopes names (see spec/names). */
export { scopedName } from "../../spec/names";

/** Labels of an app-wide object (network, volume, secret, config) of `app`. */
export function stackLabels(app: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...appLabels(app, extra), [LABEL_STACK_NAMESPACE]: app };
}

/** Labels of a service object or its containers. */
export function stackServiceLabels(app: AppSpec, service: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...serviceLabels(app.name, service, extra), [LABEL_STACK_NAMESPACE]: app.name };
}

/** The provider's `{label, value}` list form, sorted by key so previews show no spurious diffs. */
export function labelList(labels: Record<string, string>): { label: string; value: string }[] {
    return Object.keys(labels)
        .sort()
        .map((label) => ({ label, value: labels[label] }));
}
