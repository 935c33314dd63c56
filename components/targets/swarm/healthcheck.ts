/** Healthcheck of a Swarm service's containers. */
import * as docker from "@pulumi/docker";
import { HealthcheckSpec } from "../../spec/types";
import { formatDuration } from "../../spec/units";

type Healthcheck = docker.types.input.ServiceTaskSpecContainerSpecHealthcheck;

/**
 * The healthcheck as Swarm takes it. `disable` becomes the test `["NONE"]`, which switches off a
 * healthcheck the image defines; a healthcheck without a test keeps the image's test and
 * overrides only the timings. `start_interval` is not in the provider's schema and is dropped
 * (Swarm then probes at `interval` during the start period).
 */
export function toHealthcheck(h: HealthcheckSpec | undefined): Healthcheck | undefined {
    if (h === undefined) return undefined;
    if (h.disable) return { tests: ["NONE"] };
    return {
        ...(h.test ? { tests: [...h.test] } : {}),
        ...(h.intervalMs !== undefined ? { interval: formatDuration(h.intervalMs) } : {}),
        ...(h.timeoutMs !== undefined ? { timeout: formatDuration(h.timeoutMs) } : {}),
        ...(h.retries !== undefined ? { retries: h.retries } : {}),
        ...(h.startPeriodMs !== undefined ? { startPeriod: formatDuration(h.startPeriodMs) } : {}),
    };
}
