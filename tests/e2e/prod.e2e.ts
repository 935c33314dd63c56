/**
 * The prod stack (WordPress, MySQL and monitoring on Kubernetes), deployed for real with the real
 * Pulumi Kubernetes provider against a real API server: the loopback cluster of
 * scripts/kube-cluster.sh (etcd, kube-apiserver, the controller manager and scheduler, and kwok,
 * whose fake node makes pods Running and Ready without containers). So every object dockyard
 * produces is validated, defaulted and admitted by the API server, the controllers act on it
 * (Deployments roll out, claims bind, the autoscaler scales to its minimum, endpoints are filled),
 * Pulumi's readiness checks pass, and the state Pulumi keeps is compared with what the server
 * returns: no perpetual diff, a change is that change only, destroy removes everything.
 *
 * Published ports use NodePort: nothing gives a LoadBalancer Service an address on this cluster,
 * and Pulumi would wait for one. Nothing listens on node ports (no kube-proxy), so the Services are
 * checked as API objects.
 */
import * as assert from "assert";
import * as fs from "fs";
import { changedSteps } from "./checks";
import { Stack } from "./engine";
import { Cluster, deleteAndWait, eventually, getObject, testCluster } from "./kube";

const PASSWORD = "e2e-Kube-S3cret";
const NAMESPACES = ["wordpress", "monitoring"];
/** The cluster-scoped objects the stack creates (Prometheus's API access). */
const CLUSTER_SCOPED = ["/apis/rbac.authorization.k8s.io/v1/clusterroles/monitoring-prometheus", "/apis/rbac.authorization.k8s.io/v1/clusterrolebindings/monitoring-prometheus"];
const LEFTOVERS = [...NAMESPACES.map((n) => `/api/v1/namespaces/${n}`), ...CLUSTER_SCOPED];

const deployment = (ns: string, name: string) => `/apis/apps/v1/namespaces/${ns}/deployments/${name}`;

describe("prod stack on a real Kubernetes API server (kwok node)", function () {
    let cluster: Cluster;
    let stack: Stack | undefined;

    before(async function () {
        cluster = testCluster();
        // A clean slate by name: what an earlier run may have left on a reused cluster.
        await deleteAndWait(cluster, LEFTOVERS);
        stack = new Stack({ stack: "prod" });
        // The stack reaches the cluster as prod would: a secret kubeconfig and a context.
        stack.setConfig("kubeconfig", fs.readFileSync(cluster.kubeconfig, "utf8"), true);
        stack.setConfig("kubeContext", cluster.context);
        stack.setConfig("k8sServiceType", "NodePort");
        stack.setConfig("dbPassword", PASSWORD, true);
    });

    after(async function () {
        stack?.destroyAndClose();
        if (cluster) await deleteAndWait(cluster, LEFTOVERS);
    });

    it("pulumi up creates every object and waits for the workloads to be ready", function () {
        stack!.up();
    });

    it("the API server has the objects, defaulted, and the controllers acted on them", async function () {
        for (const [ns, name] of [["wordpress", "db"], ["monitoring", "prometheus"], ["monitoring", "grafana"], ["monitoring", "alertmanager"]]) {
            const d = await getObject(cluster, deployment(ns, name));
            assert.ok(d, `deployment ${ns}/${name} is missing`);
            assert.strictEqual(d.status.readyReplicas, d.spec.replicas, `${ns}/${name}: ready replicas`);
            assert.strictEqual(d.spec.template.spec.automountServiceAccountToken, name === "prometheus" ? undefined : false, `${ns}/${name}: token`);
        }
        // WordPress leaves its replica count to the autoscaler, which raises it to its minimum.
        const hpa = await getObject(cluster, "/apis/autoscaling/v2/namespaces/wordpress/horizontalpodautoscalers/wordpress");
        assert.deepStrictEqual([hpa.spec.minReplicas, hpa.spec.maxReplicas], [3, 10]);
        await eventually("WordPress scaled to the autoscaler's minimum of 3 ready pods", 120_000, async () => {
            const d = await getObject(cluster, deployment("wordpress", "wordpress"));
            return d.spec.replicas === 3 && d.status.readyReplicas === 3;
        });
        const wp = (await getObject(cluster, deployment("wordpress", "wordpress"))).spec.template.spec;
        // dockyard writes memory as bytes (Compose's units), and the server keeps that quantity as given.
        assert.deepStrictEqual(wp.containers[0].resources, { limits: { cpu: "1", memory: "1073741824" }, requests: { cpu: "500m", memory: "536870912" } });

        for (const ds of ["node-exporter", "cadvisor"]) {
            const d = await getObject(cluster, `/apis/apps/v1/namespaces/monitoring/daemonsets/${ds}`);
            assert.strictEqual(d.status.numberReady, 1, `daemonset ${ds} ready on the one node`);
        }

        const claim = await getObject(cluster, "/api/v1/namespaces/wordpress/persistentvolumeclaims/db-data");
        assert.strictEqual(claim.status.phase, "Bound");
        assert.strictEqual(claim.spec.resources.requests.storage, "20Gi");
        // No storage class in the stack: the API server's DefaultStorageClass admission set the cluster's.
        assert.strictEqual(claim.spec.storageClassName, "standard");
        for (const c of ["prometheus-data", "alertmanager-data", "grafana-data"]) {
            assert.strictEqual((await getObject(cluster, `/api/v1/namespaces/monitoring/persistentvolumeclaims/${c}`)).status.phase, "Bound", c);
        }

        for (const [ns, name, port] of [["wordpress", "wordpress-public", 80], ["monitoring", "grafana-public", 3000]] as const) {
            const svc = await getObject(cluster, `/api/v1/namespaces/${ns}/services/${name}`);
            assert.strictEqual(svc.spec.type, "NodePort", name);
            assert.strictEqual(svc.spec.ports[0].port, port, name);
            assert.ok(svc.spec.ports[0].nodePort >= 30000 && svc.spec.ports[0].nodePort <= 32767, `${name}: node port ${svc.spec.ports[0].nodePort}`);
        }
        const endpoints = await getObject(cluster, "/apis/discovery.k8s.io/v1/namespaces/wordpress/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Ddb");
        assert.ok(endpoints.items.some((s: any) => (s.endpoints ?? []).some((e: any) => e.conditions?.ready)), "the db Service has no ready endpoint");

        // The password: a Secret with the configured value, mounted as a file, never in the environment.
        const secret = await getObject(cluster, "/api/v1/namespaces/wordpress/secrets/db-password");
        assert.strictEqual(Buffer.from(Object.values<string>(secret.data)[0], "base64").toString(), PASSWORD);
        for (const name of ["db", "wordpress"]) {
            const pod = (await getObject(cluster, deployment("wordpress", name))).spec.template.spec;
            const c = pod.containers[0];
            assert.ok(c.volumeMounts.some((m: any) => m.mountPath === "/run/secrets/db_password"), `${name}: no secret file`);
            assert.ok(!JSON.stringify(c.env ?? []).includes(PASSWORD), `${name}: the password is in the environment`);
        }

        const pods = await getObject(cluster, "/api/v1/namespaces/wordpress/pods");
        assert.ok(pods.items.length >= 4, `${pods.items.length} WordPress and MySQL pods`);
        for (const p of pods.items) assert.strictEqual(p.spec.nodeName, "kwok-node-0", `${p.metadata.name} not scheduled`);
    });

    it("preview right after up shows no changes, and again after refresh", function () {
        stack!.expectNoChanges();
        stack!.refresh();
        stack!.expectNoChanges();
    });

    it("a changed memory limit shows as that change only, and up rolls it out", async function () {
        stack!.setConfig("wordpressMemory", "768m");
        const steps = changedSteps(stack!.pulumi(["preview", "--json"]));
        assert.deepStrictEqual(steps, [["update", "wordpress-wordpress"]]);
        stack!.up();
        const d = await getObject(cluster, deployment("wordpress", "wordpress"));
        assert.strictEqual(d.spec.template.spec.containers[0].resources.limits.memory, String(768 * 1024 * 1024));
        assert.strictEqual(d.status.updatedReplicas, d.spec.replicas);
        stack!.expectNoChanges();
    });

    it("destroy removes the namespaces, their objects and the cluster role", async function () {
        stack!.destroy();
        for (const p of LEFTOVERS) {
            await eventually(`${p} is gone`, 180_000, async () => (await getObject(cluster, p)) === undefined);
        }
        const claims = await getObject(cluster, "/api/v1/persistentvolumeclaims");
        assert.deepStrictEqual(claims.items.map((c: any) => `${c.metadata.namespace}/${c.metadata.name}`), []);
    });
});
