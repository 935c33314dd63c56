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
 * True when `s` is a server whatever its restart policy says: it listens on a port (`ports` or
 * `expose`), or another service waits for it to start or to be healthy (`service_started`, the
 * short form's condition, or `service_healthy`). Such a service keeps running for the others.
 */
export function serves(app: AppSpec, s: ServiceSpec): boolean {
    if (s.ports.length > 0 || s.expose.length > 0) return true;
    return Object.values(app.services).some((o) => o.dependsOn.some((d) => d.service === s.name && d.condition !== "completed"));
}

/**
 * True when `s` runs once instead of serving:
 * 1. another service waits for it to complete (`service_completed_successfully`);
 * 2. `deploy.restart_policy.condition: none` (when `deploy.restart_policy` is written it wins, so
 *    `on-failure` and `any` there do not count: Compose's own example puts `on-failure` on a server);
 * 3. an explicit `restart: "no"` or `restart: on-failure[:N]` — unless the service {@link serves}:
 *    a service with ports, or one others start after, is a server that merely should not be
 *    restarted by hand. Compose's default (no `restart` at all) does not count: it says nothing
 *    about intent, and orchestrators restart such services.
 */
export function runsOnce(app: AppSpec, s: ServiceSpec): boolean {
    if (awaitedToComplete(app, s)) return true;
    const rp = s.deploy.restartPolicy;
    if (rp) return rp.condition === "none";
    if (s.restart.implicit || (s.restart.policy !== "no" && s.restart.policy !== "on-failure")) return false;
    return !serves(app, s);
}
