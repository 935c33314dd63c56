/** KubernetesTarget.deploy under Pulumi mocks: which resources, in which order, secrets encrypted, errors before anything exists. */
import * as assert from "assert";
import { App } from "../../../components/app";
import { render, SECRET } from "../../../components/render";
import { defineApp } from "../../../components/spec/normalize";
import { KubernetesTarget } from "../../../components/targets/kubernetes";
import { deployApp } from "../../../components/targets/target";
import { assertSpecError } from "../../harness";
import { RICH_INPUT, richApp, richAppWith } from "./fixture";

describe("KubernetesTarget", () => {
    before(() => {
        process.env.SHOP_API_KEY = "key-from-env";
    });
    after(() => {
        delete process.env.SHOP_API_KEY;
    });

    it("creates namespace, secrets, configs, claims, policies, workloads, Services and HPAs as children", async () => {
        const resources = await render(() => new App("shop", { spec: richAppWith({ services: { web: { "x-kubernetes": { autoscaling: { maxReplicas: 6 } } } } }), target: new KubernetesTarget() }));
        const names = resources.filter((r) => r.type.startsWith("kubernetes:")).map((r) => `${r.type.replace(/^kubernetes:/, "")} ${r.name}`);
        assert.deepStrictEqual(names.sort(), [
            "apps/v1:DaemonSet shop-node-exporter",
            "apps/v1:Deployment shop-api",
            "apps/v1:Deployment shop-db",
            "apps/v1:Deployment shop-web",
            "autoscaling/v2:HorizontalPodAutoscaler shop-web-hpa",
            "batch/v1:Job shop-migrate",
            "core/v1:ConfigMap shop-config-nginx_conf",
            "core/v1:Namespace shop-namespace",
            "core/v1:PersistentVolumeClaim shop-volume-assets",
            "core/v1:PersistentVolumeClaim shop-volume-pgdata",
            "core/v1:Secret shop-secret-api_key",
            "core/v1:Secret shop-secret-db_password",
            "core/v1:Service shop-api-public",
            "core/v1:Service shop-api-service",
            "core/v1:Service shop-db-service",
            "core/v1:Service shop-node-exporter-public",
            "core/v1:Service shop-node-exporter-service",
            "core/v1:Service shop-web-public",
            "core/v1:Service shop-web-service",
            "core/v1:ServiceAccount shop-api-service-account",
            "networking.k8s.io/v1:NetworkPolicy shop-network-back",
            "rbac.authorization.k8s.io/v1:ClusterRole shop-api-cluster-role",
            "rbac.authorization.k8s.io/v1:ClusterRoleBinding shop-api-cluster-role-binding",
        ]);
        for (const r of resources.filter((x) => x.type.startsWith("kubernetes:"))) assert.strictEqual(r.parent, "shop", r.name);

        const byName = Object.fromEntries(resources.map((r) => [r.name, r]));
        // depends_on: web waits for api (healthy), api for the migrate Job (completed); workloads wait for their secrets and claims.
        // api uses the Kubernetes API: its pods start only once their account is bound to its role.
        assert.deepStrictEqual(byName["shop-api"].dependsOn.sort(), ["shop-api-cluster-role-binding", "shop-migrate", "shop-namespace"]);
        assert.deepStrictEqual(byName["shop-api-cluster-role-binding"].dependsOn.sort(), ["shop-api-cluster-role", "shop-api-service-account"]);
        assert.deepStrictEqual(byName["shop-api-service-account"].dependsOn, ["shop-namespace"]);
        const apiPod = (byName["shop-api"].inputs as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
        assert.deepStrictEqual([apiPod.serviceAccountName, apiPod.automountServiceAccountToken], ["shop-api", undefined]);
        const webPod = (byName["shop-web"].inputs as { spec: { template: { spec: Record<string, unknown> } } }).spec.template.spec;
        assert.deepStrictEqual([webPod.serviceAccountName, webPod.automountServiceAccountToken], [undefined, false]);
        assert.deepStrictEqual(byName["shop-web"].dependsOn.sort(), [
            "shop-api", "shop-config-nginx_conf", "shop-namespace", "shop-secret-api_key", "shop-secret-db_password", "shop-volume-assets",
        ]);
        assert.deepStrictEqual(byName["shop-secret-db_password"].inputs.stringData, SECRET);
        assert.deepStrictEqual(byName["shop-config-nginx_conf"].inputs.data, { nginx_conf: "events {}\nhttp {}\n" });
    });

    it("uses a given namespace without creating one", async () => {
        const resources = await render(() => new App("shop", { spec: richApp(), target: new KubernetesTarget({ namespace: "prod", serviceType: "NodePort" }) }));
        assert.ok(!resources.some((r) => r.type === "kubernetes:core/v1:Namespace"));
        const k8sResources = resources.filter((r) => r.type.startsWith("kubernetes:"));
        assert.ok(k8sResources.length > 10);
        const clusterScoped = k8sResources.filter((r) => r.type.includes(":ClusterRole"));
        assert.strictEqual(clusterScoped.length, 2);
        for (const r of k8sResources) {
            const meta = r.inputs.metadata as { name: string; namespace?: string };
            // ClusterRoles and their bindings have no namespace: their name carries it instead.
            if (clusterScoped.includes(r)) assert.deepStrictEqual([meta.name, meta.namespace], ["prod-api", undefined], r.name);
            else assert.strictEqual(meta.namespace, "prod", r.name);
        }
        assert.deepStrictEqual(resources.find((r) => r.name === "shop-api-cluster-role-binding")?.inputs.subjects, [{ kind: "ServiceAccount", name: "prod-api", namespace: "prod" }]);
        assert.strictEqual((resources.find((r) => r.name === "shop-api-public")?.inputs.spec as { type: string }).type, "NodePort");
    });

    it("a missing secret file is a SpecError naming the secret and the path, before any resource", async () => {
        const spec = defineApp({ ...RICH_INPUT, secrets: { ...RICH_INPUT.secrets, db_password: { file: "./nope/password.txt" } } }, { projectDir: "/project" });
        let created = 0;
        const resources = await render(() => {
            assertSpecError(() => deployApp(new KubernetesTarget(), spec, { name: "shop", parent: undefined as never }), "secrets.db_password.file", "/project/nope/password.txt");
            created++;
        });
        assert.strictEqual(created, 1);
        assert.deepStrictEqual(resources, []);
    });
});
