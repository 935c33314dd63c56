/**
 * The Kubernetes target's warnings in their first shape, kept for the callers that still use it:
 * what Kubernetes leaves out is decided by the table in ./support (see its comment), and
 * `kubernetesFindings` returns the findings with their paths.
 */
import { AppSpec } from "../../spec/types";
import { kubernetesFindings } from "./support";

/**
 * One warning per ignored or approximated setting, `path: message`.
 * @deprecated use `kubernetesFindings` (./support).
 */
export function unsupportedSettings(app: AppSpec): string[] {
    return kubernetesFindings(app).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);
}
