/**
 * engineMetricsDaemon: the metrics-addr each engine of a stack gets, and that what it returns is
 * what daemon.json and Monitoring accept, and that the two agree on the port.
 */
import * as assert from "assert";
import * as YAML from "yaml";
import { daemonJson } from "../../components/daemon/config";
import { engineMetricsDaemon, monitoringApp, bridgeGateway } from "../../components/monitoring";
import { assertSpecError } from "../harness";
import { on } from "../targets/discovery";

describe("monitoring: engineMetricsDaemon", () => {
    it("a Docker host: the default bridge's gateway, reachable from Prometheus' container as host.docker.internal", () => {
        assert.deepStrictEqual(engineMetricsDaemon({ runtime: "docker" }), { daemon: { metricsAddr: "172.17.0.1:9323" }, monitoring: { port: 9323 } });
        // bip moves docker0, and with it the host gateway.
        assert.deepStrictEqual(engineMetricsDaemon({ runtime: "docker", daemon: { bip: "172.26.0.1/16" }, port: 9400 }).daemon, { metricsAddr: "172.26.0.1:9400" });
        assert.strictEqual(bridgeGateway({ bip: "10.1.2.3/24" }), "10.1.2.3");
    });

    it("a Swarm node: its own address; a node on loopback (or no address given) is this host, on the bridge gateway", () => {
        assert.deepStrictEqual(engineMetricsDaemon({ runtime: "swarm", nodeAddress: "10.0.0.5" }).daemon, { metricsAddr: "10.0.0.5:9323" });
        assert.deepStrictEqual(engineMetricsDaemon({ runtime: "swarm", nodeAddress: "fd00::5" }).daemon, { metricsAddr: "[fd00::5]:9323" });
        for (const nodeAddress of ["127.0.0.1", "127.0.1.1", "::1", undefined]) {
            assert.deepStrictEqual(engineMetricsDaemon({ runtime: "swarm", ...(nodeAddress !== undefined ? { nodeAddress } : {}) }).daemon, { metricsAddr: "172.17.0.1:9323" }, String(nodeAddress));
        }
    });

    it("refuses Kubernetes, naming the setting and why", () => {
        assertSpecError(() => engineMetricsDaemon({ runtime: "kubernetes", where: "dockyard:engineMetrics" }), "dockyard:engineMetrics", '"kubernetes"', "no Docker engine");
    });

    it("refuses a daemon configuration whose metricsAddr Prometheus would not reach, and accepts the same one", () => {
        assertSpecError(() => engineMetricsDaemon({ runtime: "docker", daemon: { metricsAddr: "127.0.0.1:9323" } }), "engineMetrics", '"127.0.0.1:9323"', "172.17.0.1:9323");
        assert.deepStrictEqual(engineMetricsDaemon({ runtime: "docker", daemon: { metricsAddr: "172.17.0.1:9323" } }).daemon, { metricsAddr: "172.17.0.1:9323" });
        assertSpecError(() => engineMetricsDaemon({ runtime: "docker", port: 0 }), "engineMetrics.port", "0");
    });

    it("its daemon fragment is a valid daemon.json (warned: off loopback, as it must be) and its monitoring setting scrapes the same port", () => {
        for (const runtime of ["docker", "swarm"] as const) {
            const e = engineMetricsDaemon({ runtime, port: 9400 });
            const rendered = daemonJson(e.daemon, "daemon", { swarm: runtime === "swarm" });
            assert.deepStrictEqual(rendered.json, { "metrics-addr": "172.17.0.1:9400" });
            assert.deepStrictEqual(rendered.findings.map((f) => f.path), ["daemon.metricsAddr"]);
            const config = monitoringApp({ grafana: { adminPassword: "pw" }, engineMetrics: e.monitoring }, on(runtime)).configs["prometheus-config"].content as string;
            const job = YAML.parse(config).scrape_configs.find((j: { job_name: string }) => j.job_name === "docker-engine");
            assert.ok(JSON.stringify(job).includes("host.docker.internal:9400"), JSON.stringify(job));
        }
    });
});
