import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import * as YAML from "yaml";
import { defineApp } from "../../components/spec/normalize";
import { AppSpec, ServiceSpec } from "../../components/spec/types";
import { TargetKind } from "../../components/targets/target";
import { MonitoringSettings, PROMETHEUS_K8S_RBAC_RULES, monitoringApp } from "../../components/monitoring";
import { promiseOf } from "../harness";
import { on } from "../targets/discovery";

const base: MonitoringSettings = { grafana: { adminPassword: "pw" } };
const KINDS: TargetKind[] = ["docker", "swarm", "kubernetes"];

const nets = (s: ServiceSpec) => s.networks.map((n) => n.network);
const published = (s: ServiceSpec) => s.ports.filter((p) => p.published !== undefined).map((p) => `${p.published}:${p.target}`);
const binds = (s: ServiceSpec) => s.mounts.map((m) => `${m.type === "bind" || m.type === "volume" ? m.source : ""}:${m.target}:${m.type !== "tmpfs" && m.readOnly ? "ro" : "rw"}`);

describe("monitoring: monitoringApp", () => {
    for (const kind of KINDS) {
        describe(`on ${kind}`, () => {
            const app: AppSpec = monitoringApp(base, on(kind));

            it("has the five services, cAdvisor and node-exporter on every node", () => {
                assert.deepStrictEqual(Object.keys(app.services), ["prometheus", "alertmanager", "grafana", "cadvisor", "node-exporter"]);
                assert.deepStrictEqual(Object.values(app.services).map((s) => [s.name, s.mode]), [
                    ["prometheus", "replicated"], ["alertmanager", "replicated"], ["grafana", "replicated"], ["cadvisor", "global"], ["node-exporter", "global"],
                ]);
            });

            it("publishes only Grafana by default, everything joins the internal back network", () => {
                assert.deepStrictEqual(Object.values(app.services).map((s) => [s.name, published(s)]), [
                    ["prometheus", []], ["alertmanager", []], ["grafana", ["3000:3000"]], ["cadvisor", []], ["node-exporter", []],
                ]);
                assert.deepStrictEqual(Object.values(app.services).map((s) => [s.name, nets(s)]), [
                    ["prometheus", ["back"]], ["alertmanager", ["back"]], ["grafana", ["back", "front"]], ["cadvisor", ["back"]], ["node-exporter", ["back"]],
                ]);
                assert.strictEqual(app.networks.back.internal, true);
                assert.strictEqual(app.networks.front.internal, false);
            });

            it("mounts the host read-only into cAdvisor and node-exporter", () => {
                assert.deepStrictEqual(binds(app.services.cadvisor), [
                    "/:/rootfs:ro", "/var/run:/var/run:ro", "/sys:/sys:ro", "/var/lib/docker:/var/lib/docker:ro", "/dev/disk:/dev/disk:ro",
                ]);
                assert.strictEqual(app.services.cadvisor.privileged, kind !== "swarm");
                assert.deepStrictEqual(binds(app.services["node-exporter"]), ["/proc:/host/proc:ro", "/sys:/host/sys:ro", "/:/rootfs:ro"]);
                const root = app.services["node-exporter"].mounts[2];
                assert.strictEqual(root.type === "bind" && root.propagation, "rslave");
            });

            it("x-kubernetes, the same on every target (the Kubernetes target alone reads it): a ClusterRole for Prometheus' pod discovery, hostPath for the node agents only", () => {
                const ext = Object.fromEntries(Object.values(app.services).map((s) => [s.name, s.extensions]));
                assert.deepStrictEqual(ext, {
                    prometheus: { "x-kubernetes": { clusterRoleRules: [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }] } },
                    alertmanager: {},
                    grafana: {},
                    cadvisor: { "x-kubernetes": { allowHostPath: true } },
                    "node-exporter": { "x-kubernetes": { allowHostPath: true } },
                });
                assert.strictEqual(app.services.prometheus.extensions["x-kubernetes"] && (app.services.prometheus.extensions["x-kubernetes"] as { clusterRoleRules: unknown }).clusterRoleRules, PROMETHEUS_K8S_RBAC_RULES);
            });

            it("keeps data on named volumes and retention in the flags", () => {
                assert.deepStrictEqual(Object.keys(app.volumes), ["prometheus-data", "alertmanager-data", "grafana-data"]);
                assert.deepStrictEqual(binds(app.services.prometheus), ["prometheus-data:/prometheus:rw"]);
                assert.deepStrictEqual(app.services.prometheus.command, [
                    "--config.file=/etc/prometheus/prometheus.yml", "--storage.tsdb.path=/prometheus", "--storage.tsdb.retention.time=15d",
                ]);
                assert.deepStrictEqual(binds(app.services.grafana), ["grafana-data:/var/lib/grafana:rw"]);
            });

            it("delivers generated files as configs at their paths", () => {
                const refs = Object.values(app.services).flatMap((s) => s.configs.map((c) => `${s.name}:${c.source}:${c.target}`));
                assert.deepStrictEqual(refs, [
                    "prometheus:prometheus-config:/etc/prometheus/prometheus.yml",
                    "prometheus:prometheus-rules:/etc/prometheus/rules/alerts.yml",
                    "alertmanager:alertmanager-config:/etc/alertmanager/alertmanager.yml",
                    "grafana:grafana-datasources:/etc/grafana/provisioning/datasources/prometheus.yml",
                    "grafana:grafana-dashboard-provider:/etc/grafana/provisioning/dashboards/dockyard.yml",
                    "grafana:grafana-dashboard-containers:/etc/dockyard/dashboards/containers.json",
                    "grafana:grafana-dashboard-hosts:/etc/dockyard/dashboards/hosts.json",
                ]);
                for (const c of Object.values(app.configs)) assert.strictEqual(typeof c.content, "string", c.key);
            });

            it("gives Grafana its password as a secret file, sign-up disabled", async () => {
                assert.deepStrictEqual(app.services.grafana.environment, {
                    GF_SECURITY_ADMIN_USER: "admin",
                    GF_SECURITY_ADMIN_PASSWORD__FILE: "/run/secrets/grafana-admin-password",
                    GF_USERS_ALLOW_SIGN_UP: "false",
                    GF_AUTH_ANONYMOUS_ENABLED: "false",
                });
                assert.deepStrictEqual(app.services.grafana.secrets, [{ source: "grafana-admin-password", target: "/run/secrets/grafana-admin-password" }]);
                const content = app.secrets["grafana-admin-password"].content as pulumi.Output<string>;
                assert.ok(pulumi.Output.isInstance(content));
                assert.strictEqual(await pulumi.isSecret(content), true);
                assert.strictEqual(await promiseOf(content), "pw");
            });
        });
    }

    it("publishes Prometheus on request", () => {
        const app = monitoringApp({ ...base, prometheusPort: 19090 }, on("docker"));
        assert.deepStrictEqual(published(app.services.prometheus), ["19090:9090"]);
        assert.deepStrictEqual(nets(app.services.prometheus), ["back", "front"]);
    });

    it("adds the retention size flag", () => {
        const app = monitoringApp({ ...base, retention: "90d", retentionSize: "50GB" }, on("swarm"));
        assert.deepStrictEqual(app.services.prometheus.command?.slice(2), ["--storage.tsdb.retention.time=90d", "--storage.tsdb.retention.size=50GB"]);
    });

    it("webhook URLs: a secret per receiver, read by url_file, Alertmanager on the front network", async () => {
        const app = monitoringApp({ ...base, alerting: { receivers: [{ name: "ops", webhookUrl: "https://hooks.example/T0K3N" }] } }, on("docker"));
        const am = app.services.alertmanager;
        assert.deepStrictEqual(am.secrets, [{ source: "alertmanager-webhook-ops", target: "/run/secrets/alertmanager-webhook-ops" }]);
        assert.deepStrictEqual(nets(am), ["back", "front"]);
        const config = app.configs["alertmanager-config"].content as string;
        assert.ok(!config.includes("T0K3N"), "the webhook URL must not be in the plain config");
        assert.deepStrictEqual(YAML.parse(config).receivers, [
            { name: "ops", webhook_configs: [{ url_file: "/run/secrets/alertmanager-webhook-ops", send_resolved: true }] },
        ]);
        const secret = app.secrets["alertmanager-webhook-ops"].content as pulumi.Output<string>;
        assert.strictEqual(await pulumi.isSecret(secret), true);
    });

    it("Docker host engine metrics: host.docker.internal through the host gateway", () => {
        const app = monitoringApp({ ...base, engineMetrics: {} }, on("docker"));
        const p = app.services.prometheus;
        assert.deepStrictEqual(p.extraHosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
        // The internal back network has no route to the host.
        assert.deepStrictEqual(nets(p), ["back", "front"]);
        assert.deepStrictEqual(binds(p), ["prometheus-data:/prometheus:rw"], "no engine socket on a Docker host");
    });

    it("Swarm engine metrics: Prometheus on a manager with the socket read-only, off the internal network, the host gateway mapped", () => {
        const p = monitoringApp({ ...base, engineMetrics: {} }, on("swarm")).services.prometheus;
        assert.deepStrictEqual(binds(p), ["prometheus-data:/prometheus:rw", "/var/run/docker.sock:/var/run/docker.sock:ro"]);
        assert.deepStrictEqual(p.deploy.placement.constraints, ["node.role == manager"]);
        assert.strictEqual(p.user, "root");
        // Other nodes are reached over the hosts' network; a loopback-advertised node through the gateway.
        assert.deepStrictEqual(nets(p), ["back", "front"]);
        assert.deepStrictEqual(p.extraHosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
    });

    it("engine metrics with explicit targets: no socket, no gateway, on every runtime (Kubernetes included)", () => {
        for (const kind of KINDS) {
            const p = monitoringApp({ ...base, engineMetrics: { targets: ["10.0.0.5:9323"] } }, on(kind)).services.prometheus;
            assert.deepStrictEqual(binds(p), ["prometheus-data:/prometheus:rw"], kind);
            assert.deepStrictEqual(p.extraHosts, [], kind);
            assert.deepStrictEqual(nets(p), ["back", "front"], kind);
        }
    });

    it("engine metrics add the engine rules and the Docker engine dashboard; without them neither is shipped", () => {
        const files = (app: AppSpec) => app.services.grafana.configs.map((c) => c.target);
        const alerts = (app: AppSpec) => YAML.parse(app.configs["prometheus-rules"].content as string).groups.map((g: { name: string }) => g.name);
        const on_ = monitoringApp({ ...base, engineMetrics: {} }, on("docker"));
        assert.ok(files(on_).includes("/etc/dockyard/dashboards/docker-engine.json"));
        assert.deepStrictEqual(alerts(on_), ["targets", "containers", "hosts", "docker-engine"]);
        const off = monitoringApp(base, on("docker"));
        assert.ok(!files(off).includes("/etc/dockyard/dashboards/docker-engine.json"));
        assert.deepStrictEqual(alerts(off), ["targets", "containers", "hosts"]);
        assert.ok(!("grafana-dashboard-engine" in off.configs));
    });

    it("joins the networks of the apps it scrapes, named the way each target names them", () => {
        const shop = defineApp({
            name: "shop",
            services: {
                web: { image: "web:1", networks: ["edge"], labels: { "dev.dockyard.metrics.port": "8081" } },
                db: { image: "postgres:16", networks: ["data"] },
            },
            networks: { edge: {}, data: {} },
        });
        const docker = monitoringApp({ ...base, apps: [shop] }, on("docker"));
        assert.deepStrictEqual(nets(docker.services.prometheus), ["back", "app-shop-edge"]);
        assert.deepStrictEqual([docker.networks["app-shop-edge"].name, docker.networks["app-shop-edge"].external], ["shop_edge", true]);
        const swarm = monitoringApp({ ...base, apps: [shop] }, on("swarm"));
        assert.strictEqual(swarm.networks["app-shop-edge"].name, "shop_edge");
        const k8s = monitoringApp({ ...base, apps: [shop] }, on("kubernetes"));
        assert.deepStrictEqual(Object.keys(k8s.networks), ["back", "front"]);
    });
});
