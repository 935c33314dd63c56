import * as assert from "assert";
import { renderStack } from "../../cli/dockyard";
import { RenderedResource } from "../../components/render";
import { REPO_ROOT, resourceNamed } from "../harness";

describe("stacks/prod", () => {
    let resources: RenderedResource[];
    before(async () => {
        resources = await renderStack("prod", REPO_ROOT);
    });
    const byName = (name: string) => resourceNamed(resources, name);
    type Workload = { spec: { replicas?: number; template: { spec: { containers: { resources: unknown }[] } } } };

    it("deploys WordPress on Kubernetes with prod replicas, requests and limits", () => {
        const wp = byName("wordpress-wordpress").inputs as Workload;
        assert.strictEqual(byName("wordpress-wordpress").type, "kubernetes:apps/v1:Deployment");
        // The autoscaler owns the replica count (min 3); a fixed count would fight it on every update.
        assert.strictEqual(wp.spec.replicas, undefined);
        assert.deepStrictEqual(wp.spec.template.spec.containers[0].resources, {
            limits: { cpu: "1000m", memory: String(1024 ** 3) },
            requests: { cpu: "500m", memory: String(512 * 1024 ** 2) },
        });
    });

    it("sizes the database claim and autoscales WordPress on CPU", () => {
        const pvc = resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.parent === "wordpress");
        assert.ok(pvc);
        assert.deepStrictEqual((pvc.inputs as { spec: { resources: unknown } }).spec.resources, { requests: { storage: "20Gi" } });
        const hpa = resources.find((r) => r.type === "kubernetes:autoscaling/v2:HorizontalPodAutoscaler");
        assert.ok(hpa);
        const spec = (hpa.inputs as { spec: { minReplicas: number; maxReplicas: number } }).spec;
        assert.deepStrictEqual([spec.minReplicas, spec.maxReplicas], [3, 10]);
    });

    it("publishes WordPress through a LoadBalancer and keeps the database in the cluster", () => {
        const services = resources.filter((r) => r.type === "kubernetes:core/v1:Service" && r.parent === "wordpress");
        const types = Object.fromEntries(services.map((s) => [s.name, (s.inputs as { spec: { type?: string } }).spec.type ?? "ClusterIP"]));
        assert.strictEqual(types["wordpress-wordpress-public"], "LoadBalancer");
        assert.ok(!Object.entries(types).some(([n, t]) => n.includes("-db") && t !== "ClusterIP"), JSON.stringify(types));
    });

    it("runs node-exporter and cAdvisor as DaemonSets", () => {
        const ds = resources.filter((r) => r.type === "kubernetes:apps/v1:DaemonSet").map((r) => r.name).sort();
        assert.deepStrictEqual(ds, ["monitoring-cadvisor", "monitoring-node-exporter"]);
    });
});
