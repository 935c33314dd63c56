/**
 * Kubernetes Services and exposure (issue 13): every service reachable by its name (headless
 * without ports), network aliases as Services, exposure that follows the Compose file's host
 * addresses, and the x-kubernetes keys that say what kompose's labels say (ingress, nodePort,
 * externalTrafficPolicy, headless). Converter-level and plan-level, errors included.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCompose } from "../../../components/compose";
import { ServiceInput } from "../../../components/spec/input";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";
import {
    convertApp, convertContext, isLoopback, KubernetesTarget, KubernetesTargetArgs, portExposure, resolveAliases, selectorLabels,
    toAliasServices, toClusterService, toIngress, toPublicService,
} from "../../../components/targets/kubernetes";
import { kubernetesFindings } from "../../../components/targets/kubernetes/support";
import { Plan } from "../../../components/targets/plan";
import { assertSpecError } from "../../harness";

function app(services: Record<string, ServiceInput>, networks: Record<string, object> = {}): AppSpec {
    return defineApp({ name: "demo", services, networks }, { projectDir: "/project" });
}
const ctxOf = (spec: AppSpec, args: KubernetesTargetArgs = {}) => convertContext(spec, args);
const specOf = (o: unknown) => (o as { spec: Record<string, unknown> }).spec;
const plan = (spec: AppSpec, args: KubernetesTargetArgs = {}): Plan => new KubernetesTarget(args).plan(spec, { name: "demo" });
const keys = (p: Plan) => p.resources.map((r) => r.key);
const warnings = (spec: AppSpec, prefix: string) => kubernetesFindings(spec).filter((f) => f.level === "warning" && f.path.startsWith(prefix)).map((f) => `${f.path}: ${f.message}`);
const errorsOf = (p: Plan) => p.findings.filter((f) => f.level === "error").map((f) => [f.path, f.message, f.value]);

describe("kubernetes Services: every service is reachable by its name", () => {
    const spec = app({
        db: { image: "postgres:16" },
        cache: { image: "redis", expose: [6379] },
        web: { image: "nginx", ports: ["8080:80"], dependsOn: { migrate: { condition: "service_completed_successfully" } } },
        migrate: { image: "app", command: ["migrate"] },
        agent: { image: "agent", deploy: { mode: "global" } },
        plain: { image: "x", "x-kubernetes": { headless: true }, expose: [9000] },
    });
    const ctx = ctxOf(spec);

    it("a service without ports gets a headless Service with a selector and no ports (what Compose's DNS gives)", () => {
        assert.deepStrictEqual(specOf(toClusterService(ctx, spec.services.db)), { type: "ClusterIP", clusterIP: "None", selector: selectorLabels(ctx, spec.services.db) });
        assert.deepStrictEqual(specOf(toClusterService(ctx, spec.services.agent, "DaemonSet")).clusterIP, "None");
    });

    it("a service with ports keeps a cluster IP; x-kubernetes.headless: true makes it headless with its ports", () => {
        assert.strictEqual(specOf(toClusterService(ctx, spec.services.cache)).clusterIP, undefined);
        assert.deepStrictEqual(specOf(toClusterService(ctx, spec.services.plain)), {
            type: "ClusterIP", clusterIP: "None", selector: selectorLabels(ctx, spec.services.plain), ports: [{ name: "tcp-9000", port: 9000, targetPort: 9000, protocol: "TCP" }],
        });
    });

    it("a Job without ports gets no Service; the plan has service/<name> for every other service", () => {
        assert.strictEqual(toClusterService(ctx, spec.services.migrate, "Job"), undefined);
        const k = keys(plan(spec));
        assert.deepStrictEqual(k.filter((x) => x.startsWith("service/")).sort(), ["service/agent", "service/cache", "service/db", "service/plain", "service/web"]);
        assert.deepStrictEqual(k.filter((x) => x.startsWith("public/")), ["public/web"]);
    });

    it("headless: must be a boolean", () => {
        assertSpecError(() => ctxOf(app({ a: { image: "a", "x-kubernetes": { headless: "yes" } } })), "services.a.x-kubernetes.headless", '"yes"');
    });
});

describe("kubernetes exposure follows the Compose file's host addresses", () => {
    it("loopback addresses", () => {
        assert.deepStrictEqual(["127.0.0.1", "127.1.2.3", "::1", "0:0:0:0:0:0:0:1", "::ffff:127.0.0.1"].map(isLoopback), [true, true, true, true, true]);
        assert.deepStrictEqual(["0.0.0.0", "::", "10.0.0.1", "192.168.1.10", "fe80::1", "::2"].map(isLoopback), [false, false, false, false, false, false]);
    });

    const spec = app({
        local: { image: "a", ports: ["127.0.0.1:8080:80", "[::1]:8443:443"] },
        mixed: { image: "b", ports: ["127.0.0.1:5432:5432", "0.0.0.0:8090:80", "[::]:8091:81", "9090:90"] },
        lan: { image: "c", ports: ["192.168.1.10:8100:80"] },
    });
    const ctx = ctxOf(spec);

    it("classifies each port: every address → public, loopback or one address → stays in the cluster", () => {
        assert.deepStrictEqual(spec.services.mixed.ports.map(portExposure), ["loopback", "public", "public", "public"]);
        assert.deepStrictEqual(spec.services.lan.ports.map(portExposure), ["address"]);
    });

    it("a loopback-bound port is never published (no LoadBalancer), but is on the in-cluster Service", () => {
        assert.strictEqual(toPublicService(ctx, spec.services.local), undefined);
        assert.deepStrictEqual((specOf(toClusterService(ctx, spec.services.local)).ports as { port: number }[]).map((p) => p.port), [80, 443]);
        assert.deepStrictEqual((specOf(toPublicService(ctx, spec.services.mixed)).ports as { port: number }[]).map((p) => p.port), [8090, 8091, 9090]);
        assert.deepStrictEqual((specOf(toClusterService(ctx, spec.services.mixed)).ports as { port: number }[]).map((p) => p.port), [5432, 80, 81, 90]);
        assert.ok(!keys(plan(spec)).includes("public/local"));
        const endpoints = plan(spec).endpoints as { services: Record<string, unknown> };
        assert.deepStrictEqual(Object.keys(endpoints.services), ["mixed"]);
    });

    it("a port bound to one other address is not published either (neither loadBalancerIP nor externalIPs)", () => {
        assert.strictEqual(toPublicService(ctx, spec.services.lan), undefined);
        assert.ok(toClusterService(ctx, spec.services.lan));
    });

    it("says so, per port, with the way in; every address says nothing", () => {
        assert.deepStrictEqual(warnings(spec, "services."), [
            "services.local.ports[0].hostIp: port 8080 is bound to the loopback address 127.0.0.1, which only the Docker host reaches; on Kubernetes it is not published and stays inside the cluster (other services still reach it as local:80; kubectl port-forward reaches it from your machine)",
            "services.local.ports[1].hostIp: port 8443 is bound to the loopback address ::1, which only the Docker host reaches; on Kubernetes it is not published and stays inside the cluster (other services still reach it as local:443; kubectl port-forward reaches it from your machine)",
            "services.mixed.ports[0].hostIp: port 5432 is bound to the loopback address 127.0.0.1, which only the Docker host reaches; on Kubernetes it is not published and stays inside the cluster (other services still reach it as mixed:5432; kubectl port-forward reaches it from your machine)",
            "services.lan.ports[0].hostIp: port 8100 is bound to the one address 192.168.1.10; Kubernetes cannot publish a port on one address, so it is not published and stays inside the cluster rather than on every node or load-balancer address (other services still reach it as lan:80); drop the address to publish it",
        ]);
    });
});

describe("kubernetes network aliases become Services", () => {
    const spec = app({
        db: { image: "postgres", networks: { back: { aliases: ["database", "DB-Primary", "db"] }, front: { aliases: ["database"] } } },
        cache: { image: "redis", expose: [6379], networks: { back: { aliases: ["db.local", "web", "shared", "my_cache"] } } },
        other: { image: "x", networks: { back: { aliases: ["shared"] } } },
        web: { image: "nginx", ports: ["80:80"], networks: ["front"] },
        job: { image: "j", deploy: { restartPolicy: { condition: "none" } }, networks: { back: { aliases: ["task"] } } },
    }, { back: {}, front: {} });
    const ctx = ctxOf(spec);

    it("an alias resolves: a Service of that name with the service's selector and ports (headless when it has none)", () => {
        assert.deepStrictEqual(resolveAliases(spec).aliases, Object.assign(Object.create(null), { db: ["database", "db-primary"], job: ["task"] }));
        const [database, primary] = toAliasServices(ctx, spec.services.db);
        assert.deepStrictEqual([database.alias, primary.alias], ["database", "db-primary"]);
        assert.deepStrictEqual(database.object, { ...toClusterService(ctx, spec.services.db), metadata: { ...(toClusterService(ctx, spec.services.db)!.metadata as object), name: "database" } });
        assert.strictEqual(specOf(database.object).clusterIP, "None");
        // A Job without ports has no Service to mirror.
        assert.deepStrictEqual(toAliasServices(ctx, spec.services.job, "Job"), []);
    });

    it("plans alias/<service>/<alias>", () => {
        const k = keys(plan(spec));
        assert.deepStrictEqual(k.filter((x) => x.startsWith("alias/")), ["alias/db/database", "alias/db/db-primary"]);
        assert.strictEqual(plan(spec).resources.find((r) => r.key === "alias/db/database")!.name, "demo-db-alias-database");
    });

    it("aliases that cannot be Services are warnings, not silently lost", () => {
        assert.deepStrictEqual(warnings(spec, "services."), [
            `services.cache.networks.back.aliases: "db.local" cannot be a Kubernetes Service name (a-z, 0-9 and '-', starting with a letter), so it does not resolve in the cluster`,
            `services.cache.networks.back.aliases: "web" is the name of a Service of service "web" in the cluster's one namespace, so it does not resolve to "cache"`,
            `services.cache.networks.back.aliases: "shared" is an alias of services "cache" and "other"; a Kubernetes Service selects one service's pods, so it is made for none`,
            `services.cache.networks.back.aliases: "my_cache" cannot be a Kubernetes Service name (a-z, 0-9 and '-', starting with a letter), so it does not resolve in the cluster`,
            `services.other.networks.back.aliases: "shared" is an alias of services "cache" and "other"; a Kubernetes Service selects one service's pods, so it is made for none`,
            "services.job.networks.back.aliases: a service that runs once (a Job) and lists no port gets no Service, so its aliases do not resolve",
        ]);
    });
});

describe("kubernetes x-kubernetes.ingress (kompose.service.expose)", () => {
    const ingressOf = (ingress: unknown, more: Partial<ServiceInput> = {}) => {
        const spec = app({ web: { image: "nginx", ports: ["127.0.0.1:8080:80", "8443:443"], ...more, "x-kubernetes": { ingress } } });
        return toIngress(ctxOf(spec), spec.services.web);
    };

    it("hosts, path, TLS secret and class → a networking.k8s.io/v1 Ingress to the in-cluster Service", () => {
        const spec = app({ web: { image: "nginx", ports: ["8080:80"], "x-kubernetes": { ingress: {
            host: ["shop.example.com", "*.shop.example.com"], path: "/app", tlsSecret: "shop-tls", className: "nginx", annotations: { "cert-manager.io/cluster-issuer": "le" },
        } } } });
        const ctx = ctxOf(spec);
        const backend = { service: { name: "web", port: { number: 80 } } };
        const http = { paths: [{ path: "/app", pathType: "Prefix", backend }] };
        assert.deepStrictEqual(toIngress(ctx, spec.services.web), {
            apiVersion: "networking.k8s.io/v1",
            kind: "Ingress",
            metadata: { name: "web", namespace: "demo", labels: (toClusterService(ctx, spec.services.web)!.metadata as { labels: unknown }).labels, annotations: { "cert-manager.io/cluster-issuer": "le" } },
            spec: {
                ingressClassName: "nginx",
                rules: [{ host: "shop.example.com", http }, { host: "*.shop.example.com", http }],
                tls: [{ hosts: ["shop.example.com", "*.shop.example.com"], secretName: "shop-tls" }],
            },
        });
    });

    it("{} routes every host at / to the first TCP port, loopback-bound or not; port picks another", () => {
        assert.deepStrictEqual(specOf(ingressOf({})), { rules: [{ http: { paths: [{ path: "/", pathType: "Prefix", backend: { service: { name: "web", port: { number: 80 } } } }] } }] });
        assert.deepStrictEqual(specOf(ingressOf({ port: 443, host: "a.example.com", tlsSecret: "t" })).tls, [{ hosts: ["a.example.com"], secretName: "t" }]);
        assert.strictEqual((specOf(ingressOf({ port: 9000 }, { expose: [9000] })).rules as { http: { paths: { backend: { service: { port: { number: number } } } }[] } }[])[0].http.paths[0].backend.service.port.number, 9000);
    });

    it("is planned as ingress/<service>", () => {
        const spec = app({ web: { image: "nginx", ports: ["8080:80"], "x-kubernetes": { ingress: { host: "shop.example.com" } } } });
        const p = plan(spec);
        const r = p.resources.find((x) => x.key === "ingress/web")!;
        assert.deepStrictEqual([r.type, r.name], ["kubernetes:networking.k8s.io/v1:Ingress", "demo-web-ingress"]);
    });

    it("is checked with its path and value", () => {
        const where = "services.web.x-kubernetes.ingress";
        const bad = (ingress: unknown, more: Partial<ServiceInput> = {}) => () => ctxOf(app({ web: { image: "nginx", ports: ["80"], ...more, "x-kubernetes": { ingress } } }));
        assertSpecError(bad({ host: "Shop.Example.com" }), `${where}.host`, '"Shop.Example.com"', "lower-case DNS name");
        assertSpecError(bad({ host: ["ok.example.com", "10.0.0.1"] }), `${where}.host[1]`, '"10.0.0.1"', "not an IP address");
        assertSpecError(bad({ host: [] }), `${where}.host`, "[]");
        assertSpecError(bad({ host: "a.*.example.com" }), `${where}.host`);
        assertSpecError(bad({ path: "app" }), `${where}.path`, '"app"', 'start with "/"');
        assertSpecError(bad({ port: 0 }), `${where}.port`, "0");
        assertSpecError(bad({ tlsSecret: "My_Secret" }), `${where}.tlsSecret`, '"My_Secret"');
        assertSpecError(bad({ className: "" }), `${where}.className`);
        assertSpecError(bad({ annotations: { a: 1 } }), `${where}.annotations`);
        assertSpecError(bad({ hosts: ["a.example.com"] }), `${where}.hosts`, "unknown key: use host, path, port, tlsSecret, className, annotations");
        assertSpecError(bad(true), where, "must be a map");
        // Checks that need the service's ports or kind are the converter's; the plan has them as error findings.
        assertSpecError(() => ingressOf({ port: 8080 }), `${where}.port`, "not a TCP port", "8080");
        const noPorts = app({ web: { image: "nginx", "x-kubernetes": { ingress: {} } } });
        assertSpecError(() => toIngress(ctxOf(noPorts), noPorts.services.web), where, "lists no TCP port");
        const once = app({ web: { image: "nginx", ports: ["80"], deploy: { restartPolicy: { condition: "none" } }, "x-kubernetes": { ingress: {} } } });
        const p = plan(once);
        assert.deepStrictEqual(p.resources, []);
        assert.deepStrictEqual(errorsOf(p), [[where, 'service "web" runs once (a Job); an Ingress needs a service that keeps serving', undefined]]);
    });
});

describe("kubernetes x-kubernetes.nodePort and externalTrafficPolicy", () => {
    const one = (ext: object, ports: unknown[] = ["8080:80"], args: KubernetesTargetArgs = {}) => {
        const spec = app({ web: { image: "nginx", ports: ports as ServiceInput["ports"], "x-kubernetes": ext } });
        return () => toPublicService(ctxOf(spec, args), spec.services.web);
    };

    it("nodePort fixes the node port of the one published port, on a NodePort or LoadBalancer Service", () => {
        assert.deepStrictEqual(specOf(one({ serviceType: "NodePort", nodePort: 30080 })()).ports, [{ name: "tcp-8080", port: 8080, targetPort: 80, protocol: "TCP", nodePort: 30080 }]);
        assert.deepStrictEqual((specOf(one({ nodePort: 32767 })()).ports as { nodePort: number }[])[0].nodePort, 32767);
        assert.strictEqual(specOf(one({ nodePort: 32767 })()).type, "LoadBalancer");
        // Loopback-bound ports are not published, so they do not count.
        assert.deepStrictEqual((specOf(one({ nodePort: 30001 }, ["127.0.0.1:5432:5432", "8080:80"])()).ports as { port: number; nodePort: number }[]).map((p) => [p.port, p.nodePort]), [[8080, 30001]]);
    });

    it("externalTrafficPolicy goes on the published Service", () => {
        assert.strictEqual(specOf(one({ externalTrafficPolicy: "Local" })()).externalTrafficPolicy, "Local");
        assert.strictEqual(specOf(one({})()).externalTrafficPolicy, undefined);
    });

    it("errors name the path and the value", () => {
        const where = "services.web.x-kubernetes";
        assertSpecError(one({ nodePort: 8080 }), `${where}.nodePort`, "30000 to 32767", "8080");
        assertSpecError(one({ nodePort: 30000.5 }), `${where}.nodePort`, "30000.5");
        assertSpecError(one({ nodePort: "30080" }), `${where}.nodePort`, '"30080"');
        assertSpecError(one({ nodePort: 30080, serviceType: "ClusterIP" }), `${where}.nodePort`, "ClusterIP Service has no node ports");
        assertSpecError(one({ nodePort: 30080 }, ["80:80", "443:443"]), `${where}.nodePort`, "publishes 2 (80/tcp, 443/tcp)", "30080");
        assertSpecError(one({ nodePort: 30080 }, ["127.0.0.1:80:80"]), `${where}.nodePort`, "publishes no port");
        assertSpecError(one({ externalTrafficPolicy: "local" }), `${where}.externalTrafficPolicy`, "Cluster, Local", '"local"');
        assertSpecError(one({ externalTrafficPolicy: "Local", serviceType: "ClusterIP" }), `${where}.externalTrafficPolicy`, "ClusterIP Service cannot take it");
        assertSpecError(one({ externalTrafficPolicy: "Local" }, []), `${where}.externalTrafficPolicy`, "publishes no port");
        assertSpecError(one({ nodeport: 30080 }), `${where}.nodeport`, "unknown key", "nodePort, externalTrafficPolicy, headless");
    });

    it("a plan with such an error creates nothing and says where", () => {
        const spec = app({ web: { image: "nginx", ports: ["80:80", "443:443"], "x-kubernetes": { nodePort: 30080 } } });
        const p = plan(spec);
        assert.deepStrictEqual(p.resources, []);
        assert.deepStrictEqual(errorsOf(p).map(([where]) => where), ["services.web.x-kubernetes.nodePort"]);
    });
});

describe("kubernetes Services from a Compose file", () => {
    let dir: string;
    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-k8s-services-"));
    });
    after(() => fs.rmSync(dir, { recursive: true, force: true }));
    const load = (yaml: string): AppSpec => {
        const file = path.join(dir, "compose.yaml");
        fs.writeFileSync(file, yaml);
        return loadCompose(file, { env: {}, onWarning: () => undefined });
    };

    it("postgres without ports is reachable as db; the admin port on 127.0.0.1 stays in; the web gets an Ingress", () => {
        const spec = load([
            "name: shop",
            "services:",
            "  db:",
            "    image: postgres:16",
            "  admin:",
            "    image: adminer",
            "    ports: ['127.0.0.1:8081:8080']",
            "  web:",
            "    image: nginx",
            "    ports: ['80:80']",
            "    labels: { kompose.service.expose: shop.example.com }",
            "    x-kubernetes:",
            "      ingress: { host: shop.example.com, tlsSecret: shop-tls }",
            "      externalTrafficPolicy: Local",
            "",
        ].join("\n"));
        const p = new KubernetesTarget({ serviceType: "NodePort" }).plan(spec, { name: "shop" });
        assert.deepStrictEqual(errorsOf(p), []);
        assert.deepStrictEqual(keys(p).filter((k) => /^(service|public|ingress|alias)\//.test(k)), ["service/db", "service/admin", "service/web", "public/web", "ingress/web"]);
        assert.deepStrictEqual(p.findings.filter((f) => f.level === "warning").map((f) => f.path), ["services.admin.ports[0].hostIp", "services.web.labels"]);
        assert.match(p.findings.find((f) => f.path === "services.web.labels")!.message, /^kompose\.service\.expose: kompose labels are not read; say it with x-kubernetes\.ingress/);
    });

    it("a bad key fails with the Compose path and value", () => {
        const spec = load("services:\n  web:\n    image: nginx\n    ports: ['80']\n    x-kubernetes:\n      ingress: { host: 'bad host' }\n");
        const p = plan(spec);
        assert.deepStrictEqual(errorsOf(p).map(([where, , value]) => [where, value]), [["services.web.x-kubernetes.ingress.host", "bad host"]]);
    });

    it("convertApp carries the Ingress and the aliases next to the Services", () => {
        const spec = load("services:\n  db:\n    image: postgres\n    networks: { default: { aliases: [database] } }\n  web:\n    image: nginx\n    expose: [80]\n    x-kubernetes: { ingress: {} }\n");
        const w = convertApp(spec, {}).workloads;
        assert.deepStrictEqual(w.map((x) => [x.service.name, x.aliases.map((a) => a.alias), x.ingress !== undefined]), [["db", ["database"], false], ["web", [], true]]);
    });
});
