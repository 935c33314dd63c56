/**
 * The stack setting `engineMetrics`: one boolean that adds the docker-engine job, its rules and
 * dashboard to the stack's monitoring, refused where it cannot work, and what the stack's engine
 * must be told (its metrics-addr).
 */
import * as assert from "assert";
import * as path from "path";
import * as YAML from "yaml";
import { readStackFiles } from "../../cli/stack-files";
import { render, RenderedResource } from "../../components/render";
import { readStackConfig } from "../../stacks/config";
import { stackEngineMetrics } from "../../stacks/environment";
import { assertSpecError, REPO_ROOT, resourceNamed } from "../harness";

const get = (values: Record<string, string>) => (key: string) => values[key];

/** The stack's program rendered under mocks with `config` over the stack file's. */
async function renderWith(stack: string, config: Record<string, string>): Promise<RenderedResource[]> {
    const files = readStackFiles(REPO_ROOT, stack);
    const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
    return render(() => program(), { project: files.project, stack, config: { ...files.config, ...config }, secretKeys: files.secretKeys });
}

describe("stacks: engineMetrics", () => {
    it("is off by default, and refused without monitoring or on Kubernetes, naming the stack file and the key", () => {
        assert.strictEqual(readStackConfig(get({ runtime: "docker" }), "dev").engineMetrics, false);
        assertSpecError(() => readStackConfig(get({ runtime: "docker", engineMetrics: "true" }), "dev"),
            "stacks/Pulumi.dev.yaml: dockyard:engineMetrics", "set dockyard:monitoring true");
        assertSpecError(() => readStackConfig(get({ runtime: "kubernetes", monitoring: "true", engineMetrics: "true" }), "prod"),
            "stacks/Pulumi.prod.yaml: dockyard:engineMetrics", "no Docker engine");
        assertSpecError(() => readStackConfig(get({ runtime: "docker", monitoring: "true", engineMetrics: "yes" }), "dev"), "dockyard:engineMetrics", '"yes"');
    });

    it("gives the stack's engine its metrics-addr: docker0's gateway on a Docker host or a loopback swarm, the swarm address otherwise", () => {
        const on = (values: Record<string, string>, stack: string) => stackEngineMetrics(readStackConfig(get({ monitoring: "true", engineMetrics: "true", ...values }), stack));
        assert.deepStrictEqual(on({ runtime: "docker" }, "dev"), { daemon: { metricsAddr: "172.17.0.1:9323" }, monitoring: { port: 9323 } });
        assert.deepStrictEqual(on({ runtime: "swarm" }, "staging")?.daemon, { metricsAddr: "172.17.0.1:9323" });
        assert.deepStrictEqual(on({ runtime: "swarm", swarmAddress: "10.0.0.5" }, "staging")?.daemon, { metricsAddr: "10.0.0.5:9323" });
        assert.strictEqual(stackEngineMetrics(readStackConfig(get({ runtime: "docker", monitoring: "true" }), "dev")), undefined);
    });

    it("dev with engineMetrics: Prometheus scrapes host.docker.internal:9323 through the host gateway; the rules and the dashboard are shipped", async () => {
        const resources = await renderWith("dev", { "dockyard:engineMetrics": "true" });
        const prometheus = resourceNamed(resources, "monitoring-prometheus-1");
        const uploads = Object.fromEntries((prometheus.inputs.uploads as { file: string; content: string }[]).map((u) => [u.file, u.content]));
        const job = YAML.parse(uploads["/etc/prometheus/prometheus.yml"]).scrape_configs.find((j: { job_name: string }) => j.job_name === "docker-engine");
        assert.deepStrictEqual(job, { job_name: "docker-engine", static_configs: [{ targets: ["host.docker.internal:9323"] }] });
        assert.match(uploads["/etc/prometheus/rules/alerts.yml"], /alert: EngineMetricsMissing/);
        assert.deepStrictEqual(prometheus.inputs.hosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
        const grafana = (resourceNamed(resources, "monitoring-grafana-1").inputs.uploads as { file: string }[]).map((u) => u.file);
        assert.ok(grafana.includes("/etc/dockyard/dashboards/docker-engine.json"), grafana.join(", "));
        // The engine itself gets the metrics-addr, in its daemon.json, on docker0's gateway.
        assert.strictEqual(resourceNamed(resources, "host-daemon-apply").inputs.stdin, '{\n  "metrics-addr": "172.17.0.1:9323"\n}\n');
        // Without the setting, none of it.
        const plain = await renderWith("dev", {});
        const plainUploads = resourceNamed(plain, "monitoring-prometheus-1").inputs.uploads as { file: string; content: string }[];
        assert.ok(!plainUploads.some((u) => /docker-engine/.test(u.content)));
        assert.ok(!plain.some((r) => r.name === "host-daemon-apply"), "no daemon.json without the setting");
    });

    it("staging with engineMetrics: every Swarm node from the manager's socket", async () => {
        const resources = await renderWith("staging", { "dockyard:engineMetrics": "true" });
        const config = resourceNamed(resources, "monitoring-config-prometheus-config").inputs.data as string;
        const job = YAML.parse(Buffer.from(config, "base64").toString("utf8")).scrape_configs.find((j: { job_name: string }) => j.job_name === "docker-engine");
        assert.deepStrictEqual(job.dockerswarm_sd_configs, [{ host: "unix:///var/run/docker.sock", role: "nodes" }]);
        assert.strictEqual(job.relabel_configs[1].replacement, "host.docker.internal:9323");
        const spec = (resourceNamed(resources, "monitoring-prometheus").inputs as { taskSpec: { containerSpec: { hosts: unknown; mounts: unknown } } }).taskSpec.containerSpec;
        assert.deepStrictEqual(spec.hosts, [{ host: "host.docker.internal", ip: "host-gateway" }]);
        assert.ok(JSON.stringify(spec.mounts).includes("/var/run/docker.sock"));
        assert.match(resourceNamed(resources, "swarm-daemon-local-apply").inputs.stdin as string, /"metrics-addr": "[0-9.]+:9323"/);
    });
});
