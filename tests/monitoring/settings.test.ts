import * as assert from "assert";
import { defineApp } from "../../components/spec/normalize";
import { MonitoringSettings, monitoringApp, parsePromDuration, PROMETHEUS_VOLUME_HEADROOM, resolveSettings, scrapeTargetsOfApp } from "../../components/monitoring";
import { assertSpecError } from "../harness";
import { on } from "../targets/discovery";

const base: MonitoringSettings = { grafana: { adminPassword: "pw" } };

describe("monitoring: settings", () => {
    it("parses Prometheus durations", () => {
        assert.deepStrictEqual(["15s", "1h30m", "15d", "2w", "1y", "500ms"].map((d) => parsePromDuration(d, "x")),
            [15_000, 5_400_000, 1_296_000_000, 1_209_600_000, 31_536_000_000, 500]);
    });

    it("applies the defaults", () => {
        const c = resolveSettings(base);
        assert.deepStrictEqual([c.name, c.scrapeInterval, c.scrapeTimeout, c.evaluationInterval, c.retention, c.retentionSize],
            ["monitoring", "15s", "10s", "15s", "15d", undefined]);
        assert.deepStrictEqual(c.grafana, { port: 3000, adminUser: "admin", adminPassword: "pw" });
        assert.deepStrictEqual(c.alerting, { receivers: [], routes: [], groupBy: ["alertname", "job"], groupWait: "30s", groupInterval: "5m", repeatInterval: "4h" });
        assert.deepStrictEqual(c.scrapeTargets, []);
    });

    it("reads scrape targets from metrics labels (service or deploy labels)", () => {
        const app = defineApp({
            name: "shop",
            services: {
                web: { image: "web", labels: { "dev.dockyard.metrics.port": "8081", "dev.dockyard.metrics.path": "/m" } },
                worker: { image: "worker", deploy: { labels: { "dev.dockyard.metrics.port": "9000" } } },
                db: { image: "postgres" },
            },
        });
        assert.deepStrictEqual(scrapeTargetsOfApp(app), [
            { job: "shop-web", service: "web", port: 8081, path: "/m", app: "shop" },
            { job: "shop-worker", service: "worker", port: 9000, path: "/metrics", app: "shop" },
        ]);
    });

    it("sizes Prometheus' volume from the retention size plus 25%, unless given", () => {
        const size = (s: Partial<MonitoringSettings>) => resolveSettings({ ...base, ...s }).prometheusVolumeSize;
        assert.strictEqual(PROMETHEUS_VOLUME_HEADROOM, 1.25);
        // Prometheus' GB is GiB: 50GB × 1.25 = 62.5 GiB, rounded up.
        assert.deepStrictEqual([size({ retentionSize: "50GB" }), size({ retentionSize: "1GB" }), size({ retentionSize: "100MB" }), size({})], ["63Gi", "2Gi", "125Mi", undefined]);
        assert.strictEqual(size({ retentionSize: "50GB", prometheusVolumeSize: "50Gi" }), "50Gi", "as large as the retention size is allowed");
        assert.strictEqual(size({ prometheusVolumeSize: "10Gi" }), "10Gi");
    });

    describe("rejects bad arguments with the path and the value", () => {
        const cases: [string, MonitoringSettings, string[]][] = [
            ["a negative retention", { ...base, retention: "-1d" }, ["monitoring.retention", '"-1d"', "not a Prometheus duration"]],
            ["a retention without unit", { ...base, retention: "15" }, ["monitoring.retention", '"15"']],
            ["a zero retention", { ...base, retention: "0d" }, ["monitoring.retention", "longer than zero"]],
            ["a bad retention size", { ...base, retentionSize: "10G" }, ["monitoring.retentionSize", '"10G"']],
            ["a retention size larger than Prometheus' volume", { ...base, retentionSize: "50GB", prometheusVolumeSize: "20Gi" },
                ["monitoring.retentionSize", '"50GB"', "retentionSize 50GB is larger than prometheusVolumeSize 20Gi", "at least 63Gi"]],
            ["a volume size that is no quantity", { ...base, prometheusVolumeSize: "20 GB" }, ["monitoring.prometheusVolumeSize", '"20 GB"', "Kubernetes quantity"]],
            ["a scrape timeout longer than the interval", { ...base, scrapeInterval: "15s", scrapeTimeout: "20s" },
                ["monitoring.scrapeTimeout", '"20s"', "longer than the scrape interval (15s)"]],
            ["a default timeout longer than a short interval", { ...base, scrapeInterval: "5s" }, ["monitoring.scrapeTimeout", '"10s"']],
            ["a receiver without URL", { ...base, alerting: { receivers: [{ name: "ops" }] } },
                ["monitoring.alerting.receivers[0].webhookUrl", 'receiver "ops" has no webhook URL']],
            ["a receiver with an empty URL", { ...base, alerting: { receivers: [{ name: "ops", webhookUrl: "" }] } }, ["monitoring.alerting.receivers[0].webhookUrl", '""']],
            ["two receivers of one name", { ...base, alerting: { receivers: [{ name: "a", webhookUrl: "u" }, { name: "a", webhookUrl: "v" }] } },
                ["monitoring.alerting.receivers[1].name", '"a"']],
            ["a route to an unknown receiver", { ...base, alerting: { receivers: [{ name: "a", webhookUrl: "u" }], routes: [{ receiver: "b", matchers: ["x=1"] }] } },
                ["monitoring.alerting.routes[0].receiver", '"b"']],
            ["a CPU threshold above 100", { ...base, thresholds: { cpuPercent: 120 } }, ["monitoring.thresholds.cpuPercent", "120"]],
            ["a negative disk threshold", { ...base, thresholds: { diskPercent: -5 } }, ["monitoring.thresholds.diskPercent", "-5"]],
            ["a fractional restart count", { ...base, thresholds: { restartCount: 1.5 } }, ["monitoring.thresholds.restartCount", "1.5"]],
            ["a bad alert duration", { ...base, thresholds: { pressureFor: "5 minutes" } }, ["monitoring.thresholds.pressureFor", '"5 minutes"']],
            ["no Grafana password", {}, ["monitoring.grafana.adminPassword"]],
            ["a bad Grafana port", { ...base, grafana: { adminPassword: "pw", port: 70000 } }, ["monitoring.grafana.port", "70000"]],
            ["a bad scrape target port", { ...base, scrapeTargets: [{ job: "x", service: "x", port: 0 }] }, ["monitoring.scrapeTargets[0].port", "0"]],
            ["a job name taken by a built-in job", { ...base, scrapeTargets: [{ job: "cadvisor", service: "x", port: 1 }] }, ["monitoring.scrapeTargets", '"cadvisor"']],
            ["a relative metrics path", { ...base, scrapeTargets: [{ job: "x", service: "x", port: 1, path: "metrics" }] }, ["monitoring.scrapeTargets[0].path", '"metrics"']],
            ["an empty namespace list", { ...base, kubernetesNamespaces: [] }, ["monitoring.kubernetesNamespaces"]],
            ["a bad engine metrics port", { ...base, engineMetrics: { port: 0 } }, ["monitoring.engineMetrics.port", "0", "from 1 to 65535"]],
            ["an empty engine target list", { ...base, engineMetrics: { targets: [] } }, ["monitoring.engineMetrics.targets", "at least one engine"]],
            ["an engine target without a port", { ...base, engineMetrics: { targets: ["10.0.0.5:9323", "10.0.0.6"] } },
                ["monitoring.engineMetrics.targets[1]", '"10.0.0.6"', "host:port"]],
            ["an engine target with a URL", { ...base, engineMetrics: { targets: ["http://10.0.0.5:9323"] } }, ["monitoring.engineMetrics.targets[0]", '"http://10.0.0.5:9323"']],
            ["an engine target with port 0", { ...base, engineMetrics: { targets: ["10.0.0.5:0"] } }, ["monitoring.engineMetrics.targets[0]", "from 1 to 65535"]],
            ["an engine target listed twice", { ...base, engineMetrics: { targets: ["a:9323", "a:9323"] } }, ["monitoring.engineMetrics.targets[1]", "listed twice"]],
            ["engine metrics as a bare port", { ...base, engineMetrics: 9323 as never }, ["monitoring.engineMetrics", "9323", "{ port: 9323 }"]],
        ];
        for (const [what, settings, parts] of cases) {
            it(what, () => {
                assertSpecError(() => resolveSettings(settings), ...parts);
            });
        }

        it("a bad metrics port label, naming the app and label", () => {
            const app = defineApp({ name: "shop", services: { web: { image: "web", labels: { "dev.dockyard.metrics.port": "http" } } } });
            assertSpecError(() => resolveSettings({ ...base, apps: [app] }), 'monitoring.apps[0].services.web.labels["dev.dockyard.metrics.port"]', '"http"');
        });

        it("engine metrics on Kubernetes without targets: no engine to find", () => {
            assertSpecError(() => monitoringApp({ ...base, engineMetrics: {} }, on("kubernetes")), "monitoring.engineMetrics", "Kubernetes", "engineMetrics.targets");
        });

        it("engine metrics: the port defaults to 9323; targets kept as given", () => {
            assert.deepStrictEqual(resolveSettings({ ...base, engineMetrics: {} }).engineMetrics, { port: 9323 });
            assert.deepStrictEqual(resolveSettings({ ...base, engineMetrics: { port: 19323, targets: ["[fd00::5]:9323", "node-1:9323"] } }).engineMetrics,
                { port: 19323, targets: ["[fd00::5]:9323", "node-1:9323"] });
            assert.strictEqual(resolveSettings(base).engineMetrics, undefined);
        });
    });
});
