/**
 * How long a service runs, decided once in the model so that every target gives it the same
 * behaviour: a service that runs to completion (a migration, a backup, wp-cli) is a container left
 * exited on a Docker host, a task that is never restarted on Swarm, and a Job on Kubernetes.
 */
import { AppSpec, ServiceSpec } from "./types";

/** True when another service waits for `s` to finish (`depends_on` with `condition: service_completed_successfully`). */
export function awaitedToComplete(app: AppSpec, s: ServiceSpec): boolean {
    return Object.values(app.services).some((o) => o.dependsOn.some((d) => d.service === s.name && d.condition === "completed"));
}

/**
 * True when `s` runs once instead of serving: `deploy.restart_policy.condition: none`, or another
 * service waits for it to complete. A plain `restart: "no"` does not count: it is Compose's
 * default, common on servers, and says nothing about intent.
 */
export function runsOnce(app: AppSpec, s: ServiceSpec): boolean {
    return s.deploy.restartPolicy?.condition === "none" || awaitedToComplete(app, s);
}
