/** Rolling update and rollback settings of a Swarm service. */
import * as docker from "@pulumi/docker";
import { SpecError } from "../../spec/errors";
import { UpdateConfigSpec } from "../../spec/types";
import { formatDuration } from "../../spec/units";

type UpdateConfig = docker.types.input.ServiceUpdateConfig;

/**
 * `deploy.update_config` / `deploy.rollback_config` as Swarm takes them: durations as Go duration
 * strings, the failure ratio as the string the provider's schema asks for. Unset fields keep
 * Swarm's defaults (parallelism 1, delay 0s, failure action pause, monitor 5s, ratio 0,
 * order stop-first).
 *
 * @param where path of the block, for errors (`services.web.deploy.rollbackConfig`).
 * @param rollback true for a rollback config, where `failure_action: rollback` makes no sense.
 */
export function toUpdateConfig(u: UpdateConfigSpec | undefined, where: string, rollback = false): UpdateConfig | undefined {
    if (u === undefined) return undefined;
    if (rollback && u.failureAction === "rollback") {
        throw new SpecError('a rollback cannot itself roll back: use failure_action "pause" or "continue"', `${where}.failureAction`, u.failureAction);
    }
    return {
        ...(u.parallelism !== undefined ? { parallelism: u.parallelism } : {}),
        ...(u.delayMs !== undefined ? { delay: formatDuration(u.delayMs) } : {}),
        ...(u.failureAction !== undefined ? { failureAction: u.failureAction } : {}),
        ...(u.monitorMs !== undefined ? { monitor: formatDuration(u.monitorMs) } : {}),
        ...(u.maxFailureRatio !== undefined ? { maxFailureRatio: String(u.maxFailureRatio) } : {}),
        ...(u.order !== undefined ? { order: u.order } : {}),
    };
}
