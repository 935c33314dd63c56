/**
 * Images on every target, as planned: built (with the context's hash as the rebuild trigger, the
 * context relative to the project), pushed to the target's registry and run by digest, or pulled
 * as `pull_policy` says.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { defineApp } from "../../components/spec/normalize";
import { AppSpec } from "../../components/spec/types";
import { contextHash } from "../../components/targets/build-context";
import { DockerTarget } from "../../components/targets/docker";
import { DOCKER } from "../../components/targets/docker-factories";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { Plan, PlannedResource, Ref } from "../../components/targets/plan";
import { SwarmTarget } from "../../components/targets/swarm";
import { assertSpecError } from "../harness";

const REGISTRY = { address: "127.0.0.1:5000/team", username: "ci", password: "s3cret-pw" };

function resource(plan: Plan, key: string): PlannedResource {
    const r = plan.resources.find((x) => x.key === key);
    assert.ok(r, `no ${key} in ${plan.resources.map((x) => x.key).join(", ")}`);
    return r!;
}

const args = (plan: Plan, key: string) => resource(plan, key).args as Record<string, any>;

describe("targets/images", () => {
    let project: string;
    let app: (extra?: Record<string, unknown>) => AppSpec;
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-images-"));
        fs.mkdirSync(path.join(project, "web"));
        fs.writeFileSync(path.join(project, "web", "Dockerfile"), "FROM scratch\n");
        fs.writeFileSync(path.join(project, "web", "index.html"), "hello\n");
        app = (extra = {}) => defineApp({
            name: "shop",
            services: {
                web: { build: { context: "./web", args: { V: "1" }, target: "prod", labels: { team: "a" } }, ports: ["8080:80"], ...extra },
                db: { image: "postgres:16" },
            },
        }, { projectDir: project });
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    describe("a Docker host", () => {
        it("without a registry builds on the engine and runs the image by id, rebuilt when the context's hash changes", () => {
            const plan = new DockerTarget({ projectDir: project }).plan(app(), { name: "shop" });
            assert.deepStrictEqual(args(plan, "image/web"), {
                name: "shop-web", keepLocally: true,
                build: { context: "web", buildArgs: { V: "1" }, target: "prod", label: { team: "a" }, tags: ["shop-web"] },
                triggers: { context: contextHash(path.join(project, "web")) },
            });
            assert.deepStrictEqual(args(plan, "container/web/1").image, new Ref("image/web", "imageId"));
            assert.ok(!plan.resources.some((r) => r.type === DOCKER.registryImage), "nothing is pushed");
        });

        it("with a registry pushes the build and runs it by the digest the registry gave", () => {
            const plan = new DockerTarget({ projectDir: project, registry: REGISTRY }).plan(app(), { name: "shop" });
            assert.strictEqual(args(plan, "image/web").name, "127.0.0.1:5000/team/shop-web:latest");
            assert.deepStrictEqual(args(plan, "image/web").build.tags, ["127.0.0.1:5000/team/shop-web:latest"]);
            const push = resource(plan, "push/web");
            assert.strictEqual(push.type, DOCKER.registryImage);
            const { authConfig, ...rest } = push.args as Record<string, any>;
            assert.deepStrictEqual(rest, { name: "127.0.0.1:5000/team/shop-web:latest", keepRemotely: true, triggers: { imageId: new Ref("image/web", "imageId") } });
            assert.deepStrictEqual([authConfig.address, authConfig.username], ["127.0.0.1:5000", "ci"], "the push carries the login");
            assert.ok(pulumi.Output.isInstance(authConfig.password), "the password is a secret output");
            assert.deepStrictEqual(args(plan, "container/web/1").image, new Ref("push/web", "sha256Digest", "127.0.0.1:5000/team/shop-web:latest@{}"));
            // A pulled image is still pulled (with the provider's credentials when it is the registry's).
            assert.deepStrictEqual(args(plan, "image/db"), { name: "postgres:16", keepLocally: true });
        });

        it("pull_policy: always pulls again when the registry's digest of the tag moves; never pulls nothing", () => {
            const spec = defineApp({ name: "p", services: { a: { image: "r.example.com/a:1", pullPolicy: "always" }, n: { image: "local:1", pullPolicy: "never" } } });
            const plan = new DockerTarget().plan(spec, { name: "p" });
            const lookup = resource(plan, "digest/a");
            assert.deepStrictEqual([lookup.type, lookup.lookup, lookup.args], [DOCKER.getRegistryImage, true, { name: "r.example.com/a:1" }]);
            assert.deepStrictEqual(args(plan, "image/a").pullTriggers, [new Ref("digest/a", "sha256Digest")]);
            assert.ok(!plan.resources.some((r) => r.key === "image/n"), "never: no image resource");
            assert.strictEqual(args(plan, "container/n/1").image, "local:1");
        });

        it("pull_policy: always on a built image pulls its base images when building", () => {
            const plan = new DockerTarget({ projectDir: project }).plan(app({ pullPolicy: "always" }), { name: "shop" });
            assert.strictEqual(args(plan, "image/web").build.pullParent, true);
            assert.ok(!plan.resources.some((r) => r.key === "digest/web"));
        });

        it("refuses a context outside the project, and warns about one that does not exist", () => {
            const outside = new DockerTarget({ projectDir: path.join(project, "infra") }).plan(app(), { name: "shop" });
            assert.deepStrictEqual(outside.resources, [], "nothing is planned");
            const e = outside.findings.find((f) => f.level === "error")!;
            assert.strictEqual(e.path, "services.web.build.context");
            assert.match(e.message, /outside the project directory/);
            fs.rmSync(path.join(project, "web"), { recursive: true });
            const missing = new DockerTarget({ projectDir: project }).plan(app(), { name: "shop" });
            assert.ok(missing.findings.some((f) => f.level === "warning" && f.path === "services.web.build.context" && f.message.includes("not a directory")), JSON.stringify(missing.findings));
            assert.ok(!("triggers" in args(missing, "image/web")));
        });

        it("refuses several build platforms: the engine's builder makes one per image", () => {
            const spec = defineApp({ name: "p", services: { a: { build: { context: ".", platforms: ["linux/amd64", "linux/arm64"] } } } }, { projectDir: project });
            for (const target of [new DockerTarget({ projectDir: project }), new SwarmTarget({ projectDir: project, registry: REGISTRY }), new KubernetesTarget()]) {
                const plan = target.plan(spec, { name: "p" });
                const e = plan.findings.find((f) => f.level === "error");
                assert.ok(e && e.path === "services.a.build.platforms" && e.message.includes("one platform per image"), `${target.kind}: ${JSON.stringify(plan.findings)}`);
            }
            const one = defineApp({ name: "p", services: { a: { build: { context: ".", platforms: ["linux/arm64"] } } } }, { projectDir: project });
            assert.strictEqual(args(new DockerTarget({ projectDir: project }).plan(one, { name: "p" }), "image/a").build.platform, "linux/arm64");
        });

        it("a bad registry is refused when the target is made", () => {
            assertSpecError(() => new DockerTarget({ registry: { address: "http://r.example.com" } }), "registry.address", "without a scheme");
        });
    });

    describe("a Swarm", () => {
        it("with a registry builds on the manager, pushes, and the service runs the digest", () => {
            const plan = new SwarmTarget({ projectDir: project, registry: REGISTRY }).plan(app(), { name: "shop" });
            assert.deepStrictEqual(plan.resources.filter((r) => r.key.endsWith("/web")).map((r) => r.key), ["image/web", "push/web", "service/web"]);
            assert.deepStrictEqual(args(plan, "image/web").triggers, { context: contextHash(path.join(project, "web")) });
            const task = args(plan, "service/web").taskSpec.containerSpec;
            assert.deepStrictEqual(task.image, new Ref("push/web", "sha256Digest", "127.0.0.1:5000/team/shop-web:latest@{}"));
            assert.strictEqual(args(plan, "service/db").taskSpec.containerSpec.image, "postgres:16");
            // An image of the registry is pinned to the registry's digest: Swarm reads the pinned reference back.
            const own = defineApp({ name: "p", services: { a: { image: "127.0.0.1:5000/team/a:1" }, n: { image: "127.0.0.1:5000/team/n:1", pullPolicy: "never" } } });
            const pinned = new SwarmTarget({ registry: REGISTRY }).plan(own, { name: "p" });
            assert.deepStrictEqual(args(pinned, "service/a").taskSpec.containerSpec.image, new Ref("digest/a", "sha256Digest", "127.0.0.1:5000/team/a:1@{}"));
            assert.strictEqual(args(pinned, "service/n").taskSpec.containerSpec.image, "127.0.0.1:5000/team/n:1", "never: as named");
            assert.deepStrictEqual(plan.findings.filter((f) => f.path.includes("build")), []);
        });

        it("without a registry says the image is not built", () => {
            const plan = new SwarmTarget({ projectDir: project }).plan(app(), { name: "shop" });
            const w = plan.findings.find((f) => f.path === "services.web.build")!;
            assert.match(w.message, /only with a registry .*dockyard:registry.*shop-web is not built/);
            assert.strictEqual(args(plan, "service/web").taskSpec.containerSpec.image, "shop-web:latest");
        });

        it("pull_policy: always pins the tag to the registry's digest; never is approximated with a warning", () => {
            const spec = defineApp({ name: "p", services: { a: { image: "r.example.com/a", pullPolicy: "always" }, n: { image: "n:1", pullPolicy: "never" } } });
            const plan = new SwarmTarget().plan(spec, { name: "p" });
            assert.deepStrictEqual(args(plan, "service/a").taskSpec.containerSpec.image, new Ref("digest/a", "sha256Digest", "r.example.com/a:latest@{}"));
            assert.deepStrictEqual(resource(plan, "digest/a").args, { name: "r.example.com/a:latest" });
            assert.ok(plan.findings.some((f) => f.path === "services.n.pullPolicy" && f.level === "warning" && f.message.includes("approximated")));
        });
    });

    describe("Kubernetes", () => {
        it("maps pull_policy to imagePullPolicy, and refuses a contradicting x-kubernetes.imagePullPolicy", () => {
            const policies = { always: "Always", missing: "IfNotPresent", never: "Never" } as const;
            for (const [policy, kube] of Object.entries(policies)) {
                const plan = new KubernetesTarget().plan(defineApp({ name: "p", services: { a: { image: "a:1", pullPolicy: policy } } }), { name: "p" });
                assert.strictEqual(args(plan, "workload/a").spec.template.spec.containers[0].imagePullPolicy, kube, policy);
            }
            const both = new KubernetesTarget().plan(defineApp({ name: "p", services: { a: { image: "a:1", pullPolicy: "never", "x-kubernetes": { imagePullPolicy: "Always" } } } }), { name: "p" });
            const e = both.findings.find((f) => f.level === "error")!;
            assert.deepStrictEqual([e.path, e.value], ["services.a.pullPolicy", "never"]);
            assert.match(e.message, /contradicts/);
        });
    });

    describe("the model", () => {
        it("reads pull_policy as compose-go does and refuses what it cannot honour", () => {
            assertSpecError(() => defineApp({ name: "p", services: { a: { image: "a", pullPolicy: "sometimes" } } }), "services.a.pullPolicy", "unknown pull policy", '"sometimes"');
            assertSpecError(() => defineApp({ name: "p", services: { a: { image: "a", pullPolicy: "daily" } } }), "services.a.pullPolicy", "time-based", '"daily"');
            assertSpecError(() => defineApp({ name: "p", services: { a: { image: "a", pullPolicy: "build" } } }), "services.a.pullPolicy", "needs a build section");
            assert.strictEqual(defineApp({ name: "p", services: { a: { image: "a", pullPolicy: "if_not_present" } } }).services.a.pullPolicy, "missing");
        });

        it("checks build platforms against the service's platform", () => {
            assertSpecError(() => defineApp({ name: "p", services: { a: { build: { context: ".", platforms: ["linux/amd64"] }, platform: "linux/arm64" } } }), "services.a.build.platforms", "linux/arm64 must be one of the build platforms");
            assertSpecError(() => defineApp({ name: "p", services: { a: { build: { context: ".", platforms: ["linux/x/y/z"] } } } }), "services.a.build.platforms[0]");
        });
    });
});

describe("targets/images on Kubernetes with a registry", () => {
    let project: string;
    beforeEach(() => {
        project = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-images-k8s-"));
        fs.mkdirSync(path.join(project, "web"));
        fs.writeFileSync(path.join(project, "web", "Dockerfile"), "FROM scratch\n");
    });
    afterEach(() => fs.rmSync(project, { recursive: true, force: true }));

    const spec = () => defineApp({ name: "shop", services: { web: { build: "./web", ports: ["80:80"] }, db: { image: "postgres:16", "x-kubernetes": { imagePullSecrets: "own" } } } }, { projectDir: project });

    it("builds and pushes on the builder engine, and the workload runs the digest", () => {
        const plan = new KubernetesTarget({ projectDir: project, registry: REGISTRY }).plan(spec(), { name: "shop" });
        assert.deepStrictEqual(plan.findings.filter((f) => f.level === "error"), []);
        for (const key of ["image/web", "push/web"]) assert.strictEqual(resource(plan, key).provider, "builder", `${key} is created by the builder, not the cluster's provider`);
        assert.strictEqual(args(plan, "image/web").build.context, "web");
        const container = args(plan, "workload/web").spec.template.spec.containers[0];
        assert.deepStrictEqual(container.image, new Ref("push/web", "sha256Digest", "127.0.0.1:5000/team/shop-web:latest@{}"));
        assert.ok(!plan.findings.some((f) => f.path === "services.web.build"), "no warning: it is built");
    });

    it("pulls with the registry's credentials: an image pull Secret every pod names", () => {
        const plan = new KubernetesTarget({ projectDir: project, registry: REGISTRY }).plan(spec(), { name: "shop" });
        const secret = args(plan, "registry-secret");
        assert.deepStrictEqual([secret.type, secret.metadata.name, secret.metadata.namespace], ["kubernetes.io/dockerconfigjson", "dockyard-registry", "shop"]);
        assert.deepStrictEqual(args(plan, "workload/web").spec.template.spec.imagePullSecrets, [{ name: "dockyard-registry" }]);
        assert.deepStrictEqual(args(plan, "workload/db").spec.template.spec.imagePullSecrets, [{ name: "dockyard-registry" }, { name: "own" }]);
        assert.ok(resource(plan, "workload/web").dependsOn.includes("registry-secret"), "the Secret exists before the pods");
        assert.ok(!JSON.stringify(plan.resources.map((r) => r.args)).includes("s3cret-pw"), "the password is an output, never a plain value of the plan");
    });

    it("an anonymous registry needs no Secret; without a registry nothing is built", () => {
        const anonymous = new KubernetesTarget({ projectDir: project, registry: { address: "r.example.com" } }).plan(spec(), { name: "shop" });
        assert.ok(!anonymous.resources.some((r) => r.key === "registry-secret"));
        assert.deepStrictEqual(args(anonymous, "workload/db").spec.template.spec.imagePullSecrets, [{ name: "own" }]);
        const none = new KubernetesTarget({ projectDir: project }).plan(spec(), { name: "shop" });
        assert.ok(!none.resources.some((r) => r.type === DOCKER.remoteImage));
        assert.match(none.findings.find((f) => f.path === "services.web.build")!.message, /only with a registry/);
        assert.strictEqual(args(none, "workload/web").spec.template.spec.containers[0].image, "shop-web");
    });

    it("refuses a bad registry and a secret that takes the pull Secret's name, before anything exists", () => {
        const bad = new KubernetesTarget({ registry: { address: "https://r.example.com" } }).plan(spec(), { name: "shop" });
        assert.deepStrictEqual([bad.resources.length, bad.findings.find((f) => f.level === "error")?.path], [0, "kubernetes.registry.address"]);
        const clash = defineApp({ name: "shop", services: { db: { image: "postgres:16", secrets: ["dockyard-registry"] } }, secrets: { "dockyard-registry": { content: "x" } } });
        const plan = new KubernetesTarget({ registry: REGISTRY }).plan(clash, { name: "shop" });
        assert.strictEqual(plan.findings.find((f) => f.level === "error")?.path, "secrets.dockyard-registry");
    });
});
