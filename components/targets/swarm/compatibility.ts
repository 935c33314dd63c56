/**
 * The Swarm target's checks in their first shape, kept for the callers that still use it: what
 * Swarm refuses and ignores is decided by the table in ./support (see its comment), and
 * `swarmFindings` returns every error and warning at once.
 */
import { SpecError } from "../../spec/errors";
import { AppSpec } from "../../spec/types";
import { swarmFindings } from "./support";

/** A setting the Swarm target ignores. */
export interface SwarmWarning {
    /** Path of the setting in the model, e.g. `services.web.ulimits`. */
    readonly path: string;
    readonly message: string;
}

/**
 * Checks `app` against what Swarm services can do.
 * @returns the settings that will be ignored, in description order.
 * @throws SpecError for the first setting Swarm cannot honour.
 * @deprecated use `swarmFindings` (./support), which returns every error and warning.
 */
export function checkSwarmSupport(app: AppSpec): SwarmWarning[] {
    const findings = swarmFindings(app);
    const error = findings.find((f) => f.level === "error");
    if (error) throw new SpecError(error.message, error.path, error.value);
    return findings.map(({ path, message }) => ({ path, message }));
}
