/**
 * Restart policy of a Swarm service, mirroring `convertRestartPolicy` of docker/cli's
 * `cli/compose/convert/service.go`: `deploy.restart_policy` wins; otherwise the service's
 * `restart` is translated.
 */
import * as docker from "@pulumi/docker";
import { SpecError } from "../../spec/errors";
import { runsOnce } from "../../spec/lifecycle";
import { AppSpec, ServiceSpec } from "../../spec/types";
import { goShortDuration } from "../../spec/units";

type RestartPolicy = docker.types.input.ServiceTaskSpecRestartPolicy;

const CONDITIONS = ["none", "on-failure", "any"];

/** Swarm's (and Compose's) delay between restarts when none is written. */
export const DEFAULT_RESTART_DELAY_MS = 5_000;

/**
 * The Swarm restart policy of `service`, or undefined to keep Swarm's default (`any`, 5s delay).
 *
 * - `deploy.restartPolicy` is taken as written (condition, delay, max attempts, window).
 * - Otherwise `restart: always | unless-stopped` → `any`, `on-failure[:N]` → `on-failure` with
 *   N attempts, `no` → `none`.
 * - A service that sets no restart policy at all gets Swarm's default, as with
 *   `docker stack deploy`: an orchestrator that does not restart crashed tasks is rarely wanted —
 *   unless it runs once (another service waits for it to complete, see spec/lifecycle): then
 *   `none`, so that its task completes instead of running again forever, as it stays exited on a
 *   Docker host and is a Job on Kubernetes.
 *   (`docker stack deploy` also maps an explicit `restart: "no"` to Swarm's default; dockyard
 *   honours it as `none`, because that is what the author wrote.)
 *
 * A policy that is sent always carries `delay` and `window`: the provider sends every field of
 * the block, an unset duration as 0 (no back-off between restarts, where Compose and Swarm wait
 * 5s), and reads both back (`"0s"` for the window), so an unset one would also show as a change
 * on every preview. They are written as the provider reads them back ({@link goShortDuration}).
 *
 * @param where path of the service in the description, for errors (`services.web`).
 */
export function toRestartPolicy(app: AppSpec, service: ServiceSpec, where: string): RestartPolicy | undefined {
    const rp = service.deploy.restartPolicy;
    if (rp) {
        if (!CONDITIONS.includes(rp.condition)) {
            throw new SpecError('unknown restart condition: use "none", "on-failure" or "any"', `${where}.deploy.restartPolicy.condition`, rp.condition);
        }
        return {
            condition: rp.condition,
            delay: goShortDuration(rp.delayMs ?? DEFAULT_RESTART_DELAY_MS),
            ...(rp.maxAttempts !== undefined ? { maxAttempts: rp.maxAttempts } : {}),
            window: goShortDuration(rp.windowMs ?? 0),
        };
    }
    const restart = service.restart;
    const timing = { delay: goShortDuration(DEFAULT_RESTART_DELAY_MS), window: goShortDuration(0) };
    if (restart.implicit) return runsOnce(app, service) ? { condition: "none", ...timing } : undefined;
    switch (restart.policy) {
        case "always":
        case "unless-stopped":
            return { condition: "any", ...timing };
        case "on-failure":
            // docker/cli drops a count of 0: Swarm reads 0 attempts as "unlimited".
            return { condition: "on-failure", ...timing, ...(restart.maxRetries ? { maxAttempts: restart.maxRetries } : {}) };
        case "no":
            return { condition: "none", ...timing };
        default:
            throw new SpecError('unknown restart policy: use "no", "always", "unless-stopped", "on-failure" or "on-failure:N"', `${where}.restart`, restart.policy);
    }
}
