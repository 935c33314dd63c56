/** Healthcheck of a Swarm service's containers. */
import * as docker from "@pulumi/docker";
import { HealthcheckSpec } from "../../spec/types";
import { goShortDuration } from "../../spec/units";

type Healthcheck = docker.types.input.ServiceTaskSpecContainerSpecHealthcheck;

/**
 * The healthcheck as Swarm takes it. `disable` becomes the test `["NONE"]`, which switches off a
 * healthcheck the image defines; a healthcheck without a test keeps the image's test and
 * overrides only the timings. `start_interval` is not in the provider's schema and is dropped
 * (Swarm then probes at `interval` during the start period). Durations are written as the
 * provider reads them back ({@link goShortDuration}: `1m30s`, `1m`, `1.5s`), so previews stay
 * free of changes; an unset one is the provider's default `0s` (the image's value).
 */
export function toHealthcheck(h: HealthcheckSpec | undefined): Healthcheck | undefined {
    if (h === undefined) return undefined;
    if (h.disable) return { tests: ["NONE"] };
    return {
        ...(h.test ? { tests: [...h.test] } : {}),
        ...(h.intervalMs !== undefined ? { interval: goShortDuration(h.intervalMs) } : {}),
        ...(h.timeoutMs !== undefined ? { timeout: goShortDuration(h.timeoutMs) } : {}),
        ...(h.retries !== undefined ? { retries: h.retries } : {}),
        ...(h.startPeriodMs !== undefined ? { startPeriod: goShortDuration(h.startPeriodMs) } : {}),
    };
}
