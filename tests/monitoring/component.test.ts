/** The Monitoring and Portainer components, rendered under mocks on each real target. */
import * as assert from "assert";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { Monitoring } from "../../components/monitoring";
import { Portainer } from "../../components/portainer";
import { RenderedResource, SECRET, render } from "../../components/render";
import { AppSpec } from "../../components/spec/types";
import { DockerTarget } from "../../components/targets/docker";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { SwarmTarget } from "../../components/targets/swarm";
import { Plan, PlanOptions, Target, TargetKind } from "../../components/targets/target";
import { promiseOf } from "../harness";
import { on } from "../targets/discovery";

/** A target that records what it is asked to plan, and plans nothing. */
class RecordingTarget implements Target {
    public readonly deployed: { spec: AppSpec; opts: PlanOptions }[] = [];
    public readonly factories = {};
    constructor(public readonly kind: TargetKind, private readonly endpoints: Record<string, string[]>) {}
    public discovery() {
        return on(this.kind);
    }
    public plan(spec: AppSpec, opts: PlanOptions): Plan {
        this.deployed.push({ spec, opts });
        return { target: this.kind, app: spec.name, resources: [], findings: [], names: { services: {}, networks: {}, volumes: {} }, endpoints: { kind: "static", endpoints: this.endpoints } };
    }
}

const types = (rs: RenderedResource[]) => [...new Set(rs.map((r) => r.type))].sort();

describe("monitoring: Monitoring component", () => {
    it("deploys monitoringApp through its target and reports the URLs", async () => {
        const target = new RecordingTarget("docker", { grafana: ["localhost:3000"], prometheus: ["http://localhost:9090"] });
        let m: Monitoring | undefined;
        await render(() => {
            m = new Monitoring("mon", { target, grafana: { adminPassword: "pw" }, prometheusPort: 9090 });
        });
        assert.strictEqual(target.deployed.length, 1);
        assert.strictEqual(target.deployed[0].opts.name, "mon");
                assert.deepStrictEqual(Object.keys(target.deployed[0].spec.services), ["prometheus", "alertmanager", "grafana", "cadvisor", "node-exporter"]);
        assert.strictEqual(await promiseOf(m!.grafanaUrl), "http://localhost:3000");
        assert.strictEqual(await promiseOf(m!.prometheusUrl), "http://localhost:9090");
    });

    it("generates a Grafana password when none is given", async () => {
        const target = new RecordingTarget("docker", {});
        const rs = await render(() => new Monitoring("mon", { target }));
        const pw = rs.find((r) => r.type === "random:index/randomPassword:RandomPassword");
        assert.deepStrictEqual([pw?.name, pw?.parent], ["mon-grafana-admin", "mon"]);
        assert.ok(target.deployed[0].spec.secrets["grafana-admin-password"]);
    });

    it("renders on a Docker host: containers with the generated files, password as a secret", async () => {
        const rs = await render(() => new Monitoring("mon", { target: new DockerTarget(), grafana: { adminPassword: "pw" } }));
        assert.ok(types(rs).includes("docker:index/container:Container"));
        const containers = rs.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name).sort();
        assert.deepStrictEqual(containers, ["mon-alertmanager-1", "mon-cadvisor-1", "mon-grafana-1", "mon-node-exporter-1", "mon-prometheus-1"]);
        assert.ok(!JSON.stringify(rs).includes('"pw"'), "the password must not appear in plain text");
        const grafana = rs.find((r) => r.name === "mon-grafana-1")!;
        assert.ok(JSON.stringify(grafana.inputs).includes(SECRET));
    });

    it("renders on Swarm: global services for cAdvisor and node-exporter", async () => {
        const rs = await render(() => {
            const provider = new docker.Provider("swarm", { host: "unix:///var/run/docker.sock" });
            return new Monitoring("mon", { target: new SwarmTarget({ provider }), grafana: { adminPassword: "pw" } });
        });
        const services = rs.filter((r) => r.type === "docker:index/service:Service");
        const global = services.filter((s) => JSON.stringify(s.inputs.mode ?? {}).includes("global")).map((s) => s.name).sort();
        assert.strictEqual(services.length, 5);
        assert.deepStrictEqual(global.length, 2, JSON.stringify(services.map((s) => [s.name, s.inputs.mode])));
    });

    it("renders on Kubernetes without a target-wide allowHostPath: DaemonSets with hostPath, Prometheus with its own API access", async () => {
        const rs = await render(() => new Monitoring("mon", { target: new KubernetesTarget(), grafana: { adminPassword: "pw" } }));
        const byName = (name: string) => rs.find((r) => r.name === name);
        type Pod = { spec: { template: { spec: { volumes?: { hostPath?: { path: string } }[]; serviceAccountName?: string; automountServiceAccountToken?: boolean } } } };
        const pod = (name: string) => (byName(name)?.inputs as Pod).spec.template.spec;
        const hostPaths = (name: string) => (pod(name).volumes ?? []).flatMap((v) => (v.hostPath ? [v.hostPath.path] : []));
        const daemonSets = rs.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").map((r) => r.name).sort();
        assert.deepStrictEqual(daemonSets, ["mon-cadvisor", "mon-node-exporter"], rs.map((r) => `${r.type} ${r.name}`).join("\n"));
        assert.deepStrictEqual(hostPaths("mon-cadvisor"), ["/", "/var/run", "/sys", "/var/lib/docker", "/dev/disk"]);
        assert.deepStrictEqual(hostPaths("mon-node-exporter"), ["/proc", "/sys", "/"]);

        const rbac = rs.filter((r) => /ServiceAccount|ClusterRole/.test(r.type)).map((r) => `${r.type.replace(/^kubernetes:/, "")} ${r.name} ${(r.inputs.metadata as { name: string }).name}`);
        // Kubernetes names come from the application's name ("monitoring", its namespace), not the component's.
        assert.deepStrictEqual(rbac.sort(), [
            "core/v1:ServiceAccount mon-prometheus-service-account monitoring-prometheus",
            "rbac.authorization.k8s.io/v1:ClusterRole mon-prometheus-cluster-role monitoring-prometheus",
            "rbac.authorization.k8s.io/v1:ClusterRoleBinding mon-prometheus-cluster-role-binding monitoring-prometheus",
        ]);
        assert.strictEqual(pod("mon-prometheus").serviceAccountName, "monitoring-prometheus");
        for (const other of ["mon-grafana", "mon-alertmanager", "mon-cadvisor", "mon-node-exporter"]) assert.strictEqual(pod(other).automountServiceAccountToken, false, other);
    });
});

describe("portainer: Portainer component", () => {
    it("renders on a Docker host with an https URL", async () => {
        let p: Portainer | undefined;
        const rs = await render(() => {
            p = new Portainer("ui", { target: new DockerTarget(), adminPassword: "pw" });
        });
        assert.ok(rs.some((r) => r.type === "docker:index/container:Container" && r.name === "ui-portainer-1"));
        assert.match((await promiseOf(p!.url)) ?? "", /^https:\/\/localhost:9443$/);
    });

    it("renders on Swarm: agent and server services", async () => {
        const rs = await render(() => {
            const provider = new docker.Provider("swarm", { host: "unix:///var/run/docker.sock" });
            return new Portainer("ui", { target: new SwarmTarget({ provider }), adminPassword: "pw" });
        });
        assert.strictEqual(rs.filter((r) => r.type === "docker:index/service:Service").length, 2);
    });
});
