/** Rolling update and rollback settings of a Swarm service. */
import * as docker from "@pulumi/docker";
import { SpecError } from "../../spec/errors";
import { UpdateConfigSpec } from "../../spec/types";
import { goShortDuration } from "../../spec/units";

type UpdateConfig = docker.types.input.ServiceUpdateConfig;

/**
 * A failure ratio as the provider reads it back: Go's `FormatFloat(float64(float32(r)), 'f', 1)`,
 * one decimal (`0` → `"0.0"`, `0.1` → `"0.1"`, `1` → `"1.0"`). The provider keeps no more
 * precision than that, so a ratio with more decimals is rounded the way it rounds it (`0.25` →
 * `"0.2"`, `0.15` → `"0.2"`): written exactly, it would read back rounded and show a change on
 * every preview (`swarmFindings` warns about the rounding).
 */
export function failureRatio(ratio: number): string {
    const single = Math.fround(ratio);
    // toFixed rounds an exact tie up, Go rounds it to even; among ratios (0..1) the only float32
    // that is an exact tie at one decimal and rounds differently is 0.25.
    return single === 0.25 ? "0.2" : single.toFixed(1);
}

/**
 * `deploy.update_config` / `deploy.rollback_config` as Swarm takes them: durations and the
 * failure ratio written exactly as the provider reads them back ({@link goShortDuration},
 * {@link failureRatio}), so previews stay free of changes. Unset fields keep the provider's
 * defaults, which are Swarm's (parallelism 1, delay 0s, failure action pause, monitor 5s,
 * ratio 0.0, order stop-first).
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
        ...(u.delayMs !== undefined ? { delay: goShortDuration(u.delayMs) } : {}),
        ...(u.failureAction !== undefined ? { failureAction: u.failureAction } : {}),
        ...(u.monitorMs !== undefined ? { monitor: goShortDuration(u.monitorMs) } : {}),
        ...(u.maxFailureRatio !== undefined ? { maxFailureRatio: failureRatio(u.maxFailureRatio) } : {}),
        ...(u.order !== undefined ? { order: u.order } : {}),
    };
}
