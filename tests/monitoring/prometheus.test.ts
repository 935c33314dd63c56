import * as assert from "assert";
import * as YAML from "yaml";
import { discovery, prometheusConfig, resolveSettings } from "../../components/monitoring";
import { on } from "../targets/discovery";

type Job = Record<string, unknown> & { job_name: string };

function jobs(text: string): Record<string, Job> {
    return Object.fromEntries((YAML.parse(text).scrape_configs as Job[]).map((j) => [j.job_name, j]));
}

describe("monitoring: prometheusConfig", () => {
    const cfg = resolveSettings({
        grafana: { adminPassword: "pw" },
        scrapeTargets: [{ job: "api", service: "api", port: 9000, path: "/stats", app: "billing" }],
    });

    it("has global settings, the rule file and Alertmanager", () => {
        const doc = YAML.parse(prometheusConfig(cfg, on("docker")));
        assert.deepStrictEqual(doc.global, { scrape_interval: "15s", scrape_timeout: "10s", evaluation_interval: "15s", external_labels: { monitor: "monitoring" } });
        assert.deepStrictEqual(doc.rule_files, ["rules/alerts.yml"]);
        assert.deepStrictEqual(doc.alerting, { alertmanagers: [{ static_configs: [{ targets: ["alertmanager:9093"] }] }] });
    });

    it("Docker host: static service names on the shared network", () => {
        const j = jobs(prometheusConfig(cfg, on("docker")));
        assert.deepStrictEqual(Object.keys(j), ["prometheus", "alertmanager", "cadvisor", "node-exporter", "api"]);
        assert.deepStrictEqual(j.prometheus, { job_name: "prometheus", static_configs: [{ targets: ["localhost:9090"] }] });
        assert.deepStrictEqual(j.cadvisor, { job_name: "cadvisor", static_configs: [{ targets: ["cadvisor:8080"] }] });
        assert.deepStrictEqual(j.api, { job_name: "api", metrics_path: "/stats", static_configs: [{ targets: ["api:9000"] }] });
    });

    it("Swarm: tasks.<service> DNS, one target per task", () => {
        const j = jobs(prometheusConfig(cfg, on("swarm")));
        assert.deepStrictEqual(j["node-exporter"], { job_name: "node-exporter", dns_sd_configs: [{ names: ["tasks.node-exporter"], type: "A", port: 9100 }] });
        assert.deepStrictEqual(j.api, { job_name: "api", metrics_path: "/stats", dns_sd_configs: [{ names: ["tasks.api"], type: "A", port: 9000 }] });
    });

    it("Kubernetes: pod discovery selected by the part-of and component labels", () => {
        assert.deepStrictEqual(discovery(on("kubernetes").services, { app: "shop.eu", service: "web_front", port: 8080 }, ["shop"]), {
            kubernetes_sd_configs: [{ role: "pod", namespaces: { names: ["shop"] } }],
            relabel_configs: [
                {
                    source_labels: ["__meta_kubernetes_pod_label_app_kubernetes_io_part_of", "__meta_kubernetes_pod_label_app_kubernetes_io_component"],
                    regex: "shop\\.eu;web-front",
                    action: "keep",
                },
                { source_labels: ["__meta_kubernetes_pod_container_port_number"], regex: "8080", action: "keep" },
                { source_labels: ["__meta_kubernetes_pod_phase"], regex: "Running", action: "keep" },
                { source_labels: ["__meta_kubernetes_namespace"], target_label: "namespace" },
                { source_labels: ["__meta_kubernetes_pod_name"], target_label: "pod" },
                { source_labels: ["__meta_kubernetes_pod_node_name"], target_label: "node" },
            ],
        });
        const anyApp = discovery(on("kubernetes").services, { service: "web", port: 80 }) as { kubernetes_sd_configs: unknown[]; relabel_configs: { regex: string }[] };
        assert.deepStrictEqual(anyApp.kubernetes_sd_configs, [{ role: "pod" }]);
        assert.strictEqual(anyApp.relabel_configs[0].regex, ".+;web");
    });

    it("engine metrics: host gateway on a Docker host, every node on Swarm (a loopback node through the gateway)", () => {
        const withEngine = resolveSettings({ grafana: { adminPassword: "pw" }, engineMetrics: {} });
        assert.deepStrictEqual(jobs(prometheusConfig(withEngine, on("docker")))["docker-engine"], {
            job_name: "docker-engine", static_configs: [{ targets: ["host.docker.internal:9323"] }],
        });
        assert.deepStrictEqual(jobs(prometheusConfig(withEngine, on("swarm")))["docker-engine"], {
            job_name: "docker-engine",
            dockerswarm_sd_configs: [{ host: "unix:///var/run/docker.sock", role: "nodes" }],
            relabel_configs: [
                { source_labels: ["__meta_dockerswarm_node_address"], target_label: "__address__", replacement: "$1:9323" },
                { source_labels: ["__meta_dockerswarm_node_address"], regex: "127\\.[0-9.]+|::1", target_label: "__address__", replacement: "host.docker.internal:9323" },
                { source_labels: ["__meta_dockerswarm_node_hostname"], target_label: "node" },
            ],
        });
        assert.ok(!("docker-engine" in jobs(prometheusConfig(cfg, on("docker")))), "no engine job unless asked");
    });

    it("engine metrics: explicit targets are scraped as given, on any runtime", () => {
        const listed = resolveSettings({ grafana: { adminPassword: "pw" }, engineMetrics: { port: 9999, targets: ["10.0.0.5:9323", "10.0.0.6:9323"] } });
        for (const kind of ["docker", "swarm", "kubernetes"] as const) {
            assert.deepStrictEqual(jobs(prometheusConfig(listed, on(kind)))["docker-engine"], {
                job_name: "docker-engine", static_configs: [{ targets: ["10.0.0.5:9323", "10.0.0.6:9323"] }],
            }, kind);
        }
    });
});
