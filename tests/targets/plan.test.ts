/**
 * The target contract: each target's `plan` is pure (no Pulumi runtime, no resource), holds the
 * resources in creation order, the findings, the names and the endpoints; names are resolved once,
 * as Compose resolves them, on every target.
 */
import * as assert from "assert";
import { printPlan } from "../../components/render/plan";
import { monitoringApp } from "../../components/monitoring";
import { defineApp } from "../../components/spec/normalize";
import { networkName, volumeName } from "../../components/spec/names";
import { AppSpec } from "../../components/spec/types";
import { DockerTarget } from "../../components/targets/docker";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { refsIn } from "../../components/targets/materialize";
import { Plan, Ref } from "../../components/targets/plan";
import { SwarmTarget } from "../../components/targets/swarm";
import { Target } from "../../components/targets/target";

const shop = (): AppSpec =>
    defineApp({
        name: "shop",
        services: {
            web: { image: "nginx:1.27", ports: ["8080:80"], networks: ["proxy", "back"], volumes: ["media:/media", "data:/data"], dependsOn: ["api"] },
            api: { image: "api:1", networks: ["back"], secrets: ["token"] },
        },
        // External objects without `name:` are looked up by their key, as Compose does.
        networks: { proxy: { external: true }, back: {} },
        volumes: { media: { external: true }, data: {} },
        secrets: { token: { content: "s3cret" } },
    });

const targets: Record<string, () => Target> = {
    docker: () => new DockerTarget(),
    swarm: () => new SwarmTarget(),
    kubernetes: () => new KubernetesTarget(),
};

/** Every resource comes after the resources it depends on or refers to. */
function assertOrdered(plan: Plan): void {
    const seen = new Set<string>();
    for (const r of plan.resources) {
        for (const dep of [...r.dependsOn, ...refsIn(r.args)]) assert.ok(seen.has(dep), `${r.key} comes before ${dep}`);
        seen.add(r.key);
    }
}

describe("targets: plan (the target contract)", () => {
    for (const [kind, make] of Object.entries(targets)) {
        describe(kind, () => {
            it("plans in creation order, with unique keys, and creates nothing", () => {
                const plan = make().plan(shop(), { name: "shop", labels: { team: "web" } });
                assert.strictEqual(plan.target, kind);
                assert.deepStrictEqual(plan.findings.filter((f) => f.level === "error"), []);
                assert.strictEqual(new Set(plan.resources.map((r) => r.key)).size, plan.resources.length);
                assertOrdered(plan);
                assert.ok(plan.resources.every((r) => r.name.startsWith("shop-")), plan.resources.map((r) => r.name).join(", "));
            });

            it("gives external objects without name: their key, the app's own the Compose-scoped name", () => {
                const names = make().plan(shop(), { name: "shop" }).names;
                if (kind === "kubernetes") {
                    assert.deepStrictEqual({ ...names.services }, { web: ["web"], api: ["api"] });
                    return;
                }
                assert.deepStrictEqual({ ...names.networks }, { proxy: "proxy", back: "shop_back" });
                assert.deepStrictEqual({ ...names.volumes }, { media: "media", data: "shop_data" });
            });

            it("applies defaults per field: an explicit undefined keeps them", () => {
                const args = { provider: undefined, host: undefined, retainVolumes: undefined, converge: undefined, dependsOn: undefined, nodeAddress: undefined };
                const target = kind === "docker" ? new DockerTarget(args) : kind === "swarm" ? new SwarmTarget(args) : new KubernetesTarget(args);
                const plan = target.plan(shop(), { name: "shop" });
                const volume = plan.resources.find((r) => r.key === "volume/data");
                if (kind !== "kubernetes") assert.deepStrictEqual(volume?.options, { retainOnDelete: true, ignoreChanges: ["labels"] });
                if (plan.endpoints.kind === "static") assert.deepStrictEqual(plan.endpoints.endpoints, { web: ["localhost:8080"] });
                if (plan.endpoints.kind === "containers") assert.strictEqual(plan.endpoints.host, "localhost");
                if (plan.endpoints.kind === "kubernetes-services") assert.strictEqual(plan.endpoints.nodeAddress, "localhost");
            });

            it("refusals are error findings, with nothing planned, not exceptions", () => {
                const bad = defineApp({ name: "bad", services: { web: { image: "x", secrets: ["missing"] } }, secrets: { missing: { file: "/nonexistent/dockyard/secret" } } });
                const plan = make().plan(bad, { name: "bad" });
                assert.deepStrictEqual(plan.resources, []);
                const [error] = plan.findings.filter((f) => f.level === "error");
                assert.strictEqual(error?.path, "secrets.missing.file");
            });
        });
    }

    it("the Docker host refers to each container's image and looks nothing up", () => {
        const plan = new DockerTarget().plan(shop(), { name: "shop" });
        const web = plan.resources.find((r) => r.key === "container/web/1")!;
        assert.deepStrictEqual((web.args as { image: unknown }).image, new Ref("image/web", "imageId"));
        assert.deepStrictEqual(web.dependsOn, ["network/back", "volume/data", "container/api/1"]);
        assert.ok(!plan.resources.some((r) => r.lookup));
    });

    it("Swarm looks an external network up by its name, and attaches services by the looked-up id", () => {
        const plan = new SwarmTarget().plan(shop(), { name: "shop" });
        const proxy = plan.resources.find((r) => r.key === "network/proxy")!;
        assert.deepStrictEqual([proxy.lookup, proxy.type, proxy.args], [true, "docker:index/getNetwork:getNetwork", { name: "proxy" }]);
        const web = plan.resources.find((r) => r.key === "service/web")!;
        assert.deepStrictEqual(refsIn(web.args), new Set(["network/proxy", "network/back"]));
    });

    it("monitoring joins a scraped app's external network by the same name on a Docker host and a Swarm", () => {
        const app = shop();
        for (const target of [new DockerTarget(), new SwarmTarget()]) {
            const mon = monitoringApp({ grafana: { adminPassword: "pw" }, apps: [app], scrapeTargets: [{ job: "web", app: "shop", service: "web", port: 80 }] }, target.discovery());
            const joined = Object.values(mon.networks).filter((n) => n.external).map((n) => n.name).sort();
            assert.deepStrictEqual(joined, [networkName(app, "back"), networkName(app, "proxy")].sort(), target.kind);
        }
        assert.deepStrictEqual([networkName(app, "proxy"), volumeName(app, "media"), volumeName(app, "data")], ["proxy", "media", "shop_data"]);
    });

    it("a plan prints as plain data: references by key, secrets masked", async () => {
        const printed = await printPlan(new SwarmTarget().plan(shop(), { name: "shop" }));
        const secret = printed.resources.find((r) => r.key === "secret/token")!;
        assert.strictEqual((secret.args as { data: unknown }).data, "[secret]");
        assert.ok(!JSON.stringify(printed).includes("s3cret"));
        const web = printed.resources.find((r) => r.key === "service/web")!;
        assert.match(JSON.stringify(web.args), /\(network\/proxy\.id\)/);
    });

    it("Kubernetes warns about environment variable names older API servers refuse", () => {
        const spec = defineApp({ name: "odd", services: { web: { image: "x", environment: { "1ST": "a", OK_NAME: "b", "with space": "c" } } } });
        const warnings = new KubernetesTarget().plan(spec, { name: "odd" }).findings.filter((f) => f.path === "services.web.environment");
        assert.strictEqual(warnings.length, 1);
        assert.match(warnings[0].message, /^1ST, with space: Kubernetes before 1\.32 refuses/);
        assert.deepStrictEqual(new DockerTarget().plan(spec, { name: "odd" }).findings.filter((f) => f.path === "services.web.environment"), []);
    });

    it("Kubernetes sets app_protocol on the Service ports, and warns about a name it cannot take", () => {
        const spec = defineApp({ name: "proto", services: { web: { image: "x", ports: [{ target: 80, published: 8080, appProtocol: "http" }, { target: 81, published: 8081, appProtocol: "HTTP/2" }] } } });
        const plan = new KubernetesTarget({ serviceType: "NodePort" }).plan(spec, { name: "proto" });
        const portsOf = (key: string) => (plan.resources.find((r) => r.key === key)!.args as { spec: { ports: { port: number; appProtocol?: string }[] } }).spec.ports.map((p) => [p.port, p.appProtocol]);
        assert.deepStrictEqual(portsOf("service/web"), [[80, "http"], [81, undefined]]);
        assert.deepStrictEqual(portsOf("public/web"), [[8080, "http"], [8081, undefined]]);
        const warned = plan.findings.filter((f) => f.path === "services.web.ports[1].appProtocol");
        assert.strictEqual(warned.length, 1);
        assert.match(warned[0].message, /"HTTP\/2" is not a name Kubernetes takes/);
    });
});
