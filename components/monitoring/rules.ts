/**
 * The alert rules that matter out of the box. Container alerts use cAdvisor's metrics (present
 * on every runtime), host alerts node-exporter's, and with engine metrics on, engine alerts
 * dockerd's own.
 */
import * as YAML from "yaml";
import { ENGINE_JOB } from "./prometheus";
import { AlertThresholds, DEFAULT_THRESHOLDS } from "./settings";

/** Which optional rule groups {@link alertRules} includes. */
export interface RuleOptions {
    /** The Docker engine group (engine metrics scraped). @default false */
    readonly engine?: boolean;
}

/**
 * Alerts on the engines' own metrics. An engine that is scraped and down is TargetDown's already;
 * these add what that cannot see: no engine scraped at all (the Swarm discovery finds no node, or
 * the job is gone), and health-check probes the engine could not run at all (dockerd counts a
 * probe in `engine_daemon_health_checks_failed_total` when it fails to run it, not when the
 * check reports the container unhealthy).
 */
function engineRules(t: AlertThresholds): object {
    return {
        name: "docker-engine",
        rules: [
            {
                alert: "EngineMetricsMissing",
                expr: `absent(up{job="${ENGINE_JOB}"})`,
                for: t.targetDownFor,
                labels: { severity: "warning" },
                annotations: {
                    summary: "No Docker engine is scraped",
                    description: `Prometheus has had no target in job ${ENGINE_JOB} for ${t.targetDownFor}: no engine was found (Swarm node discovery through the manager's socket) or none is configured.`,
                },
            },
            {
                alert: "EngineHealthcheckErrors",
                expr: `increase(engine_daemon_health_checks_failed_total{job="${ENGINE_JOB}"}[${t.restartWindow}]) > 0`,
                labels: { severity: "warning" },
                annotations: {
                    summary: "Engine {{ $labels.instance }} cannot run health checks",
                    description: `{{ $value | humanize }} container health-check probes could not be run by the engine on {{ $labels.instance }} in the last ${t.restartWindow}.`,
                },
            },
        ],
    };
}

// Filesystems whose fullness says nothing about the host's disks.
const PSEUDO_FS = 'fstype!~"tmpfs|overlay|squashfs|nsfs|ramfs|autofs"';

/** The rule file (Prometheus rule-group YAML) for `thresholds`, already validated by resolveSettings. */
export function alertRules(thresholds: Partial<AlertThresholds> = {}, options: RuleOptions = {}): string {
    const t = { ...DEFAULT_THRESHOLDS, ...thresholds };
    const doc = {
        groups: [
            {
                name: "targets",
                rules: [
                    {
                        alert: "TargetDown",
                        expr: "up == 0",
                        for: t.targetDownFor,
                        labels: { severity: "critical" },
                        annotations: {
                            summary: "Scrape target {{ $labels.instance }} of job {{ $labels.job }} is down",
                            description: `Prometheus has not reached {{ $labels.instance }} for more than ${t.targetDownFor}.`,
                        },
                    },
                ],
            },
            {
                name: "containers",
                rules: [
                    {
                        // A restart gives the container's cgroup a new start time.
                        alert: "ContainerRestarting",
                        expr: `changes(container_start_time_seconds{name!=""}[${t.restartWindow}]) >= ${t.restartCount}`,
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Container {{ $labels.name }} is restarting",
                            description: `Container {{ $labels.name }} on {{ $labels.instance }} started {{ $value }} times in ${t.restartWindow}.`,
                        },
                    },
                    {
                        alert: "ContainerOomKilled",
                        expr: `increase(container_oom_events_total{name!=""}[${t.restartWindow}]) > 0`,
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Container {{ $labels.name }} was OOM-killed",
                            description: `Container {{ $labels.name }} on {{ $labels.instance }} ran out of memory in the last ${t.restartWindow}.`,
                        },
                    },
                ],
            },
            {
                name: "hosts",
                rules: [
                    {
                        alert: "HostHighCpu",
                        expr: `100 * (1 - avg by (instance) (rate(node_cpu_seconds_total{mode="idle"}[5m]))) > ${t.cpuPercent}`,
                        for: t.pressureFor,
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Host {{ $labels.instance }} CPU is busy",
                            description: `CPU use on {{ $labels.instance }} is {{ $value | humanize }}% (threshold ${t.cpuPercent}%).`,
                        },
                    },
                    {
                        alert: "HostHighMemory",
                        expr: `100 * (1 - node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes) > ${t.memoryPercent}`,
                        for: t.pressureFor,
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Host {{ $labels.instance }} memory is nearly full",
                            description: `Memory use on {{ $labels.instance }} is {{ $value | humanize }}% (threshold ${t.memoryPercent}%).`,
                        },
                    },
                    {
                        alert: "HostDiskPressure",
                        expr: `100 * (1 - node_filesystem_avail_bytes{${PSEUDO_FS}} / node_filesystem_size_bytes{${PSEUDO_FS}}) > ${t.diskPercent}`,
                        for: t.pressureFor,
                        labels: { severity: "warning" },
                        annotations: {
                            summary: "Filesystem {{ $labels.mountpoint }} on {{ $labels.instance }} is nearly full",
                            description: `{{ $labels.mountpoint }} on {{ $labels.instance }} is {{ $value | humanize }}% full (threshold ${t.diskPercent}%).`,
                        },
                    },
                ],
            },
            ...(options.engine ? [engineRules(t)] : []),
        ],
    };
    return YAML.stringify(doc, { lineWidth: 0 });
}
