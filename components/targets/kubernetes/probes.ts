/**
 * Compose healthcheck → Kubernetes probes. Docker runs one check that both marks a container
 * unhealthy and (on Swarm) replaces it; Kubernetes splits that into liveness (restart) and
 * readiness (take out of the Service). Both get the same exec probe, so a failing check does
 * what it does on Swarm: no traffic, then a restart.
 */
import type * as k8s from "@pulumi/kubernetes";
import { HealthcheckSpec } from "../../spec/types";
import { ProbeExtension } from "./options";

type Probe = k8s.types.input.core.v1.Probe;

/** Docker's defaults, used when the healthcheck leaves a value out, so timing matches Compose. */
const DOCKER_INTERVAL_MS = 30_000;
const DOCKER_TIMEOUT_MS = 30_000;
const DOCKER_RETRIES = 3;

/** Milliseconds to whole seconds, rounded up so a wait is never shorter than asked, and at least `min`. */
export function toSeconds(ms: number, min = 0): number {
    return Math.max(min, Math.ceil(ms / 1000));
}

/** The argv a probe runs: CMD as is, CMD-SHELL through /bin/sh -c, as Docker does. */
export function probeCommand(test: string[]): string[] {
    return test[0] === "CMD-SHELL" ? ["/bin/sh", "-c", test.slice(1).join(" ")] : test.slice(1);
}

/**
 * Liveness and readiness probes from a healthcheck; undefined when there is nothing to run
 * (disabled, or inherited from the image, which Kubernetes does not read).
 */
export function toProbes(h: HealthcheckSpec | undefined): { livenessProbe: Probe; readinessProbe: Probe } | undefined {
    if (!h || h.disable || !h.test || h.test.length < 2) return undefined;
    const probe: Probe = {
        exec: { command: probeCommand(h.test) },
        periodSeconds: toSeconds(h.intervalMs ?? DOCKER_INTERVAL_MS, 1),
        timeoutSeconds: toSeconds(h.timeoutMs ?? DOCKER_TIMEOUT_MS, 1),
        // Docker reads retries 0 as "the default"; Kubernetes needs at least 1.
        failureThreshold: h.retries ? h.retries : DOCKER_RETRIES,
        ...(h.startPeriodMs ? { initialDelaySeconds: toSeconds(h.startPeriodMs) } : {}),
    };
    return { livenessProbe: probe, readinessProbe: { ...probe, exec: { command: probeCommand(h.test) } } };
}

/**
 * An `x-kubernetes.probes` probe (kompose's `kompose.service.healthcheck.*` labels): an HTTP GET
 * or a TCP connection, with the timing fields given (Kubernetes' defaults otherwise).
 */
export function toExtensionProbe(p: ProbeExtension): Probe {
    const handler = p.httpGet
        ? { httpGet: { ...(p.httpGet.path !== undefined ? { path: p.httpGet.path } : {}), port: p.httpGet.port, ...(p.httpGet.scheme ? { scheme: p.httpGet.scheme } : {}) } }
        : { tcpSocket: { port: p.tcpSocket!.port } };
    const timing = (["initialDelaySeconds", "periodSeconds", "timeoutSeconds", "successThreshold", "failureThreshold"] as const).flatMap((k) => (p[k] !== undefined ? [[k, p[k]]] : []));
    return { ...handler, ...Object.fromEntries(timing) };
}
