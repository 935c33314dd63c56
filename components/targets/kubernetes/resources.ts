/**
 * Compose resources → Kubernetes resource requirements: reservations are requests, limits are
 * limits. CPUs become millicores ("500m"), memory plain bytes, both as quantity strings.
 */
import type * as k8s from "@pulumi/kubernetes";
import { ResourcesSpec } from "../../spec/types";

/** Fractional CPUs as a millicore quantity, rounded up (Kubernetes' smallest unit is 1m). */
export function toMillicores(cpus: number): string {
    return `${Math.ceil(Math.round(cpus * 1e6) / 1e3)}m`;
}

function quantities(cpus: number | undefined, memoryBytes: number | undefined): Record<string, string> | undefined {
    const out: Record<string, string> = {
        ...(cpus !== undefined ? { cpu: toMillicores(cpus) } : {}),
        ...(memoryBytes !== undefined ? { memory: String(memoryBytes) } : {}),
    };
    return Object.keys(out).length ? out : undefined;
}

/** Requests and limits; undefined when the service sets neither. */
export function toResources(r: ResourcesSpec): k8s.types.input.core.v1.ResourceRequirements | undefined {
    const requests = quantities(r.reservations.cpus, r.reservations.memoryBytes);
    const limits = quantities(r.limits.cpus, r.limits.memoryBytes);
    if (!requests && !limits) return undefined;
    return { ...(requests ? { requests } : {}), ...(limits ? { limits } : {}) };
}
