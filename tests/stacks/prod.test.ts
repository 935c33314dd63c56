import * as assert from "assert";
import * as path from "path";
import { renderStack } from "../../cli/dockyard";
import { readStackFiles } from "../../cli/stack-files";
import { render, RenderedResource, SECRET } from "../../components/render";
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
        // Prometheus' claim holds the retention size (50GB, Prometheus' GiB) plus 25%.
        const prometheus = resources.find((r) => r.type === "kubernetes:core/v1:PersistentVolumeClaim" && r.parent === "monitoring" && r.name.includes("prometheus"));
        assert.ok(prometheus);
        assert.deepStrictEqual((prometheus.inputs as { spec: { resources: unknown } }).spec.resources, { requests: { storage: "63Gi" } });
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

    type Pod = { volumes?: { hostPath?: { path: string } }[]; serviceAccountName?: string; automountServiceAccountToken?: boolean };
    const pod = (name: string) => (byName(name).inputs as { spec: { template: { spec: Pod } } }).spec.template.spec;
    const hostPaths = (name: string) => (pod(name).volumes ?? []).flatMap((v) => (v.hostPath ? [v.hostPath.path] : []));

    it("gives Prometheus a ServiceAccount bound to a ClusterRole that may read pods", () => {
        const sa = byName("monitoring-prometheus-service-account");
        const role = byName("monitoring-prometheus-cluster-role");
        const binding = byName("monitoring-prometheus-cluster-role-binding");
        assert.deepStrictEqual([sa.type, role.type, binding.type], [
            "kubernetes:core/v1:ServiceAccount", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole", "kubernetes:rbac.authorization.k8s.io/v1:ClusterRoleBinding",
        ]);
        const meta = sa.inputs.metadata as { name: string; namespace: string };
        assert.deepStrictEqual([meta.name, meta.namespace], ["monitoring-prometheus", "monitoring"]);
        assert.deepStrictEqual(role.inputs.rules, [{ apiGroups: [""], resources: ["pods"], verbs: ["get", "list", "watch"] }]);
        assert.deepStrictEqual(binding.inputs.roleRef, { apiGroup: "rbac.authorization.k8s.io", kind: "ClusterRole", name: "monitoring-prometheus" });
        assert.deepStrictEqual(binding.inputs.subjects, [{ kind: "ServiceAccount", name: "monitoring-prometheus", namespace: "monitoring" }]);
        assert.strictEqual(pod("monitoring-prometheus").serviceAccountName, "monitoring-prometheus");
        assert.ok(byName("monitoring-prometheus").dependsOn.includes("monitoring-prometheus-cluster-role-binding"));
        // Nothing else in prod talks to the Kubernetes API, so nothing else gets a role or a token.
        assert.strictEqual(resources.filter((r) => r.type === "kubernetes:rbac.authorization.k8s.io/v1:ClusterRole").length, 1);
        for (const name of ["wordpress-wordpress", "wordpress-db", "monitoring-grafana"]) assert.strictEqual(pod(name).automountServiceAccountToken, false, name);
    });

    it("mounts the host into cAdvisor and node-exporter only: no hostPath for WordPress", () => {
        assert.deepStrictEqual(hostPaths("monitoring-cadvisor"), ["/", "/var/run", "/sys", "/var/lib/docker", "/dev/disk"]);
        assert.deepStrictEqual(hostPaths("monitoring-node-exporter"), ["/proc", "/sys", "/"]);
        const wordpressWorkloads = resources.filter((r) => r.parent === "wordpress" && /apps\/v1:(Deployment|StatefulSet|DaemonSet)/.test(r.type));
        assert.ok(wordpressWorkloads.length >= 2, wordpressWorkloads.map((r) => r.name).join(", "));
        for (const w of wordpressWorkloads) assert.deepStrictEqual(hostPaths(w.name), [], w.name);
    });
});

describe("prod with a private registry", () => {
    it("makes an image pull Secret of the login in the app's namespace, which the pods name", async () => {
        const files = readStackFiles(REPO_ROOT, "prod");
        const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
        const config = { ...files.config, "dockyard:registry": "registry.example.com/shop", "dockyard:registryUsername": "ci", "dockyard:registryPassword": "tok3n-value" };
        const resources = await render(program, { project: files.project, stack: "prod", config, secretKeys: [...files.secretKeys, "dockyard:registryPassword"] });
        const secret = resourceNamed(resources, "wordpress-registry-secret");
        assert.strictEqual(secret.inputs.type, "kubernetes.io/dockerconfigjson");
        assert.strictEqual(secret.inputs.stringData, SECRET);
        const pod = (resourceNamed(resources, "wordpress-wordpress").inputs.spec as any).template.spec;
        assert.deepStrictEqual(pod.imagePullSecrets, [{ name: "dockyard-registry" }]);
        assert.ok(!JSON.stringify(resources).includes("tok3n"), "the password appears nowhere");
    });
});
