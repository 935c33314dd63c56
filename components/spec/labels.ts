/**
 * Labels dockyard puts on everything it creates, so `docker ps --filter label=dev.dockyard.app=x`
 * (or a Kubernetes selector) finds an application's resources. Reverse-DNS keys, as Docker asks.
 */
export const LABEL_APP = "dev.dockyard.app";
export const LABEL_SERVICE = "dev.dockyard.service";
export const LABEL_MANAGED_BY = "dev.dockyard.managed-by";
/** Replica number of a container on a Docker host (1-based). */
export const LABEL_REPLICA = "dev.dockyard.replica";

/**
 * Prefix of the labels that opt a service out of one rule of the CIS policy pack (policy/):
 * `dev.dockyard.cis.skip.<id>: <reason>`. A reason is free text, so on Kubernetes it is usually an
 * annotation of the pod template, where the pack reads it too.
 */
export const LABEL_CIS_SKIP_PREFIX = "dev.dockyard.cis.skip.";

/** The labels every resource of `app` carries, plus the caller's extra labels. */
export function appLabels(app: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, [LABEL_APP]: app, [LABEL_MANAGED_BY]: "dockyard" };
}

/** The labels of one service's resources. */
export function serviceLabels(app: string, service: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...appLabels(app, extra), [LABEL_SERVICE]: service };
}
