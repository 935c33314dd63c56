/**
 * Labels dockyard puts on everything it creates, so `docker ps --filter label=dev.dockyard.app=x`
 * (or a Kubernetes selector) finds an application's resources. Reverse-DNS keys, as Docker asks.
 */
export const LABEL_APP = "dev.dockyard.app";
export const LABEL_SERVICE = "dev.dockyard.service";
export const LABEL_MANAGED_BY = "dev.dockyard.managed-by";
/** Replica number of a container on a Docker host (1-based). */
export const LABEL_REPLICA = "dev.dockyard.replica";

/** The labels every resource of `app` carries, plus the caller's extra labels. */
export function appLabels(app: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...extra, [LABEL_APP]: app, [LABEL_MANAGED_BY]: "dockyard" };
}

/** The labels of one service's resources. */
export function serviceLabels(app: string, service: string, extra: Record<string, string> = {}): Record<string, string> {
    return { ...appLabels(app, extra), [LABEL_SERVICE]: service };
}
