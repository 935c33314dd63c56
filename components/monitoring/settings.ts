/**
 * The typed settings of the monitoring stack, their defaults (applied in one place, by spread) and
 * their validation. Everything downstream (prometheus.ts, rules.ts, alertmanager.ts, app.ts)
 * takes the resolved `MonitoringConfig` and trusts it.
 */
import type * as pulumi from "@pulumi/pulumi";
import { SpecError, joinPath } from "../spec/errors";
import type { AppSpec } from "../spec/types";

/** An application service Prometheus scrapes. */
export interface ScrapeTarget {
    /** Prometheus job name. */
    readonly job: string;
    /** Service name: the DNS name on Docker/Swarm, the `app.kubernetes.io/component` label on Kubernetes. */
    readonly service: string;
    /** Port the metrics are served on. */
    readonly port: number;
    /** HTTP path of the metrics. @default "/metrics" */
    readonly path?: string;
    /** Application the service belongs to (`app.kubernetes.io/name` on Kubernetes); any application when absent. */
    readonly app?: string;
}

/**
 * Where Prometheus finds the Docker engines' metrics endpoints (`metrics-addr`, which
 * {@link engineMetricsDaemon} computes for a stack's engines).
 *
 * Without `targets`, the target's discovery says: on a Docker host, the one engine at
 * `host.docker.internal:<port>`, which Prometheus' container resolves to the host's default-bridge
 * gateway (`host-gateway`, docker0's address, 172.17.0.1 unless `bip` says otherwise), so the
 * engine's `metrics-addr` must listen on that address: 127.0.0.1 is not reachable from a container.
 * On a Swarm, every node the Swarm API lists (`dockerswarm_sd_configs`, role nodes, through the
 * manager's socket), at `<node address>:<port>`; a node advertised on loopback (a single-node
 * swarm on 127.0.0.1) is reached through the host gateway as on a Docker host. Kubernetes has no
 * Docker engine: there `targets` is required.
 */
export interface EngineMetricsSettings {
    /** Port of every engine's `metrics-addr`. @default 9323 */
    readonly port?: number;
    /**
     * The engines' endpoints as `host:port`, scraped as they are, instead of the target's
     * discovery (engines outside the runtime, or a fixed list of Swarm nodes).
     */
    readonly targets?: string[];
}

/** The port dockerd's metrics endpoint is conventionally given (Docker's documentation uses it). */
export const ENGINE_METRICS_PORT = 9323;

/** Thresholds of the built-in alert rules. */
export interface AlertThresholds {
    /** How long a scrape target must be down before `TargetDown` fires. @default "2m" */
    readonly targetDownFor: string;
    /** Host CPU use, percent, above which `HostHighCpu` fires. @default 85 */
    readonly cpuPercent: number;
    /** Host memory use, percent, above which `HostHighMemory` fires. @default 90 */
    readonly memoryPercent: number;
    /** Filesystem use, percent, above which `HostDiskPressure` fires. @default 85 */
    readonly diskPercent: number;
    /** How long host CPU/memory/disk must stay above their threshold. @default "5m" */
    readonly pressureFor: string;
    /** Container restarts within `restartWindow` that make `ContainerRestarting` fire. @default 3 */
    readonly restartCount: number;
    /** Window the restarts and OOM kills are counted in. @default "15m" */
    readonly restartWindow: string;
}

/** One Alertmanager receiver: a webhook. */
export interface ReceiverSettings {
    /** Receiver name, referenced by routes. */
    readonly name: string;
    /** Webhook URL; a secret, delivered to Alertmanager as a file (`url_file`), never in its config. */
    readonly webhookUrl?: pulumi.Input<string>;
    /** Also notify when an alert resolves. @default true */
    readonly sendResolved?: boolean;
}

/** A route below the root route. */
export interface RouteSettings {
    /** Receiver the matching alerts go to. */
    readonly receiver: string;
    /** Alertmanager matchers, e.g. `severity="critical"`. */
    readonly matchers: string[];
    /** Keep matching later routes. @default false */
    readonly continue?: boolean;
}

/** Where alerts go. */
export interface AlertingSettings {
    /** Receivers; the first one takes whatever no route matches. @default [] (alerts only shown in the Alertmanager UI) */
    readonly receivers?: ReceiverSettings[];
    /** Routes to other receivers. @default [] */
    readonly routes?: RouteSettings[];
    /** Labels alerts are grouped by. @default ["alertname", "job"] */
    readonly groupBy?: string[];
    /** @default "30s" */
    readonly groupWait?: string;
    /** @default "5m" */
    readonly groupInterval?: string;
    /** @default "4h" */
    readonly repeatInterval?: string;
}

/** Grafana settings. */
export interface GrafanaSettings {
    /** Host port Grafana is published on. @default 3000 */
    readonly port?: number;
    /** Admin user name. @default "admin" */
    readonly adminUser?: string;
    /** Admin password (a secret), given to Grafana as a file (`GF_SECURITY_ADMIN_PASSWORD__FILE`). Required. */
    readonly adminPassword?: pulumi.Input<string>;
}

/** Images of the stack; pin them per environment if you need to. */
export interface MonitoringImages {
    /** @default "prom/prometheus:v3.4.2" */
    readonly prometheus: string;
    /** @default "prom/alertmanager:v0.28.1" */
    readonly alertmanager: string;
    /** @default "grafana/grafana:12.0.2" */
    readonly grafana: string;
    /** @default "gcr.io/cadvisor/cadvisor:v0.52.1" */
    readonly cadvisor: string;
    /** @default "prom/node-exporter:v1.9.1" */
    readonly nodeExporter: string;
}

/** Settings of the monitoring stack (everything but the target). */
export interface MonitoringSettings {
    /** Application name; prefixes resource names. @default "monitoring" */
    readonly name?: string;
    /** How often targets are scraped (Prometheus duration). @default "15s" */
    readonly scrapeInterval?: string;
    /** Scrape timeout; not longer than the interval. @default "10s" */
    readonly scrapeTimeout?: string;
    /** How often rules are evaluated. @default "15s" */
    readonly evaluationInterval?: string;
    /** How long samples are kept (`--storage.tsdb.retention.time`). @default "15d" */
    readonly retention?: string;
    /** Most disk the samples may use (`--storage.tsdb.retention.size`, e.g. "10GB"); no limit when absent. */
    readonly retentionSize?: string;
    /**
     * Size of Prometheus' volume claim on Kubernetes (a Kubernetes quantity, "64Gi"). When absent
     * and `retentionSize` is given, the claim is sized from it with headroom
     * ({@link PROMETHEUS_VOLUME_HEADROOM}); else the target's default size. Other targets ignore it.
     */
    readonly prometheusVolumeSize?: string;
    /** Host port Prometheus is published on; not published when absent. */
    readonly prometheusPort?: number;
    /**
     * Scrape the Docker engines' own metrics endpoint (`metrics-addr` in daemon.json) as the job
     * `docker-engine`, with the engine alert rules and the "Docker engine" dashboard. Off when
     * absent. See {@link EngineMetricsSettings} for where each engine is looked for.
     */
    readonly engineMetrics?: EngineMetricsSettings;
    /** Application services to scrape. @default [] */
    readonly scrapeTargets?: ScrapeTarget[];
    /** Applications whose services carry `dev.dockyard.metrics.port` (and `.path`) labels; each is scraped. @default [] */
    readonly apps?: AppSpec[];
    /** Restrict Kubernetes service discovery to these namespaces; all namespaces when absent. */
    readonly kubernetesNamespaces?: string[];
    /** Alert thresholds. @default see {@link AlertThresholds} */
    readonly thresholds?: Partial<AlertThresholds>;
    /** Alert routing and receivers. @default {} */
    readonly alerting?: AlertingSettings;
    /** Grafana. */
    readonly grafana?: GrafanaSettings;
    /** Images. @default see {@link MonitoringImages} */
    readonly images?: Partial<MonitoringImages>;
}

export const DEFAULT_THRESHOLDS: AlertThresholds = {
    targetDownFor: "2m",
    cpuPercent: 85,
    memoryPercent: 90,
    diskPercent: 85,
    pressureFor: "5m",
    restartCount: 3,
    restartWindow: "15m",
};

export const DEFAULT_IMAGES: MonitoringImages = {
    prometheus: "prom/prometheus:v3.4.2",
    alertmanager: "prom/alertmanager:v0.28.1",
    grafana: "grafana/grafana:12.0.2",
    cadvisor: "gcr.io/cadvisor/cadvisor:v0.52.1",
    nodeExporter: "prom/node-exporter:v1.9.1",
};

/** Settings with every default applied and every value checked. */
export interface MonitoringConfig {
    readonly name: string;
    readonly scrapeInterval: string;
    readonly scrapeTimeout: string;
    readonly evaluationInterval: string;
    readonly retention: string;
    readonly retentionSize?: string;
    /** The claim size of Prometheus' data on Kubernetes: given, or derived from `retentionSize`; undefined for the target's default. */
    readonly prometheusVolumeSize?: string;
    readonly prometheusPort?: number;
    /** The engines' metrics endpoints: the port, and the explicit targets when given. */
    readonly engineMetrics?: { readonly port: number; readonly targets?: string[] };
    /** The typed scrape targets plus those read from the labels of `apps`. */
    readonly scrapeTargets: ResolvedScrapeTarget[];
    readonly apps: AppSpec[];
    readonly kubernetesNamespaces?: string[];
    readonly thresholds: AlertThresholds;
    readonly alerting: Required<Omit<AlertingSettings, "receivers">> & { readonly receivers: Required<ReceiverSettings>[] };
    readonly grafana: Required<Omit<GrafanaSettings, "adminPassword">> & { readonly adminPassword: pulumi.Input<string> };
    readonly images: MonitoringImages;
}

export interface ResolvedScrapeTarget {
    readonly job: string;
    readonly service: string;
    readonly port: number;
    readonly path: string;
    readonly app?: string;
}

/** Service label that declares the port an app service serves Prometheus metrics on. */
export const LABEL_METRICS_PORT = "dev.dockyard.metrics.port";
/** Service label with the metrics path. @default "/metrics" */
export const LABEL_METRICS_PATH = "dev.dockyard.metrics.path";

const ROOT = "monitoring";
// Prometheus' own duration syntax (model.ParseDuration): units largest first, each at most once.
const PROM_DURATION_RE = /^(?:(\d+)y)?(?:(\d+)w)?(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?(?:(\d+)ms)?$/;
const PROM_DURATION_MS = [365 * 86_400_000, 7 * 86_400_000, 86_400_000, 3_600_000, 60_000, 1000, 1];
// Prometheus' size syntax for --storage.tsdb.retention.size (units.Base2Bytes).
const PROM_SIZE_RE = /^\d+(B|KB|MB|GB|TB|PB|EB)$/;
const NAME_RE = /^[a-z0-9][a-z0-9_-]*$/;
const RECEIVER_NAME_RE = /^[A-Za-z0-9_-]+$/;
const JOB_RE = /^[A-Za-z0-9_.-]+$/;

/**
 * How much larger than `retentionSize` Prometheus' volume is made: the size limit counts the
 * blocks, WAL and head chunks, but it is enforced only when blocks are cut and compaction needs
 * room of its own, so Prometheus' documentation advises a limit of at most 80% of the disk.
 */
export const PROMETHEUS_VOLUME_HEADROOM = 1.25;

const PROM_UNITS: Record<string, number> = { B: 1, KB: 1024, MB: 1024 ** 2, GB: 1024 ** 3, TB: 1024 ** 4, PB: 1024 ** 5, EB: 1024 ** 6 };

/** Bytes of a Prometheus size (`10GB`; units are powers of 1024, as units.Base2Bytes reads them). */
export function promSizeBytes(value: string): number {
    const m = /^(\d+)(B|KB|MB|GB|TB|PB|EB)$/.exec(value);
    if (!m) throw new Error(`not a Prometheus size: ${value}`);
    return Number(m[1]) * PROM_UNITS[m[2]];
}

const QUANTITY_UNITS: Record<string, number> = { "": 1, Ki: 1024, Mi: 1024 ** 2, Gi: 1024 ** 3, Ti: 1024 ** 4, Pi: 1024 ** 5, Ei: 1024 ** 6, k: 1e3, M: 1e6, G: 1e9, T: 1e12, P: 1e15, E: 1e18 };
const QUANTITY_RE = /^([0-9]+(?:\.[0-9]+)?)(Ki|Mi|Gi|Ti|Pi|Ei|k|M|G|T|P|E)?$/;

/** Bytes of a Kubernetes quantity (`64Gi`, `500M`), or undefined when it is not one. */
export function quantityBytes(value: string): number | undefined {
    const m = QUANTITY_RE.exec(value);
    return m ? Number(m[1]) * QUANTITY_UNITS[m[2] ?? ""] : undefined;
}

/** The claim for a retention size: `retentionSize` × {@link PROMETHEUS_VOLUME_HEADROOM}, rounded up to whole GiB (MiB below 1 GiB). */
export function prometheusVolumeFor(retentionSize: string): string {
    const bytes = promSizeBytes(retentionSize) * PROMETHEUS_VOLUME_HEADROOM;
    return bytes >= 1024 ** 3 ? `${Math.ceil(bytes / 1024 ** 3)}Gi` : `${Math.max(1, Math.ceil(bytes / 1024 ** 2))}Mi`;
}

/** Parses a Prometheus duration (`15s`, `1h30m`, `15d`) to milliseconds; it must be more than zero. */
export function parsePromDuration(value: unknown, path: string): number {
    const m = typeof value === "string" && value !== "" ? PROM_DURATION_RE.exec(value) : null;
    if (!m) throw new SpecError('not a Prometheus duration: use a whole number with y, w, d, h, m, s or ms, such as "15s" or "15d"', path, value);
    const ms = m.slice(1).reduce((sum, n, i) => sum + (n === undefined ? 0 : Number(n) * PROM_DURATION_MS[i]), 0);
    if (ms <= 0) throw new SpecError("a duration must be longer than zero", path, value);
    return ms;
}

function port(value: unknown, path: string): number {
    if (typeof value !== "number" || !Number.isInteger(value) || value < 1 || value > 65535) {
        throw new SpecError("a port must be a whole number from 1 to 65535", path, value);
    }
    return value;
}

function percent(value: unknown, path: string): number {
    if (typeof value !== "number" || !Number.isFinite(value) || value <= 0 || value >= 100) {
        throw new SpecError("a percentage threshold must be a number between 0 and 100 (exclusive)", path, value);
    }
    return value;
}

function metricsPath(value: unknown, path: string): string {
    if (typeof value !== "string" || !value.startsWith("/")) throw new SpecError('a metrics path must start with "/"', path, value);
    return value;
}

/** Applies the defaults and validates. @throws SpecError with a path under `monitoring.` */
export function resolveSettings(args: MonitoringSettings): MonitoringConfig {
    const s = {
        name: "monitoring",
        scrapeInterval: "15s",
        scrapeTimeout: "10s",
        evaluationInterval: "15s",
        retention: "15d",
        scrapeTargets: [] as ScrapeTarget[],
        apps: [] as AppSpec[],
        ...args,
    };
    if (!NAME_RE.test(s.name)) throw new SpecError("a name must consist of lower-case letters, digits, '-' and '_'", `${ROOT}.name`, s.name);
    const interval = parsePromDuration(s.scrapeInterval, `${ROOT}.scrapeInterval`);
    const timeout = parsePromDuration(s.scrapeTimeout, `${ROOT}.scrapeTimeout`);
    if (timeout > interval) {
        throw new SpecError(`the scrape timeout must not be longer than the scrape interval (${s.scrapeInterval})`, `${ROOT}.scrapeTimeout`, s.scrapeTimeout);
    }
    parsePromDuration(s.evaluationInterval, `${ROOT}.evaluationInterval`);
    parsePromDuration(s.retention, `${ROOT}.retention`);
    if (s.retentionSize !== undefined && !PROM_SIZE_RE.test(s.retentionSize)) {
        throw new SpecError('a retention size must be a whole number with B, KB, MB, GB, TB, PB or EB, such as "10GB"', `${ROOT}.retentionSize`, s.retentionSize);
    }
    if (s.prometheusVolumeSize !== undefined) {
        const volume = typeof s.prometheusVolumeSize === "string" ? quantityBytes(s.prometheusVolumeSize) : undefined;
        if (volume === undefined) throw new SpecError('a volume size must be a Kubernetes quantity such as "64Gi"', `${ROOT}.prometheusVolumeSize`, s.prometheusVolumeSize);
        // Prometheus would fill the volume before it deletes a block: refuse rather than fail at night.
        if (s.retentionSize !== undefined && promSizeBytes(s.retentionSize) > volume) {
            throw new SpecError(
                `retentionSize ${s.retentionSize} is larger than prometheusVolumeSize ${s.prometheusVolumeSize}: Prometheus would fill its volume before deleting old data. ` +
                    `Make the volume at least ${prometheusVolumeFor(s.retentionSize)} (the retention size plus ${Math.round((PROMETHEUS_VOLUME_HEADROOM - 1) * 100)}%), or leave prometheusVolumeSize out to size it so`,
                `${ROOT}.retentionSize`,
                s.retentionSize,
            );
        }
    }
    if (s.prometheusPort !== undefined) port(s.prometheusPort, `${ROOT}.prometheusPort`);
    const engineMetrics = s.engineMetrics !== undefined ? resolveEngineMetrics(s.engineMetrics) : undefined;
    if (s.kubernetesNamespaces !== undefined && s.kubernetesNamespaces.length === 0) {
        throw new SpecError("list at least one namespace, or leave kubernetesNamespaces out for all", `${ROOT}.kubernetesNamespaces`, s.kubernetesNamespaces);
    }

    const scrapeTargets = [
        ...s.scrapeTargets.map((t, i) => resolveScrapeTarget(t, joinPath(`${ROOT}.scrapeTargets`, i))),
        ...s.apps.flatMap((app, i) => scrapeTargetsOfApp(app, joinPath(`${ROOT}.apps`, i))),
    ];
    const jobs = new Set(["prometheus", "alertmanager", "cadvisor", "node-exporter", "docker-engine"]);
    scrapeTargets.forEach((t) => {
        if (jobs.has(t.job)) throw new SpecError(`two scrape jobs are named "${t.job}"`, `${ROOT}.scrapeTargets`, t.job);
        jobs.add(t.job);
    });

    return {
        name: s.name,
        scrapeInterval: s.scrapeInterval,
        scrapeTimeout: s.scrapeTimeout,
        evaluationInterval: s.evaluationInterval,
        retention: s.retention,
        ...(s.retentionSize !== undefined ? { retentionSize: s.retentionSize } : {}),
        ...(s.prometheusVolumeSize !== undefined
            ? { prometheusVolumeSize: s.prometheusVolumeSize }
            : s.retentionSize !== undefined
              ? { prometheusVolumeSize: prometheusVolumeFor(s.retentionSize) }
              : {}),
        ...(s.prometheusPort !== undefined ? { prometheusPort: s.prometheusPort } : {}),
        ...(engineMetrics !== undefined ? { engineMetrics } : {}),
        scrapeTargets,
        apps: s.apps,
        ...(s.kubernetesNamespaces !== undefined ? { kubernetesNamespaces: s.kubernetesNamespaces } : {}),
        thresholds: resolveThresholds(s.thresholds ?? {}),
        alerting: resolveAlerting(s.alerting ?? {}),
        grafana: resolveGrafana(s.grafana ?? {}),
        images: { ...DEFAULT_IMAGES, ...s.images },
    };
}

function resolveEngineMetrics(given: EngineMetricsSettings): NonNullable<MonitoringConfig["engineMetrics"]> {
    const at = `${ROOT}.engineMetrics`;
    if (given === null || typeof given !== "object" || Array.isArray(given)) {
        throw new SpecError("engine metrics settings must be an object such as { port: 9323 }", at, given);
    }
    const p = port(given.port ?? ENGINE_METRICS_PORT, `${at}.port`);
    if (given.targets === undefined) return { port: p };
    if (!Array.isArray(given.targets) || given.targets.length === 0) {
        throw new SpecError("list at least one engine as host:port, or leave targets out to find the engines through the target", `${at}.targets`, given.targets);
    }
    const seen = new Set<string>();
    given.targets.forEach((t, i) => {
        const where = joinPath(`${at}.targets`, i);
        const m = typeof t === "string" ? /^(\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._-]+):(\d+)$/.exec(t) : null;
        if (!m) throw new SpecError("an engine target must be host:port (an IPv6 address in brackets), such as 10.0.0.5:9323", where, t);
        port(Number(m[2]), where);
        if (seen.has(t)) throw new SpecError(`engine target ${t} is listed twice`, where, t);
        seen.add(t);
    });
    return { port: p, targets: [...given.targets] };
}

function resolveScrapeTarget(t: ScrapeTarget, where: string): ResolvedScrapeTarget {
    if (typeof t.job !== "string" || !JOB_RE.test(t.job)) throw new SpecError("a job name must consist of letters, digits, '.', '_' and '-'", `${where}.job`, t.job);
    if (typeof t.service !== "string" || t.service === "") throw new SpecError("a scrape target needs a service name", `${where}.service`, t.service);
    return {
        job: t.job,
        service: t.service,
        port: port(t.port, `${where}.port`),
        path: metricsPath(t.path ?? "/metrics", `${where}.path`),
        ...(t.app !== undefined ? { app: t.app } : {}),
    };
}

/** The scrape targets an application declares through `dev.dockyard.metrics.*` labels on its services. */
export function scrapeTargetsOfApp(app: AppSpec, where = "app"): ResolvedScrapeTarget[] {
    return Object.values(app.services).flatMap((svc) => {
        // Compose users put the label on the service or under deploy.labels; both count.
        const labels = { ...svc.deploy.labels, ...svc.labels };
        const rawPort = labels[LABEL_METRICS_PORT];
        if (rawPort === undefined) return [];
        const at = `${where}.services.${svc.name}.labels`;
        const n = Number(rawPort);
        if (!/^\d+$/.test(rawPort) || n < 1 || n > 65535) {
            throw new SpecError("a metrics port label must be a port number from 1 to 65535", `${at}["${LABEL_METRICS_PORT}"]`, rawPort);
        }
        return [{
            job: `${app.name}-${svc.name}`,
            service: svc.name,
            port: n,
            path: metricsPath(labels[LABEL_METRICS_PATH] ?? "/metrics", `${at}["${LABEL_METRICS_PATH}"]`),
            app: app.name,
        }];
    });
}

function resolveThresholds(given: Partial<AlertThresholds>): AlertThresholds {
    const t = { ...DEFAULT_THRESHOLDS, ...given };
    const at = `${ROOT}.thresholds`;
    parsePromDuration(t.targetDownFor, `${at}.targetDownFor`);
    parsePromDuration(t.pressureFor, `${at}.pressureFor`);
    parsePromDuration(t.restartWindow, `${at}.restartWindow`);
    percent(t.cpuPercent, `${at}.cpuPercent`);
    percent(t.memoryPercent, `${at}.memoryPercent`);
    percent(t.diskPercent, `${at}.diskPercent`);
    if (typeof t.restartCount !== "number" || !Number.isInteger(t.restartCount) || t.restartCount < 1) {
        throw new SpecError("a restart count must be a whole number, 1 or more", `${at}.restartCount`, t.restartCount);
    }
    return t;
}

function resolveAlerting(given: AlertingSettings): MonitoringConfig["alerting"] {
    const a = { receivers: [], routes: [], groupBy: ["alertname", "job"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h", ...given };
    const at = `${ROOT}.alerting`;
    const names = new Set<string>();
    const receivers = a.receivers.map((r, i) => {
        const where = joinPath(`${at}.receivers`, i);
        if (typeof r.name !== "string" || !RECEIVER_NAME_RE.test(r.name)) {
            throw new SpecError("a receiver name must consist of letters, digits, '_' and '-'", `${where}.name`, r.name);
        }
        if (names.has(r.name)) throw new SpecError(`two receivers are named "${r.name}"`, `${where}.name`, r.name);
        names.add(r.name);
        if (r.webhookUrl === undefined || r.webhookUrl === null || r.webhookUrl === "") {
            throw new SpecError(`receiver "${r.name}" has no webhook URL`, `${where}.webhookUrl`, r.webhookUrl);
        }
        return { sendResolved: true, ...r } as Required<ReceiverSettings>;
    });
    a.routes.forEach((r, i) => {
        const where = joinPath(`${at}.routes`, i);
        if (!names.has(r.receiver)) throw new SpecError(`route refers to undefined receiver "${r.receiver}"`, `${where}.receiver`, r.receiver);
        if (!Array.isArray(r.matchers) || r.matchers.length === 0) throw new SpecError("a route needs at least one matcher", `${where}.matchers`, r.matchers);
    });
    for (const key of ["groupWait", "groupInterval", "repeatInterval"] as const) parsePromDuration(a[key], `${at}.${key}`);
    return { ...a, receivers };
}

function resolveGrafana(given: GrafanaSettings): MonitoringConfig["grafana"] {
    const g = { port: 3000, adminUser: "admin", ...given };
    port(g.port, `${ROOT}.grafana.port`);
    if (g.adminPassword === undefined || g.adminPassword === "") {
        throw new SpecError("Grafana needs an admin password (a secret)", `${ROOT}.grafana.adminPassword`, g.adminPassword);
    }
    return { ...g, adminPassword: g.adminPassword };
}
