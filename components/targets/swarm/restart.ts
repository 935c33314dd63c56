/**
 * Restart policy of a Swarm service, mirroring `convertRestartPolicy` of docker/cli's
 * `cli/compose/convert/service.go`: `deploy.restart_policy` wins; otherwise the service's
 * `restart` is translated.
 */
import * as docker from "@pulumi/docker";
import { SpecError } from "../../spec/errors";
import { ServiceSpec } from "../../spec/types";
import { formatDuration } from "../../spec/units";

type RestartPolicy = docker.types.input.ServiceTaskSpecRestartPolicy;

const CONDITIONS = ["none", "on-failure", "any"];

/**
 * The Swarm restart policy of `service`, or undefined to keep Swarm's default (`any`, 5s delay).
 *
 * - `deploy.restartPolicy` is taken as written (condition, delay, max attempts, window).
 * - Otherwise `restart: always | unless-stopped` → `any`, `on-failure[:N]` → `on-failure` with
 *   N attempts, `no` → `none`.
 * - A service that sets no restart policy at all gets Swarm's default, as with
 *   `docker stack deploy`: an orchestrator that does not restart crashed tasks is rarely wanted.
 *   (`docker stack deploy` also maps an explicit `restart: "no"` to Swarm's default; dockyard
 *   honours it as `none`, because that is what the author wrote.)
 *
 * @param where path of the service in the description, for errors (`services.web`).
 */
export function toRestartPolicy(service: ServiceSpec, where: string): RestartPolicy | undefined {
    const rp = service.deploy.restartPolicy;
    if (rp) {
        if (!CONDITIONS.includes(rp.condition)) {
            throw new SpecError('unknown restart condition: use "none", "on-failure" or "any"', `${where}.deploy.restartPolicy.condition`, rp.condition);
        }
        return {
            condition: rp.condition,
            ...(rp.delayMs !== undefined ? { delay: formatDuration(rp.delayMs) } : {}),
            ...(rp.maxAttempts !== undefined ? { maxAttempts: rp.maxAttempts } : {}),
            ...(rp.windowMs !== undefined ? { window: formatDuration(rp.windowMs) } : {}),
        };
    }
    const restart = service.restart;
    if (restart.implicit) return undefined;
    switch (restart.policy) {
        case "always":
        case "unless-stopped":
            return { condition: "any" };
        case "on-failure":
            // docker/cli drops a count of 0: Swarm reads 0 attempts as "unlimited".
            return { condition: "on-failure", ...(restart.maxRetries ? { maxAttempts: restart.maxRetries } : {}) };
        case "no":
            return { condition: "none" };
        default:
            throw new SpecError('unknown restart policy: use "no", "always", "unless-stopped", "on-failure" or "on-failure:N"', `${where}.restart`, restart.policy);
    }
}
