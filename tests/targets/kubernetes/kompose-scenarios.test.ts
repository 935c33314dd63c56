/**
 * The scenarios of kompose's test fixtures (kubernetes/kompose, script/test/fixtures/<name>), each
 * written again as a small Compose file of our own, rendered by the Kubernetes target as a user
 * renders it (`loadCompose`, `KubernetesTarget.plan`, the manifests of `dockyard render --format
 * yaml`), asserting what the user should see: the objects (kind, name, key fields, each valid for
 * the API server per kubernetes-models), the findings with their Compose paths, or the error.
 * Where dockyard differs from kompose on purpose, a comment says why. Issue 13.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { inComposeTerms, loadCompose } from "../../../components/compose";
import { manifestsOf } from "../../../components/render/manifests";
import { SpecError } from "../../../components/spec/errors";
import { AppSpec } from "../../../components/spec/types";
import { KubernetesTarget, KubernetesTargetArgs } from "../../../components/targets/kubernetes";
import { Finding, Plan } from "../../../components/targets/plan";

type Model = new (data: object) => { validate(): void };
type Obj = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

// kubernetes-models is ESM-only; a real dynamic import (not compiled to require) loads it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, Model>>;
const models: Record<string, Model> = {};
const MODEL_PATHS: Record<string, string> = {
    "v1/Namespace": "v1/Namespace", "v1/Secret": "v1/Secret", "v1/ConfigMap": "v1/ConfigMap", "v1/PersistentVolumeClaim": "v1/PersistentVolumeClaim",
    "v1/Service": "v1/Service", "apps/v1/Deployment": "apps/v1/Deployment", "apps/v1/DaemonSet": "apps/v1/DaemonSet", "apps/v1/StatefulSet": "apps/v1/StatefulSet",
    "batch/v1/Job": "batch/v1/Job", "batch/v1/CronJob": "batch/v1/CronJob", "networking.k8s.io/v1/NetworkPolicy": "networking.k8s.io/v1/NetworkPolicy",
    "networking.k8s.io/v1/Ingress": "networking.k8s.io/v1/Ingress", "autoscaling/v2/HorizontalPodAutoscaler": "autoscaling/v2/HorizontalPodAutoscaler",
};
before(async () => {
    for (const [key, p] of Object.entries(MODEL_PATHS)) models[key] = (await importEsm(`kubernetes-models/${p}`))[p.slice(p.lastIndexOf("/") + 1)];
});

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** A scratch project: its files written, the Compose file loaded as `dockyard render` loads it. */
class Project {
    readonly dir: string;
    constructor(readonly name: string, compose: string, files: Record<string, string | Buffer> = {}) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `dockyard-kompose-${name}-`));
        for (const [file, content] of Object.entries({ "compose.yaml": compose, ...files })) {
            fs.mkdirSync(path.dirname(path.join(this.dir, file)), { recursive: true });
            fs.writeFileSync(path.join(this.dir, file), content);
        }
    }
    load(): AppSpec {
        return loadCompose(path.join(this.dir, "compose.yaml"), { projectName: this.name, env: {}, onWarning: () => undefined });
    }
    plan(args: KubernetesTargetArgs = {}): Plan {
        const spec = this.load();
        const plan = new KubernetesTarget(args).plan(spec, { name: this.name });
        // Findings are told as `dockyard render --plan` tells them: at the path the Compose file wrote.
        const file = path.join(this.dir, "compose.yaml");
        composePaths.set(plan, (f) => inComposeTerms(new SpecError(f.message, f.path), file, spec).path);
        return plan;
    }
    remove(): void {
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

const projects: Project[] = [];
after(() => projects.forEach((p) => p.remove()));
function project(name: string, compose: string, files?: Record<string, string | Buffer>): Project {
    const p = new Project(name, compose, files);
    projects.push(p);
    return p;
}

const composePaths = new WeakMap<Plan, (f: Finding) => string>();
const where = (p: Plan, f: Finding) => composePaths.get(p)!(f);
/** The plan's warnings, `<Compose path>: <message>`. */
const warnings = (p: Plan) => p.findings.filter((f) => f.level === "warning").map((f) => `${where(p, f)}: ${f.message}`);
/** The plan's errors, `[<Compose path>, value]`. */
const errors = (p: Plan) => p.findings.filter((f) => f.level === "error").map((f) => [where(p, f), f.value]);

/** The manifests of a plan without errors, every one valid for its kind and well named; `Kind/name` → object. */
async function rendered(p: Plan): Promise<Map<string, Obj>> {
    assert.deepStrictEqual(errors(p), [], "the plan has no errors");
    const out = new Map<string, Obj>();
    for (const m of await manifestsOf(p)) {
        const o = m.object as Obj;
        const Model = models[`${o.apiVersion}/${o.kind}`];
        assert.ok(Model, `no model for ${o.apiVersion}/${o.kind}`);
        try {
            new Model(o).validate();
        } catch (e) {
            assert.fail(`${o.kind} ${o.metadata.name} is invalid: ${(e as Error).message}`);
        }
        assert.ok((o.kind === "Service" || o.kind === "Namespace" ? DNS_LABEL : DNS_SUBDOMAIN).test(o.metadata.name), `${o.kind}: bad name ${o.metadata.name}`);
        out.set(`${o.kind}/${o.metadata.name}`, o);
    }
    return out;
}

/** The object `key` (`Kind/name`) of a render; fails listing those there are. */
function get(objects: Map<string, Obj>, key: string): Obj {
    const o = objects.get(key);
    assert.ok(o, `no ${key} among ${[...objects.keys()].join(", ")}`);
    return o;
}
const pod = (workload: Obj): Obj => (workload.kind === "CronJob" ? workload.spec.jobTemplate.spec.template.spec : workload.spec.template.spec);
const ports = (svc: Obj) => (svc.spec.ports ?? []).map((x: Obj) => `${x.port}->${x.targetPort}/${x.protocol}`);
const kinds = (objects: Map<string, Obj>) => [...objects.keys()].filter((k) => !k.startsWith("Namespace/")).sort();

/** A SpecError thrown by the loader: its path and value. */
function loadError(p: Project): [string, unknown] {
    try {
        p.load();
    } catch (e) {
        assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
        return [e.path, e.value];
    }
    assert.fail("the Compose file loaded");
}

describe("kompose scenarios: ports, expose and host addresses", () => {
    // after kompose script/test/fixtures/expose
    it("expose: the kompose.service.expose labels are not read; the warning names x-kubernetes.ingress, and the port is published as Compose says", async () => {
        const p = project("expose", [
            "services:",
            "  web:",
            "    image: example/counter",
            "    ports: ['5000:5000']",
            "    labels:",
            "      kompose.service.expose: shop.example.com/dev,admin.example.com",
            "      kompose.service.expose.tls-secret: shop-tls",
            "      kompose.service.expose.ingress-class-name: nginx",
            "  redis:",
            "    image: redis:7",
            "    ports: ['6379']",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.web.labels: kompose.service.expose: not valid Kubernetes label values, put on the pods as annotations",
            "services.web.labels: kompose.service.expose, kompose.service.expose.tls-secret, kompose.service.expose.ingress-class-name: kompose labels are not read; " +
                "say it with x-kubernetes.ingress ({ host, path, tlsSecret, className })",
        ]);
        const o = await rendered(p);
        // kompose makes an Ingress from the label; dockyard reads no kompose labels (one
        // vocabulary, checked: x-kubernetes), so there is none until x-kubernetes.ingress says so.
        assert.deepStrictEqual(kinds(o), ["Deployment/redis", "Deployment/web", "Service/redis", "Service/redis-public", "Service/web", "Service/web-public"]);
        assert.deepStrictEqual(ports(get(o, "Service/web-public")), ["5000->5000/TCP"]);
        assert.strictEqual(get(o, "Service/web-public").spec.type, "LoadBalancer");
        // A value that is no label value goes to the pod's annotations, not lost.
        assert.strictEqual(pod(get(o, "Deployment/web")) && get(o, "Deployment/web").spec.template.metadata.annotations["kompose.service.expose"], "shop.example.com/dev,admin.example.com");
    });

    it("expose, said with x-kubernetes.ingress: an Ingress with both hosts, the path, TLS and class", async () => {
        const o = await rendered(project("expose-ingress", [
            "services:",
            "  web:",
            "    image: example/counter",
            "    ports: ['5000:5000']",
            "    x-kubernetes:",
            "      ingress: { host: [shop.example.com, admin.example.com], path: /dev, tlsSecret: shop-tls, className: nginx }",
            "",
        ].join("\n")).plan());
        const ing = get(o, "Ingress/web");
        assert.strictEqual(ing.spec.ingressClassName, "nginx");
        assert.deepStrictEqual(ing.spec.tls, [{ hosts: ["shop.example.com", "admin.example.com"], secretName: "shop-tls" }]);
        assert.deepStrictEqual(ing.spec.rules.map((r: Obj) => [r.host, r.http.paths[0].path, r.http.paths[0].pathType, r.http.paths[0].backend.service]),
            [["shop.example.com", "/dev", "Prefix", { name: "web", port: { number: 5000 } }], ["admin.example.com", "/dev", "Prefix", { name: "web", port: { number: 5000 } }]]);
    });

    // after kompose script/test/fixtures/ports-with-ip
    it("ports-with-ip: a port bound to 127.0.0.1 stays in the cluster (a warning); a UDP port with another target is published as written", async () => {
        const p = project("ports-with-ip", [
            "services:",
            "  web:",
            "    image: example/counter",
            "    ports: ['127.0.0.1:5000:5000/tcp']",
            "  redis:",
            "    image: redis:7",
            "    ports: ['6379/tcp', '1234:1235/udp']",
            "",
        ].join("\n")).plan();
        // kompose publishes 127.0.0.1:5000 like any port; on a Docker host only the host itself
        // reaches it, so publishing it on a load balancer would open what the file closed.
        assert.deepStrictEqual(warnings(p).map((w) => w.slice(0, w.indexOf(":"))), ["services.web.ports[0]"]);
        assert.match(warnings(p)[0], /loopback address 127\.0\.0\.1.*stays inside the cluster/);
        const o = await rendered(p);
        assert.ok(!o.has("Service/web-public"));
        assert.deepStrictEqual(ports(get(o, "Service/web")), ["5000->5000/TCP"]);
        assert.deepStrictEqual(ports(get(o, "Service/redis-public")), ["6379->6379/TCP", "1234->1235/UDP"]);
        assert.deepStrictEqual(ports(get(o, "Service/redis")), ["6379->6379/TCP", "1235->1235/UDP"], "in the cluster, every port at its container port");
    });

    // after kompose script/test/fixtures/same-port-different-proto
    it("same-port-different-proto: 53/tcp and 53/udp are two ports of one Service, with distinct names", async () => {
        const o = await rendered(project("same-port", "services:\n  dns:\n    image: coredns/coredns\n    ports: ['53:53/tcp', '53:53/udp']\n").plan());
        const svc = get(o, "Service/dns-public");
        assert.deepStrictEqual(svc.spec.ports.map((x: Obj) => [x.name, x.port, x.protocol]), [["tcp-53", 53, "TCP"], ["udp-53", 53, "UDP"]]);
        assert.deepStrictEqual(pod(get(o, "Deployment/dns")).containers[0].ports.map((x: Obj) => [x.name, x.containerPort, x.protocol]), [["tcp-53", 53, "TCP"], ["udp-53", 53, "UDP"]]);
    });

    // after kompose script/test/fixtures/host-port-protocol
    it("host-port-protocol: a long-syntax port in mode host is published by the Service; the mode is a warning, not a hostPort", async () => {
        const p = project("host-port", "services:\n  nginx:\n    image: nginx\n    ports:\n      - { target: 80, published: 80, protocol: tcp, mode: host }\n").plan();
        assert.deepStrictEqual(warnings(p), ["services.nginx.ports[0].mode: host mode is ignored; the port is published by the service's Service (NodePort or LoadBalancer)"]);
        const o = await rendered(p);
        // kompose sets a hostPort; that ties the pod to a node's port (one replica per node, a
        // failed rollout when the port is taken), which the Service does without.
        assert.strictEqual(pod(get(o, "Deployment/nginx")).containers[0].ports[0].hostPort, undefined);
        assert.deepStrictEqual(ports(get(o, "Service/nginx-public")), ["80->80/TCP"]);
    });

    // after kompose script/test/fixtures/external-traffic-policy (compose-v2)
    it("external-traffic-policy: the labels name their keys; said with x-kubernetes, the published Service keeps client addresses", async () => {
        const labelled = project("etp-labels", [
            "services:",
            "  front-end:",
            "    image: example/frontend:v4",
            "    ports: ['80:80']",
            "    labels:",
            "      kompose.service.external-traffic-policy: local",
            "      kompose.service.type: headless",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(labelled), [
            "services.front-end.labels: kompose.service.external-traffic-policy: kompose labels are not read; say it with x-kubernetes.externalTrafficPolicy",
            "services.front-end.labels: kompose.service.type: kompose labels are not read; say it with x-kubernetes.serviceType (its headless value: x-kubernetes.headless: true)",
        ]);
        const o = await rendered(project("etp", [
            "services:",
            "  front-end:",
            "    image: example/frontend:v4",
            "    ports: ['80:80']",
            "    x-kubernetes: { externalTrafficPolicy: Local, headless: true, serviceType: NodePort, nodePort: 30080 }",
            "",
        ].join("\n")).plan());
        // kompose's headless type with a published port gives one headless Service and publishes
        // nothing; dockyard keeps both meanings: the in-cluster name headless, the port published.
        assert.strictEqual(get(o, "Service/front-end").spec.clusterIP, "None");
        const pub = get(o, "Service/front-end-public").spec;
        assert.deepStrictEqual([pub.type, pub.externalTrafficPolicy, pub.ports[0].nodePort], ["NodePort", "Local", 30080]);
    });

    // after kompose script/test/fixtures/env (two services publish the same host ports)
    it("env: two services publishing the same host port are refused at load, with the path and the port", () => {
        const p = project("env-ports", [
            "services:",
            "  namenode:",
            "    image: example/namenode:2",
            "    ports: ['50070:50070']",
            "  another-namenode:",
            "    image: example/namenode:2",
            "    ports: ['50070:50070']",
            "",
        ].join("\n"));
        // kompose gives each its own LoadBalancer; the same file fails on a Docker host (a host
        // port binds once), and an app must behave the same on every target.
        assert.deepStrictEqual(loadError(p), ["services.another-namenode.ports", 50070]);
    });
});

describe("kompose scenarios: services without ports, endpoint modes, names", () => {
    // after kompose script/test/fixtures/compose-v3.3-test (compose-endpoint-mode-1, -2)
    it("endpoint-mode: vip keeps a cluster IP; dnsrr is headless; a database without ports still gets its name", async () => {
        const o = await rendered(project("endpoint-mode", [
            "services:",
            "  wordpress:",
            "    image: wordpress",
            "    ports: ['8080:80']",
            "    deploy: { mode: replicated, replicas: 2, endpoint_mode: vip }",
            "  db:",
            "    image: mariadb",
            "    deploy: { replicas: 2, endpoint_mode: dnsrr }",
            "  cache:",
            "    image: redis",
            "",
        ].join("\n")).plan());
        assert.strictEqual(get(o, "Deployment/wordpress").spec.replicas, 2);
        assert.strictEqual(get(o, "Service/wordpress").spec.clusterIP, undefined);
        // kompose makes no Service for a service without ports, so `db` would not resolve;
        // a headless Service without ports gives the name, as Compose's DNS does.
        for (const name of ["db", "cache"]) {
            const spec = get(o, `Service/${name}`).spec;
            assert.deepStrictEqual([spec.clusterIP, spec.ports], ["None", undefined], name);
        }
    });

    // after kompose script/test/fixtures/resources-lowercase
    it("resources-lowercase: NGINX and my_db become nginx and my-db, each with a warning saying how it is reached", async () => {
        const p = project("lowercase", "services:\n  NGINX:\n    image: nginx:latest\n    ports: ['80:80']\n  my_db:\n    image: postgres\n").plan();
        assert.deepStrictEqual(warnings(p), [
            `services.NGINX: reachable in the cluster as "nginx", not "NGINX" (Kubernetes names allow no '_', '.' or upper case)`,
            `services.my_db: reachable in the cluster as "my-db", not "my_db" (Kubernetes names allow no '_', '.' or upper case)`,
        ]);
        assert.deepStrictEqual(kinds(await rendered(p)), ["Deployment/my-db", "Deployment/nginx", "Service/my-db", "Service/nginx", "Service/nginx-public"]);
    });

    // after kompose script/test/fixtures/network-mode-service
    it("network-mode-service: network_mode service: is refused with its path; nothing is planned", () => {
        const p = project("netmode", [
            "services:",
            "  client:",
            "    image: busybox",
            "    command: [sleep, infinity]",
            "    restart: unless-stopped",
            "    ports: ['8080:8080']",
            "  server:",
            "    image: busybox",
            "    command: [sleep, infinity]",
            "    restart: unless-stopped",
            "    network_mode: service:client",
            "",
        ].join("\n")).plan();
        // kompose puts both containers in one pod; dockyard keeps a service one pod, scaled and
        // restarted on its own, and says so instead of merging two services.
        assert.deepStrictEqual(errors(p), [["services.server.network_mode", "service:client"]]);
        assert.deepStrictEqual(p.resources, []);
    });
});

describe("kompose scenarios: volumes and files of the project", () => {
    // after kompose script/test/fixtures/configmap-volume
    it("configmap-volume: a folder and a file of the project become ConfigMaps (read-write binds warned); a binary file is refused", async () => {
        const text = { "tls/a.key": "key a\n", "tls/a.crt": "crt\n" };
        const ok = project("cm-volume", "services:\n  web:\n    image: nginx\n    volumes:\n      - ./tls:/etc/tls\n      - ./tls/a.key:/etc/test-a-key.key:ro\n", text).plan();
        assert.deepStrictEqual(warnings(ok), ["services.web.volumes[0]: a file of the project is mounted from a ConfigMap, which is read-only: writes to /etc/tls fail (mark the bind :ro to say so)"]);
        const o = await rendered(ok);
        assert.deepStrictEqual(get(o, "ConfigMap/web-bind-0").data, { "a.crt": "crt\n", "a.key": "key a\n" });
        assert.deepStrictEqual(get(o, "ConfigMap/web-bind-1").data, { "test-a-key.key": "key a\n" });
        const mounts = pod(get(o, "Deployment/web")).containers[0].volumeMounts.map((m: Obj) => [m.mountPath, m.subPath, m.readOnly]);
        assert.deepStrictEqual(mounts, [["/etc/tls", undefined, true], ["/etc/test-a-key.key", "test-a-key.key", true]]);

        // kompose puts a binary file in binaryData; dockyard refuses it (a ConfigMap carries
        // configuration text, a tarball is data: a named volume or the image).
        const binary = project("cm-binary", "services:\n  db:\n    image: mysql\n    volumes: ['./configs.tar:/data/configs.tar:ro']\n", { "configs.tar": Buffer.from([0x75, 0x73, 0x74, 0x61, 0x72, 0, 0xff, 0xfe]) }).plan();
        assert.deepStrictEqual(errors(binary).map(([where]) => where), ["services.db.volumes[0]"]);
        assert.match(binary.findings.find((f) => f.level === "error")!.message, /binary \(not UTF-8 text\)/);
        assert.deepStrictEqual(binary.resources, []);
    });

    // after kompose script/test/fixtures/configmap-file-configs (compose.yaml, compose-2.yaml)
    it("configmap-file-configs: a folder, a file deep in the project mounted into it, and two files: four ConfigMaps, created before the Deployment", async () => {
        const p = project("cm-files", [
            "services:",
            "  busy:",
            "    image: busybox",
            "    ports: ['8081:8080', '8026:8025']",
            "    volumes:",
            "      - ./certs:/certs:ro",
            "      - ./level1/level2/cert2.pem:/certs/cert2.pem:ro",
            "      - ./auth.txt:/auth.txt:ro",
            "      - ./users.php:/users.php:ro",
            "    command: [/bin/sh, -c, 'cat /auth.txt /users.php /certs/cert1.pem /certs/cert2.pem']",
            "",
        ].join("\n"), { "certs/cert1.pem": "c1\n", "level1/level2/cert2.pem": "c2\n", "auth.txt": "auth\n", "users.php": "<?php\n" }).plan();
        assert.deepStrictEqual(warnings(p), []);
        const o = await rendered(p);
        assert.deepStrictEqual([0, 1, 2, 3].map((i) => get(o, `ConfigMap/busy-bind-${i}`).data), [{ "cert1.pem": "c1\n" }, { "cert2.pem": "c2\n" }, { "auth.txt": "auth\n" }, { "users.php": "<?php\n" }]);
        assert.deepStrictEqual(p.resources.find((r) => r.key === "workload/busy")!.dependsOn.filter((k) => k.startsWith("bind/")), ["bind/busy/0", "bind/busy/1", "bind/busy/2", "bind/busy/3"]);
        assert.deepStrictEqual(pod(get(o, "Deployment/busy")).containers[0].args, ["/bin/sh", "-c", "cat /auth.txt /users.php /certs/cert1.pem /certs/cert2.pem"]);
    });

    // after kompose script/test/fixtures/configmap-file-configs (compose-3.yaml) and pvc-request-size
    it("configmap-file-configs-3, pvc-request-size: a bind of a host path outside the project is refused, unless allowHostPath", async () => {
        const compose = "services:\n  busy:\n    image: busybox\n    ports: ['8081:8080']\n    volumes: ['/tmp:/tmp:ro']\n";
        const refused = project("host-tmp", compose).plan();
        // kompose makes it a hostPath (or an empty ConfigMap); pods land on any node, whose /tmp is not the deployer's.
        assert.deepStrictEqual(errors(refused), [["services.busy.volumes[0]", "/tmp"]]);
        assert.deepStrictEqual(refused.resources, []);
        const allowed = await rendered(project("host-tmp-allowed", compose).plan({ allowHostPath: true }));
        assert.deepStrictEqual(pod(get(allowed, "Deployment/busy")).volumes.map((v: Obj) => v.hostPath?.path), ["/tmp"]);

        const sized = project("pvc-size", "services:\n  postgresql:\n    image: postgres:16\n    volumes: ['/srv/docker/postgresql:/var/lib/postgresql']\n    labels: { kompose.volume.size: 200Mi }\n").plan();
        assert.deepStrictEqual(errors(sized), [["services.postgresql.volumes[0]", "/srv/docker/postgresql"]]);
        assert.deepStrictEqual(warnings(sized), [
            "services.postgresql.labels: kompose.volume.size: kompose labels are not read; say it with volumes.<name>.x-kubernetes.size (the service mounts no named volume)",
        ]);
    });

    // after kompose script/test/fixtures/change-in-volume and storage-class-name
    it("change-in-volume, storage-class-name: a named volume is a claim, an anonymous one an emptyDir (warned); the volume labels name the volume's keys", async () => {
        const p = project("volumes", [
            "services:",
            "  web:",
            "    image: example/flask",
            "    ports: ['5000:5000']",
            "    volumes: ['code:/code', '/var/cache/app']",
            "    labels: { kompose.volume.storage-class-name: fast, kompose.volume.size: 5Gi, kompose.volume.type: emptyDir }",
            "volumes:",
            "  code:",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p).map((w) => w.replace(/(: an anonymous volume becomes an emptyDir).*/, "$1")), [
            "services.web.volumes[1]: an anonymous volume becomes an emptyDir",
            "services.web.labels: kompose.volume.storage-class-name: kompose labels are not read; say it with volumes.code.x-kubernetes.storageClass",
            "services.web.labels: kompose.volume.size: kompose labels are not read; say it with volumes.code.x-kubernetes.size",
            "services.web.labels: kompose.volume.type: kompose labels are not read; no equivalent: named volumes are claims, files of the project ConfigMaps, anonymous volumes and tmpfs emptyDirs",
        ]);
        const o = await rendered(p);
        // kompose gives the anonymous volume a claim shared by all replicas; see the README
        // (several processes on one data directory, or a claim per pod, which needs a StatefulSet).
        assert.deepStrictEqual(get(o, "PersistentVolumeClaim/code").spec, { accessModes: ["ReadWriteOnce"], resources: { requests: { storage: "1Gi" } } });
        const volumes = pod(get(o, "Deployment/web")).volumes;
        assert.deepStrictEqual(volumes.map((v: Obj) => [v.persistentVolumeClaim?.claimName, v.emptyDir]), [["code", undefined], [undefined, {}]]);
        assert.strictEqual(get(o, "Deployment/web").spec.strategy.type, "Recreate", "a ReadWriteOnce claim cannot attach to two nodes during a rollout");

        const said = await rendered(project("volumes-said", "services:\n  web:\n    image: example/flask\n    volumes: ['code:/code']\nvolumes:\n  code:\n    x-kubernetes: { size: 5Gi, storageClass: fast }\n").plan());
        assert.deepStrictEqual(get(said, "PersistentVolumeClaim/code").spec, { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "5Gi" } } });
    });

    // after kompose script/test/fixtures/vols-subpath
    it("vols-subpath: the mount's volume.subpath is the mount's subPath", async () => {
        const o = await rendered(project("subpath", [
            "volumes:",
            "  postgres-data:",
            "services:",
            "  postgres:",
            "    image: postgres",
            "    volumes:",
            "      - { type: volume, source: postgres-data, target: /var/lib/postgresql/data, volume: { subpath: test } }",
            "",
        ].join("\n")).plan());
        assert.deepStrictEqual(pod(get(o, "Deployment/postgres")).containers[0].volumeMounts, [{ name: "volume-postgres-data", mountPath: "/var/lib/postgresql/data", subPath: "test" }]);
    });

    // after kompose script/test/fixtures/volume-mounts/tmpfs and read-only
    it("read-only, tmpfs: a read-only root with a memory emptyDir at /tmp, no privilege escalation, capabilities; ignored options warned", async () => {
        const p = project("read-only", [
            "services:",
            "  test:",
            "    image: alpine",
            "    read_only: true",
            "    ports: ['80:80']",
            "    security_opt: ['no-new-privileges:true', 'seccomp:unconfined']",
            "    cap_drop: [ALL]",
            "    cap_add: [NET_BIND_SERVICE]",
            "    tmpfs: ['/tmp:rw,noexec,nosuid,size=64m']",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.test.tmpfs[0]: ignored; an in-memory emptyDir takes a size only",
            "services.test.security_opt: ignored (seccomp:unconfined); use the pod's seccomp/AppArmor settings",
        ]);
        const spec = pod(get(await rendered(p), "Deployment/test"));
        assert.deepStrictEqual(spec.containers[0].securityContext, { readOnlyRootFilesystem: true, allowPrivilegeEscalation: false, capabilities: { add: ["NET_BIND_SERVICE"], drop: ["ALL"] } });
        assert.deepStrictEqual(spec.volumes, [{ name: "tmpfs-0", emptyDir: { medium: "Memory", sizeLimit: "67108864" } }]);
        assert.deepStrictEqual(spec.containers[0].volumeMounts, [{ name: "tmpfs-0", mountPath: "/tmp" }]);
    });

    // after kompose script/test/fixtures/statefulset (kompose's --controller statefulset)
    it("statefulset: x-kubernetes.workload StatefulSet claims its volume per pod and is headless; the other service keeps a shared claim", async () => {
        const p = project("statefulset", [
            "services:",
            "  db:",
            "    image: mysql:8",
            "    volumes: ['db_data:/var/lib/mysql']",
            "    restart: always",
            "    ports: ['3306:3306']",
            "    x-kubernetes: { workload: StatefulSet }",
            "  wordpress:",
            "    depends_on: [db]",
            "    image: wordpress:latest",
            "    volumes: ['wordpress_data:/var/www/html']",
            "    ports: ['8000:80']",
            "    restart: always",
            "    environment: { WORDPRESS_DB_HOST: 'db:3306' }",
            "volumes:",
            "  db_data: { x-kubernetes: { size: 20Gi } }",
            "  wordpress_data: {}",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), []);
        const o = await rendered(p);
        assert.deepStrictEqual(kinds(o), [
            "Deployment/wordpress", "PersistentVolumeClaim/wordpress-data", "Service/db", "Service/db-public", "Service/wordpress", "Service/wordpress-public", "StatefulSet/db",
        ]);
        const sts = get(o, "StatefulSet/db").spec;
        assert.strictEqual(sts.serviceName, "db");
        assert.deepStrictEqual(sts.volumeClaimTemplates.map((t: Obj) => [t.metadata.name, t.spec.resources.requests.storage]), [["volume-db-data", "20Gi"]]);
        assert.strictEqual(get(o, "Service/db").spec.clusterIP, "None");
        assert.ok(p.resources.find((r) => r.key === "workload/wordpress")!.dependsOn.includes("workload/db"));
    });

    // after kompose script/test/fixtures/fsgroup
    it("fsgroup: the label names x-kubernetes.fsGroup; said so, the pod's volumes belong to group 1001", async () => {
        const p = project("fsgroup", [
            "volumes:",
            "  pgadmin-data:",
            "services:",
            "  pgadmin:",
            "    image: dpage/pgadmin4",
            "    labels: { kompose.security-context.fsgroup: 1001 }",
            "    volumes: ['pgadmin-data:/var/lib/pgadmin']",
            "    x-kubernetes: { fsGroup: 1001 }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), ["services.pgadmin.labels: kompose.security-context.fsgroup: kompose labels are not read; say it with x-kubernetes.fsGroup"]);
        assert.deepStrictEqual(pod(get(await rendered(p), "Deployment/pgadmin")).securityContext, { fsGroup: 1001 });
    });
});

describe("kompose scenarios: environment and interpolation", () => {
    // after kompose script/test/fixtures/env
    it("env: env_file values are the container's environment, environment wins over the file", async () => {
        const o = await rendered(project("env", [
            "services:",
            "  namenode:",
            "    image: example/namenode:2",
            "    environment: [CLUSTER_NAME=test]",
            "    env_file: [namenode.env]",
            "    ports: ['50070:50070']",
            "",
        ].join("\n"), { "namenode.env": "CORE_CONF_fs_defaultFS=hdfs://namenode:8020\nCLUSTER_NAME=fromfile\n# a comment\n" }).plan());
        // kompose makes a ConfigMap of the env file; dockyard puts the values in the pod, as Compose does.
        assert.deepStrictEqual(pod(get(o, "Deployment/namenode")).containers[0].env, [
            { name: "CLUSTER_NAME", value: "test" },
            { name: "CORE_CONF_fs_defaultFS", value: "hdfs://namenode:8020" },
        ]);
    });

    // after kompose script/test/fixtures/envvars-interpolation
    it("envvars-interpolation: $VAR in the command is interpolated from the deployer's environment at load, as Compose does (blank when unset)", async () => {
        const p = project("interp", "services:\n  myservice:\n    image: alpine\n    environment: { PROTOCOL: https, DOMAIN: example.com }\n    command: [curl, '$PROTOCOL://$DOMAIN/', '$$HOME']\n");
        // Not $(PROTOCOL): Compose substitutes the shell's variables, not the service's.
        const c = pod(get(await rendered(p.plan()), "Deployment/myservice")).containers[0];
        assert.deepStrictEqual(c.args, ["curl", ":///", "$HOME"]);
        assert.deepStrictEqual(c.env, [{ name: "PROTOCOL", value: "https" }, { name: "DOMAIN", value: "example.com" }]);
    });

    // after kompose script/test/fixtures/envfile-interpolation
    it("envfile-interpolation: ports from the project's .env; container_name and a server's restart: on-failure are warned", async () => {
        const p = project("minio", [
            "services:",
            "  minio:",
            "    image: quay.io/minio/minio",
            "    container_name: my-minio",
            "    command: server --console-address \":9001\" /data",
            "    ports: ['${MINIO_PORT}:9000', '${MINIO_CONSOLE_PORT}:9001']",
            "    env_file: .env",
            "    environment: [DOC_ENGINE=test-env]",
            "    restart: on-failure",
            "",
        ].join("\n"), { ".env": "MINIO_PORT=9100\nMINIO_CONSOLE_PORT=9101\n" }).plan();
        assert.deepStrictEqual(warnings(p).map((w) => w.slice(0, w.indexOf(":"))), ["services.minio.restart", "services.minio.container_name"]);
        assert.match(warnings(p)[0], /"on-failure" is ignored: the service listens on ports/);
        const o = await rendered(p);
        assert.deepStrictEqual(ports(get(o, "Service/minio-public")), ["9100->9000/TCP", "9101->9001/TCP"]);
        const c = pod(get(o, "Deployment/minio")).containers[0];
        assert.deepStrictEqual(c.args, ["server", "--console-address", ":9001", "/data"]);
        assert.deepStrictEqual(c.env, [{ name: "DOC_ENGINE", value: "test-env" }, { name: "MINIO_PORT", value: "9100" }, { name: "MINIO_CONSOLE_PORT", value: "9101" }]);
    });

    // after kompose script/test/fixtures/compose-v3.3-test (compose-config-long-warning) and secrets (docker-compose-secrets-long)
    it("secrets and configs, long syntax: a Secret and a ConfigMap mounted at their targets with the mode; uid/gid warned; unused external ones need nothing", async () => {
        const p = project("secrets", [
            "services:",
            "  redis:",
            "    image: redis:7",
            "    secrets:",
            "      - { source: my_secret, target: redis_secret, uid: '103', gid: '103', mode: 0440 }",
            "    configs:",
            "      - { source: my_config, target: /redis_config, mode: 0440 }",
            "secrets:",
            "  my_secret: { file: ./my_secret.txt }",
            "  my_other_secret: { external: true }",
            "configs:",
            "  my_config: { file: ./my_config.txt }",
            "  my_other_config: { external: true }",
            "",
        ].join("\n"), { "my_secret.txt": "s3cret\n", "my_config.txt": "maxmemory 1mb\n" }).plan();
        assert.deepStrictEqual(warnings(p).map((w) => w.slice(0, w.indexOf(":"))), ["services.redis.secrets[0].uid", "services.redis.secrets[0].gid"]);
        const o = await rendered(p);
        assert.deepStrictEqual(get(o, "Secret/my-secret").stringData, { my_secret: "s3cret\n" });
        assert.deepStrictEqual(get(o, "ConfigMap/my-config").data, { my_config: "maxmemory 1mb\n" });
        const spec = pod(get(o, "Deployment/redis"));
        assert.deepStrictEqual(spec.containers[0].volumeMounts.map((m: Obj) => [m.mountPath, m.subPath]), [["/run/secrets/redis_secret", "my_secret"], ["/redis_config", "my_config"]]);
        assert.deepStrictEqual(spec.volumes.map((v: Obj) => (v.secret ?? v.configMap).defaultMode), [0o440, 0o440]);
        // An external secret or config no service uses is looked up by nobody.
        assert.ok(![...o.keys()].some((k) => k.includes("other")));
    });
});

describe("kompose scenarios: healthchecks, restart policies, jobs", () => {
    // after kompose script/test/fixtures/healthcheck
    it("healthcheck: a test gives identical exec probes; the probe labels name x-kubernetes.probes, which replaces them", async () => {
        const p = project("healthcheck", [
            "services:",
            "  redis:",
            "    image: redis",
            "    ports: ['6379']",
            "    healthcheck: { test: echo \"liveness\", interval: 10s, timeout: 1s, retries: 5 }",
            "  postgresql:",
            "    image: postgres",
            "    ports: ['5432']",
            "    healthcheck: { interval: 10s, timeout: 1s, retries: 5 }",
            "    labels: { kompose.service.healthcheck.liveness.http_get_port: 8080, kompose.service.group: my-group }",
            "  mongo:",
            "    image: mongo",
            "    ports: ['27017']",
            "    healthcheck: { interval: 10s, timeout: 1s, retries: 5 }",
            "    x-kubernetes:",
            "      probes:",
            "        liveness: { tcpSocket: { port: 27017 } }",
            "        readiness: { tcpSocket: { port: 27017 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 5 }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.postgresql.healthcheck: the image's HEALTHCHECK is not read by Kubernetes; give a test to get probes",
            "services.postgresql.labels: kompose.service.healthcheck.liveness.http_get_port: kompose labels are not read; " +
                "say it with x-kubernetes.probes ({ readiness, liveness }: httpGet or tcpSocket), or a healthcheck test (both probes)",
            "services.postgresql.labels: kompose.service.group: kompose labels are not read; no equivalent: a service is one pod, scaled and restarted on its own, as in Compose",
            // mongo: no warning about the image's HEALTHCHECK, x-kubernetes.probes gives both probes.
        ]);
        const o = await rendered(p);
        const redis = pod(get(o, "Deployment/redis")).containers[0];
        const probe = { exec: { command: ["/bin/sh", "-c", 'echo "liveness"'] }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 5 };
        assert.deepStrictEqual([redis.livenessProbe, redis.readinessProbe], [probe, probe]);
        const pg = pod(get(o, "Deployment/postgresql")).containers[0];
        assert.deepStrictEqual([pg.livenessProbe, pg.readinessProbe], [undefined, undefined]);
        const mongo = pod(get(o, "Deployment/mongo")).containers[0];
        assert.deepStrictEqual(mongo.livenessProbe.tcpSocket, { port: 27017 });
        assert.deepStrictEqual(mongo.readinessProbe, { tcpSocket: { port: 27017 }, periodSeconds: 10, timeoutSeconds: 1, failureThreshold: 5 });
    });

    // after kompose script/test/fixtures/restart-options (restart-no, restart-onfail, restart-unless-stopped)
    it("restart-options: restart: \"no\" and on-failure on a service that serves nothing are Jobs; unless-stopped a Deployment", async () => {
        const p = project("restart", [
            "services:",
            "  foo:",
            "    image: example/foobar",
            "    restart: on-failure",
            "  bar:",
            "    image: example/foobar",
            "    restart: 'no'",
            "  baz:",
            "    image: example/foobar",
            "    restart: unless-stopped",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), []);
        const o = await rendered(p);
        // kompose gives restart: no / on-failure a bare Pod; a Job is a pod that is retried and
        // whose completion Pulumi waits for, so others can depend on it.
        assert.deepStrictEqual(kinds(o), ["Deployment/baz", "Job/bar", "Job/foo", "Service/baz"]);
        assert.deepStrictEqual([get(o, "Job/foo").spec.backoffLimit, pod(get(o, "Job/foo")).restartPolicy], [6, "OnFailure"]);
        assert.deepStrictEqual([get(o, "Job/bar").spec.backoffLimit, pod(get(o, "Job/bar")).restartPolicy], [0, "Never"]);
    });

    // after kompose script/test/fixtures/cronjob
    it("cronjob: the kompose.cronjob labels name x-kubernetes.schedule; said so, a CronJob that forbids overlaps and does not retry", async () => {
        const p = project("cronjob", [
            "services:",
            "  challenge:",
            "    image: busybox:stable-glibc",
            "    labels: { kompose.cronjob.schedule: '* * * * *', kompose.cronjob.concurrency_policy: Forbid, kompose.cronjob.backoff_limit: '0' }",
            "    command: [sh, -c, echo hello from cron]",
            "    restart: 'no'",
            "    x-kubernetes: { schedule: '* * * * *', concurrencyPolicy: Forbid }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.challenge.labels: kompose.cronjob.schedule: not valid Kubernetes label values, put on the pods as annotations",
            "services.challenge.labels: kompose.cronjob.schedule, kompose.cronjob.concurrency_policy: kompose labels are not read; say it with x-kubernetes.schedule and x-kubernetes.concurrencyPolicy",
            'services.challenge.labels: kompose.cronjob.backoff_limit: kompose labels are not read; say it with restart: on-failure:N (N retries; restart: "no" is none)',
        ]);
        const o = await rendered(p);
        assert.deepStrictEqual(kinds(o), ["CronJob/challenge"], "a CronJob, and no Service: nothing listens");
        const cj = get(o, "CronJob/challenge").spec;
        assert.deepStrictEqual([cj.schedule, cj.concurrencyPolicy, cj.jobTemplate.spec.backoffLimit, pod(get(o, "CronJob/challenge")).restartPolicy], ["* * * * *", "Forbid", 0, "Never"]);
    });

    // after kompose script/test/fixtures/controller (compose-global, compose-controller-label)
    it("controller: deploy.mode global is a DaemonSet; x-kubernetes.workload wins with a warning; kompose.controller.type names workload", async () => {
        const p = project("controller", [
            "services:",
            "  worker:",
            "    image: dockersamples/examplevotingapp_worker",
            "    deploy: { mode: global }",
            "  agent:",
            "    image: example/agent",
            "    deploy: { mode: global }",
            "    labels: { kompose.controller.type: deployment }",
            "    x-kubernetes: { workload: Deployment }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.agent.deploy.mode: x-kubernetes.workload Deployment wins: the service runs as a Deployment, not one pod per node",
            "services.agent.labels: kompose.controller.type: kompose labels are not read; say it with x-kubernetes.workload",
        ]);
        const o = await rendered(p);
        assert.deepStrictEqual(kinds(o), ["DaemonSet/worker", "Deployment/agent", "Service/agent", "Service/worker"]);
        assert.strictEqual(get(o, "Service/worker").spec.clusterIP, "None");
    });
});

describe("kompose scenarios: placement, resources, autoscaling", () => {
    // after kompose script/test/fixtures/deploy/placement
    it("placement: hostname and label constraints select nodes, label spreads spread; the others are warned, each named", async () => {
        const p = project("placement", [
            "services:",
            "  redis:",
            "    image: redis",
            "    ports: ['6379']",
            "    deploy:",
            "      placement:",
            "        constraints:",
            "          - node.hostname == machine",
            "          - engine.labels.operatingsystem == ubuntu 14.04",
            "          - node.labels.foo != bar",
            "          - baz != qux",
            "        preferences:",
            "          - spread: node.labels.zone",
            "          - spread: foo",
            "          - spread: node.labels.ssd",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.redis.deploy.placement.constraints: ignored: engine.labels.operatingsystem == ubuntu 14.04, baz != qux " +
                "(node.labels.*, node.hostname, node.platform.os/arch and node.role with == or != map to node selection)",
            "services.redis.deploy.placement.preferences: spread over foo is ignored (only node.labels.* and node.hostname map to a topology spread)",
        ]);
        const spec = pod(get(await rendered(p), "Deployment/redis"));
        assert.deepStrictEqual(spec.nodeSelector, { "kubernetes.io/hostname": "machine" });
        assert.deepStrictEqual(spec.affinity.nodeAffinity.requiredDuringSchedulingIgnoredDuringExecution.nodeSelectorTerms, [{ matchExpressions: [{ key: "foo", operator: "NotIn", values: ["bar"] }] }]);
        assert.deepStrictEqual(spec.topologySpreadConstraints.map((t: Obj) => [t.topologyKey, t.maxSkew, t.whenUnsatisfiable]), [["zone", 1, "ScheduleAnyway"], ["ssd", 1, "ScheduleAnyway"]]);
    });

    // after kompose script/test/fixtures/hpa (and the resources kompose reads from deploy.resources)
    it("hpa: the kompose.hpa labels name x-kubernetes.autoscaling; said so with reservations, an autoscaling/v2 HPA on CPU and memory", async () => {
        const p = project("hpa", [
            "services:",
            "  web:",
            "    image: nginx",
            "    cpu_shares: 512",
            "    deploy:",
            "      resources:",
            "        limits: { cpus: '0.5', memory: 256M }",
            "        reservations: { cpus: '0.25', memory: 128M }",
            "    labels: { kompose.hpa.cpu: 50, kompose.hpa.memory: 70, kompose.hpa.replicas.min: 1, kompose.hpa.replicas.max: 10 }",
            "    x-kubernetes: { autoscaling: { minReplicas: 1, maxReplicas: 10, cpuUtilization: 50, memoryUtilization: 70 } }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p), [
            "services.web.cpu_shares: cpu_shares and cpuset are ignored; use CPU reservations (requests)",
            "services.web.labels: kompose.hpa.cpu, kompose.hpa.memory, kompose.hpa.replicas.min, kompose.hpa.replicas.max: kompose labels are not read; " +
                "say it with x-kubernetes.autoscaling ({ minReplicas, maxReplicas, cpuUtilization, memoryUtilization })",
        ]);
        const o = await rendered(p);
        const d = get(o, "Deployment/web");
        assert.strictEqual(d.spec.replicas, undefined, "the HPA owns the replica count");
        assert.deepStrictEqual(pod(d).containers[0].resources, { limits: { cpu: "500m", memory: "268435456" }, requests: { cpu: "250m", memory: "134217728" } });
        const hpa = get(o, "HorizontalPodAutoscaler/web").spec;
        assert.deepStrictEqual([hpa.minReplicas, hpa.maxReplicas, hpa.scaleTargetRef.name], [1, 10, "web"]);
        assert.deepStrictEqual(hpa.metrics.map((m: Obj) => [m.resource.name, m.resource.target.averageUtilization]), [["cpu", 50], ["memory", 70]]);
    });

    it("hpa without a CPU reservation is refused with its path (utilization is a share of the request)", () => {
        const p = project("hpa-bad", "services:\n  web:\n    image: nginx\n    x-kubernetes: { autoscaling: { maxReplicas: 10, cpuUtilization: 50 } }\n").plan();
        assert.deepStrictEqual(errors(p).map(([where]) => where), ["services.web.x-kubernetes.autoscaling"]);
        assert.deepStrictEqual(p.resources, []);
    });
});

describe("kompose scenarios: networks", () => {
    // after kompose script/test/fixtures/network-policies (and v3.0's networks)
    it("network-policies: an internal network is a NetworkPolicy for the pods only on it; aliases are Services; a dotted alias is warned", async () => {
        const p = project("networks", [
            "networks:",
            "  web:",
            "  back: { internal: true }",
            "services:",
            "  nginx:",
            "    image: nginx",
            "    ports: ['80:80']",
            "    networks: [web, back]",
            "  api:",
            "    image: example/api",
            "    networks:",
            "      back: { aliases: [backend, api.internal] }",
            "",
        ].join("\n")).plan();
        assert.deepStrictEqual(warnings(p).map((w) => w.slice(0, w.indexOf(":"))), ["services.api.networks.back.aliases"]);
        assert.match(warnings(p)[0], /"api\.internal" cannot be a Kubernetes Service name/);
        const o = await rendered(p);
        // kompose makes a policy per network for every network (with --generate-network-policies);
        // dockyard isolates only what Compose isolates: an internal network, and pods only on it.
        const policy = get(o, "NetworkPolicy/network-back").spec;
        // Selected: pods on back and on no ordinary network (api); nginx is also on web, its way out.
        assert.deepStrictEqual(policy.podSelector, { matchLabels: { "dev.dockyard.network/back": "true" }, matchExpressions: [{ key: "dev.dockyard.network/web", operator: "DoesNotExist" }] });
        assert.deepStrictEqual(policy.policyTypes, ["Ingress", "Egress"]);
        assert.strictEqual(get(o, "Deployment/api").spec.template.metadata.labels["dev.dockyard.network/back"], "true");
        assert.strictEqual(get(o, "Deployment/nginx").spec.template.metadata.labels["dev.dockyard.network/web"], "true");
        assert.deepStrictEqual(get(o, "Service/backend").spec.selector, get(o, "Service/api").spec.selector);
        assert.deepStrictEqual([...o.keys()].filter((k) => k.startsWith("NetworkPolicy/")), ["NetworkPolicy/network-back"]);
    });
});
