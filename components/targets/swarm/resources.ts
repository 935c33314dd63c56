/** CPU and memory limits and reservations of a Swarm service. */
import * as docker from "@pulumi/docker";
import { ResourcesSpec } from "../../spec/types";

type Resources = docker.types.input.ServiceTaskSpecResources;

/** Fractional CPUs to the nano-CPUs Swarm counts in (`0.5` → 500000000). */
export function nanoCpus(cpus: number): number {
    return Math.round(cpus * 1e9);
}

/**
 * Limits and reservations as Swarm takes them: CPUs as nano-CPUs, memory in bytes. Returns
 * undefined when nothing is set, so the service shows no empty block in a diff.
 *
 * Swarm services have no pids limit, CPU shares, cpuset, swap limit or shm size in the
 * provider's schema; `swarmWarnings` reports those as ignored.
 */
export function toResources(r: ResourcesSpec): Resources | undefined {
    const limits = {
        ...(r.limits.cpus !== undefined ? { nanoCpus: nanoCpus(r.limits.cpus) } : {}),
        ...(r.limits.memoryBytes !== undefined ? { memoryBytes: r.limits.memoryBytes } : {}),
    };
    const reservation = {
        ...(r.reservations.cpus !== undefined ? { nanoCpus: nanoCpus(r.reservations.cpus) } : {}),
        ...(r.reservations.memoryBytes !== undefined ? { memoryBytes: r.reservations.memoryBytes } : {}),
    };
    const out: Resources = {
        ...(Object.keys(limits).length > 0 ? { limits } : {}),
        ...(Object.keys(reservation).length > 0 ? { reservation } : {}),
    };
    return Object.keys(out).length > 0 ? out : undefined;
}
