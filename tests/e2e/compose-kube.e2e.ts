/**
 * The Compose file the Docker-host and Swarm suites deploy (tests/e2e/compose/compose.yaml, the
 * "kitchen" app), deployed the same way — `App.fromCompose` in a Pulumi program, the real CLI and
 * the real Kubernetes provider — on the test cluster (scripts/kube-cluster.sh), so Compose's
 * behaviour is checked on Kubernetes as it is on the engines:
 *
 * - the one-shot `migrate` (no restart setting, `api` waits for it to complete) is a Job that
 *   completes before `api` is created, as on a Docker host (exited) and Swarm (never restarted);
 * - every service is reachable by its name: `cache`, which lists no ports, gets a headless Service;
 *   `api`'s loopback-bound ports stay inside the cluster (no `-public` Service), its `expose`d port
 *   is on its Service, and its network alias `gateway` is a Service too;
 * - the config and secrets are objects mounted as files; no perpetual diff; destroy.
 *
 * The kwok node runs no containers, so the checks are on the API objects and the controllers'
 * status. `api`'s `node.role == manager` constraint needs a control-plane node: the node gets the
 * label for the suite, and loses it after.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { Stack } from "./engine";
import { Cluster, deleteAndWait, getObject, request, testCluster } from "./kube";

const KITCHEN = path.join(REPO_ROOT, "tests", "e2e", "compose", "compose.yaml");
const NODE = "/api/v1/nodes/kwok-node-0";
const CONTROL_PLANE = "node-role.kubernetes.io/control-plane";
const LEFTOVERS = ["/api/v1/namespaces/kitchen"];

const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { App } from "./components";
import { KubernetesTarget } from "./components/targets/kubernetes";

const e2e = new pulumi.Config("e2e");
const provider = new k8s.Provider("cluster", { kubeconfig: e2e.requireSecret("kubeconfig"), context: e2e.require("context") });
const target = new KubernetesTarget({ provider, serviceType: "NodePort" });
export const endpoints = App.fromCompose("kitchen", { files: [e2e.require("file")], target }).endpoints;
`;

async function setControlPlaneLabel(c: Cluster, on: boolean): Promise<void> {
    const patch = { metadata: { labels: { [CONTROL_PLANE]: on ? "" : null } } };
    const r = await request(c, "PATCH", NODE, patch, "application/merge-patch+json");
    assert.strictEqual(r.status, 200, `labelling the node: ${JSON.stringify(r.body)}`);
}

describe("Compose application on a real Kubernetes API server (kwok node)", function () {
    let cluster: Cluster;
    let stack: Stack | undefined;
    const ns = (p: string) => p.replace("{ns}", "/namespaces/kitchen");

    before(async function () {
        cluster = testCluster();
        await deleteAndWait(cluster, LEFTOVERS);
        await setControlPlaneLabel(cluster, true);
        // Bounded: a workload that never becomes ready fails the suite in minutes, not Pulumi's 10.
        stack = new Stack({ stack: "compose-kubernetes", program: PROGRAM, timeoutMs: 6 * 60_000 });
        // The project declares a runtime; this program does not read it.
        stack.setConfig("dockyard:runtime", "kubernetes");
        stack.setConfig("e2e:kubeconfig", fs.readFileSync(cluster.kubeconfig, "utf8"), true);
        stack.setConfig("e2e:context", cluster.context);
        stack.setConfig("e2e:file", KITCHEN);
    });

    after(async function () {
        stack?.destroyAndClose();
        if (cluster) {
            await deleteAndWait(cluster, LEFTOVERS);
            await setControlPlaneLabel(cluster, false);
        }
    });

    it("pulumi up creates the app and waits for the one-shot Job and the workloads", function () {
        stack!.up();
    });

    it("migrate ran once, to completion, before api was created", async function () {
        const job = await getObject(cluster, ns("/apis/batch/v1{ns}/jobs/migrate"));
        assert.ok(job, "no Job migrate");
        assert.strictEqual(job.status.succeeded, 1, JSON.stringify(job.status));
        assert.strictEqual(job.spec.template.spec.restartPolicy, "Never");
        const api = await getObject(cluster, ns("/apis/apps/v1{ns}/deployments/api"));
        assert.strictEqual(api.status.readyReplicas, 2);
        assert.ok(Date.parse(api.metadata.creationTimestamp) >= Date.parse(job.status.completionTime), `api created ${api.metadata.creationTimestamp}, migrate completed ${job.status.completionTime}`);
        const cache = await getObject(cluster, ns("/apis/apps/v1{ns}/daemonsets/cache"));
        assert.strictEqual(cache.status.numberReady, 1, "cache (mode: global) runs on the node");
    });

    it("every service is reachable by its name, and loopback-bound ports stay inside the cluster", async function () {
        const cache = await getObject(cluster, ns("/api/v1{ns}/services/cache"));
        assert.ok(cache, "cache lists no ports, and still has a Service");
        assert.strictEqual(cache.spec.clusterIP, "None");
        assert.strictEqual(cache.spec.ports, undefined);
        const api = await getObject(cluster, ns("/api/v1{ns}/services/api"));
        assert.deepStrictEqual(
            api.spec.ports.map((p: { port: number; protocol: string }) => `${p.port}/${p.protocol}`).sort(),
            ["8080/TCP", "8081/UDP", "9000/TCP"],
        );
        assert.strictEqual(await getObject(cluster, ns("/api/v1{ns}/services/api-public")), undefined, "a port bound to 127.0.0.1 is not published");
        const gateway = await getObject(cluster, ns("/api/v1{ns}/services/gateway"));
        assert.ok(gateway, "the alias gateway has a Service");
        assert.deepStrictEqual(gateway.spec.selector, api.spec.selector);
        // The endpoints controller fills the headless Service with the pods' addresses: the name resolves.
        const slices = (await request(cluster, "GET", ns(`/apis/discovery.k8s.io/v1{ns}/endpointslices?labelSelector=${encodeURIComponent("kubernetes.io/service-name=cache")}`))).body.items;
        assert.ok(slices.some((s: { endpoints?: Array<{ conditions: { ready: boolean } }> }) => (s.endpoints ?? []).some((e) => e.conditions.ready)), JSON.stringify(slices));
    });

    it("the config and the secret are objects mounted as files", async function () {
        const cm = await getObject(cluster, ns("/api/v1{ns}/configmaps/settings"));
        assert.match(Object.values(cm.data).join(""), /level = info/);
        assert.ok(await getObject(cluster, ns("/api/v1{ns}/secrets/token")), "no Secret token");
        const pod = (await getObject(cluster, ns("/apis/apps/v1{ns}/deployments/api"))).spec.template.spec;
        const mounts = pod.containers[0].volumeMounts.map((m: { mountPath: string }) => m.mountPath);
        for (const p of ["/run/secrets/token", "/etc/api/token", "/etc/api/settings.ini", "/var/lib/api", "/cache", "/scratch"]) assert.ok(mounts.includes(p), `${p} not mounted: ${mounts}`);
    });

    it("preview right after up shows no changes", function () {
        stack!.expectNoChanges();
    });

    it("destroy removes the app", async function () {
        stack!.destroy();
        assert.strictEqual(await getObject(cluster, LEFTOVERS[0]), undefined);
    });
});
