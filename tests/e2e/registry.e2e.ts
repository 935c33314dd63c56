/**
 * Images and a private registry, for real, on a Docker host and on a single-node Swarm: a real
 * registry (Debian's docker-registry, basic auth, TLS from a test CA: ./registry.ts), a Compose
 * application whose `web` service has a `build:` section (context, Dockerfile, args, target,
 * labels) and whose `private` service runs an image that only the registry has, behind its login.
 * `web` is built, pushed and run by the digest the registry holds; `private` is pulled with the
 * stack's credentials (on Swarm, as `--with-registry-auth` does), and, with `pull_policy: always`,
 * pulled again when its tag moves. No change is no diff, a change of an ignored file is no diff,
 * and a change in the context rebuilds, pushes and rolls out the new digest.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { envOf, exec, freePort, httpGet } from "./checks";
import { docker, inspect, removeApps, Stack, swarmState, tearDown, waitFor } from "./engine";
import { ensureStandins } from "./images";
import { Cluster, deleteAndWait, getObject, testCluster } from "./kube";
import { registryDigest, startRegistry, TestRegistry } from "./registry";

const APP = "regapp";
const BASE = "e2e/api:1.0";

/** The program of the throw-away project: the Compose app on the stack's runtime, with the stack's registry. */
const PROGRAM = `
import * as pulumi from "@pulumi/pulumi";
import { App, DockerHost, SwarmCluster } from "./components";

const c = new pulumi.Config("dockyard");
const registry = { address: c.require("registry"), username: c.require("registryUsername"), password: c.requireSecret("registryPassword") };
const target = c.require("runtime") === "swarm" ? SwarmCluster.singleNode("swarm", { registry }).target : new DockerHost("host", { registry }).target;
export const endpoints = App.fromCompose("${APP}", { files: ["app/compose.yaml"], target }).endpoints;
`;

function composeFile(runtime: "docker" | "swarm"): string {
    return [
        `name: ${APP}`,
        "services:",
        "  web:",
        "    build:",
        "      context: ./web",
        "      dockerfile: Containerfile",
        "      target: final",
        "      args:",
        "        GREETING: hello-from-args",
        "      labels:",
        "        e2e.build: \"yes\"",
        // Swarm's routing mesh needs IPVS, which CI's kernel lacks: the Swarm run checks inside the task.
        ...(runtime === "docker" ? ["    ports:", "      - \"127.0.0.1:${E2E_WEB_PORT}:8080\""] : []),
        "  private:",
        "    image: ${E2E_REGISTRY}/e2e/private:1",
        // Follows the tag: the registry's digest is read at every preview.
        "    pull_policy: always",
        "",
    ].join("\n");
}

for (const runtime of ["docker", "swarm"] as const) {
    describe(`images built and pushed to a private registry, on a real ${runtime === "docker" ? "Docker host" : "single-node swarm"}`, function () {
        let stack: Stack | undefined;
        let registry: TestRegistry | undefined;
        let swarmBefore = "";
        let webDir = "";
        let port = 0;
        const swarm = runtime === "swarm";
        const repo = "e2e/regapp-web";
        const pushed = () => `${registry!.address}/${repo}:latest`;
        const privateImage = () => `${registry!.address}/e2e/private:1`;

        /** The container of a service: the Docker host's, or the running task's on Swarm. */
        const containerOf = (service: string): string => {
            if (!swarm) return `${APP}-${service}-1`;
            let id = "";
            assert.ok(waitFor(() => {
                id = docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${APP}_${service}`, "--filter", "status=running"]).split("\n")[0] ?? "";
                return id !== "";
            }, 120_000), `no running task of ${APP}_${service}`);
            return id;
        };
        /** The image reference the workload was given. */
        const workloadImage = (service: string): string =>
            swarm ? inspect("service", `${APP}_${service}`).Spec.TaskTemplate.ContainerSpec.Image : inspect("container", `${APP}-${service}-1`).Config.Image;
        /** What the running web serves: the file the context holds, read in the container (and over HTTP on the Docker host). */
        const served = async (): Promise<string> => {
            const inContainer = exec(containerOf("web"), "cat", "/www/index.html").trim();
            if (!swarm) {
                // The container answers once its process is up: bounded, generously (a busy machine starts slowly).
                let http = { status: 0, body: "" };
                for (const end = Date.now() + 60_000; http.status !== 200 && Date.now() < end;) {
                    http = await httpGet(port).catch(() => ({ status: 0, body: "" }));
                    if (http.status !== 200) await new Promise((r) => setTimeout(r, 500));
                }
                assert.strictEqual(http.body.trim(), inContainer, "served over HTTP on the published port");
            }
            return inContainer;
        };
        /** Waits until the web workload runs the digest (Swarm rolls an update out after `up` returns it converged). */
        const runsDigest = (digest: string) => {
            assert.strictEqual(workloadImage("web"), `${pushed()}@${digest}`);
            if (swarm) {
                assert.ok(waitFor(() => {
                    const id = docker(["ps", "-q", "--filter", `label=com.docker.swarm.service.name=${APP}_web`, "--filter", "status=running"]).split("\n")[0];
                    return !!id && inspect("container", id).Config.Image === `${pushed()}@${digest}`;
                }, 120_000), `no task of ${APP}_web runs ${digest}`);
            }
        };

        before(async function () {
            swarmBefore = swarmState();
            removeApps([APP]);
            registry = await startRegistry();
            ensureStandins([BASE, "e2e/tool:1"]);
            // An image only the registry has, behind its login: pushed, then untagged here.
            docker(["tag", "e2e/tool:1", privateImage()]);
            docker(["--config", registry.dockerConfig, "push", privateImage()], { timeoutMs: 120_000 });
            docker(["rmi", privateImage()]);
            port = await freePort();
            stack = new Stack({ stack: `registry-${runtime}`, program: PROGRAM, env: { ...registry.env, E2E_WEB_PORT: String(port), E2E_REGISTRY: registry.address } });
            // The application lives in the project, as a build context must.
            const app = path.join(stack.dir, "app");
            webDir = path.join(app, "web");
            fs.mkdirSync(webDir, { recursive: true });
            fs.writeFileSync(path.join(app, "compose.yaml"), composeFile(runtime));
            fs.writeFileSync(path.join(webDir, "Containerfile"), [
                `FROM ${BASE} AS base`,
                "ARG GREETING=unset",
                "ENV GREETING=$GREETING",
                "COPY index.html /www/index.html",
                "FROM base AS debug",
                "LABEL e2e.stage=debug",
                "FROM base AS final",
                "LABEL e2e.stage=final",
                "",
            ].join("\n"));
            fs.writeFileSync(path.join(webDir, "index.html"), "v1\n");
            fs.writeFileSync(path.join(webDir, ".dockerignore"), "*.log\n");
            fs.writeFileSync(path.join(webDir, "notes.log"), "not part of the image\n");
            stack.setConfig("dockyard:runtime", runtime);
            stack.setConfig("dockyard:registry", `${registry.address}/e2e`);
            stack.setConfig("dockyard:registryUsername", registry.username);
            stack.setConfig("dockyard:registryPassword", registry.password, true);
        });

        after(function () {
            tearDown(stack, [APP], swarmBefore);
            // Also removes the engine's references to the registry's images.
            registry?.stop();
        });

        let first = "";

        it("builds the image from the Compose build section, pushes it and runs it by the registry's digest", async function () {
            const up = stack!.up();
            first = registryDigest(registry!, repo, "latest") ?? "";
            assert.match(first, /^sha256:[0-9a-f]{64}$/, `the registry has no ${repo}:latest\n${up.stdout}`);
            runsDigest(first);
            const image = inspect("image", `${pushed()}@${first}`);
            assert.strictEqual(image.Config.Labels["e2e.build"], "yes", "build labels");
            assert.strictEqual(image.Config.Labels["e2e.stage"], "final", "the target stage");
            assert.strictEqual(envOf(inspect("container", containerOf("web"))).GREETING, "hello-from-args", "build args");
            assert.strictEqual(await served(), "v1");
        });

        it("pulls an image only the registry has with the stack's credentials", function () {
            const running = inspect("container", containerOf("private"));
            assert.ok(running.State.Running, `the private image's container is ${running.State.Status}`);
            // The test untagged it before up: the engine knows it from the registry again because it was pulled, with the login.
            const digest = registryDigest(registry!, "e2e/private", "1");
            const pulled = inspect("image", `${registry!.address}/e2e/private@${digest}`);
            assert.ok((pulled.RepoDigests as string[]).includes(`${registry!.address}/e2e/private@${digest}`), JSON.stringify(pulled.RepoDigests));
            // Swarm runs the tag pinned to the registry's digest (read with the login at preview).
            if (swarm) assert.strictEqual(workloadImage("private"), `${privateImage()}@${digest}`);
        });

        it("keeps the context relative to the project in state", function () {
            const state = stack!.pulumi(["stack", "export"], { timeoutMs: 60_000 }).stdout;
            const image = (JSON.parse(state).deployment.resources as any[]).find((r) => r.type === "docker:index/remoteImage:RemoteImage" && r.urn.endsWith(`${APP}-image-web`));
            assert.strictEqual(image.inputs.build.context, "app/web");
            assert.ok(!state.includes(stack!.dir), "no absolute path of the checkout in state");
            assert.ok(!state.includes(registry!.password), "the registry password is encrypted in state");
        });

        it("shows no change after up, nor after a change to a file the .dockerignore leaves out", function () {
            stack!.expectNoChanges();
            fs.writeFileSync(path.join(webDir, "notes.log"), "changed, and still not part of the image\n");
            stack!.expectNoChanges();
        });

        it("rebuilds, pushes and rolls out the new digest when a file of the context changes", async function () {
            fs.writeFileSync(path.join(webDir, "index.html"), "v2\n");
            const preview = stack!.preview().stdout;
            assert.match(preview, new RegExp(`replace.*${APP}-image-web|${APP}-image-web.*replace`, "s"), preview);
            stack!.up();
            const second = registryDigest(registry!, repo, "latest") ?? "";
            assert.match(second, /^sha256:/);
            assert.notStrictEqual(second, first, "a new digest");
            runsDigest(second);
            stack!.expectNoChanges();
            assert.strictEqual(await served(), "v2");
        });

        it("pulls a moved tag again with pull_policy: always, and replaces what runs it", function () {
            const before = registryDigest(registry!, "e2e/private", "1");
            // Another image under the same tag, pushed by someone else.
            docker(["tag", BASE, privateImage()]);
            docker(["--config", registry!.dockerConfig, "push", privateImage()], { timeoutMs: 120_000 });
            docker(["rmi", privateImage()]);
            const moved = registryDigest(registry!, "e2e/private", "1");
            assert.ok(moved && moved !== before, "the tag moved");
            const preview = stack!.preview().stdout;
            assert.match(preview, new RegExp(`${APP}-(image-private|private)`), preview);
            stack!.up();
            if (swarm) {
                assert.strictEqual(workloadImage("private"), `${privateImage()}@${moved}`);
                assert.ok(waitFor(() => inspect("container", containerOf("private")).Config.Image === `${privateImage()}@${moved}`, 120_000), "a task runs the moved tag");
            } else {
                assert.strictEqual(inspect("container", containerOf("private")).Image, inspect("image", BASE).Id, "the container was replaced by one of the moved tag's image");
            }
            stack!.expectNoChanges();
        });
    });
}

/**
 * The same on the test cluster (scripts/kube-cluster.sh): the image is built and pushed by the
 * local engine (the target's builder: the ambient docker provider) and the Deployment runs the
 * registry's digest; every pod names the image pull Secret the target made from the login. The
 * kwok node pulls nothing, so the checks are on the API objects.
 */
describe("images built and pushed to a private registry, for a real Kubernetes API server (kwok node)", function () {
    const KAPP = "regkube";
    const LEFTOVERS = [`/api/v1/namespaces/${KAPP}`];
    let cluster: Cluster;
    let stack: Stack | undefined;
    let registry: TestRegistry | undefined;
    let webDir = "";
    const ns = (p: string) => p.replace("{ns}", `/namespaces/${KAPP}`);
    const pushed = () => `${registry!.address}/e2e/${KAPP}-web:latest`;
    const deployment = async (name: string) => (await getObject(cluster, ns(`/apis/apps/v1{ns}/deployments/${name}`))).spec.template.spec;

    before(async function () {
        cluster = testCluster();
        await deleteAndWait(cluster, LEFTOVERS);
        registry = await startRegistry();
        ensureStandins([BASE]);
        stack = new Stack({
            stack: "registry-kubernetes",
            timeoutMs: 6 * 60_000,
            env: { ...registry.env, E2E_REGISTRY: registry.address },
            program: `
import * as pulumi from "@pulumi/pulumi";
import * as k8s from "@pulumi/kubernetes";
import { App } from "./components";
import { KubernetesTarget } from "./components/targets/kubernetes";

const e2e = new pulumi.Config("e2e");
const c = new pulumi.Config("dockyard");
const provider = new k8s.Provider("cluster", { kubeconfig: e2e.requireSecret("kubeconfig"), context: e2e.require("context") });
const registry = { address: c.require("registry"), username: c.require("registryUsername"), password: c.requireSecret("registryPassword") };
const target = new KubernetesTarget({ provider, serviceType: "NodePort", registry });
export const endpoints = App.fromCompose("${KAPP}", { files: ["app/compose.yaml"], target }).endpoints;
`,
        });
        webDir = path.join(stack.dir, "app", "web");
        fs.mkdirSync(webDir, { recursive: true });
        fs.writeFileSync(path.join(stack.dir, "app", "compose.yaml"), `name: ${KAPP}\nservices:\n  web:\n    build: ./web\n  private:\n    image: \${E2E_REGISTRY}/e2e/private:1\n`);
        fs.writeFileSync(path.join(webDir, "Dockerfile"), `FROM ${BASE}\nCOPY index.html /www/index.html\n`);
        fs.writeFileSync(path.join(webDir, "index.html"), "k1\n");
        stack.setConfig("dockyard:runtime", "kubernetes");
        stack.setConfig("dockyard:registry", `${registry.address}/e2e`);
        stack.setConfig("dockyard:registryUsername", registry.username);
        stack.setConfig("dockyard:registryPassword", registry.password, true);
        stack.setConfig("e2e:kubeconfig", fs.readFileSync(cluster.kubeconfig, "utf8"), true);
        stack.setConfig("e2e:context", cluster.context);
    });

    after(async function () {
        stack?.destroyAndClose();
        if (cluster) await deleteAndWait(cluster, LEFTOVERS);
        registry?.stop();
    });

    let first = "";

    it("builds and pushes on the local engine; the Deployment runs the registry's digest", async function () {
        stack!.up();
        first = registryDigest(registry!, `e2e/${KAPP}-web`, "latest") ?? "";
        assert.match(first, /^sha256:[0-9a-f]{64}$/);
        const web = await deployment("web");
        assert.strictEqual(web.containers[0].image, `${pushed()}@${first}`);
        const ready = (await getObject(cluster, ns("/apis/apps/v1{ns}/deployments/web"))).status.readyReplicas;
        assert.strictEqual(ready, 1);
    });

    it("every pod pulls with the login: an image pull Secret of the namespace", async function () {
        const secret = await getObject(cluster, ns("/api/v1{ns}/secrets/dockyard-registry"));
        assert.strictEqual(secret.type, "kubernetes.io/dockerconfigjson");
        const auths = JSON.parse(Buffer.from(secret.data[".dockerconfigjson"], "base64").toString()).auths;
        assert.deepStrictEqual(Object.keys(auths), [registry!.address]);
        assert.strictEqual(auths[registry!.address].username, registry!.username);
        assert.strictEqual(Buffer.from(auths[registry!.address].auth, "base64").toString(), `${registry!.username}:${registry!.password}`);
        for (const name of ["web", "private"]) assert.deepStrictEqual((await deployment(name)).imagePullSecrets, [{ name: "dockyard-registry" }], name);
    });

    it("shows no change after up; a change in the context pushes a new digest and updates the Deployment", async function () {
        stack!.expectNoChanges();
        fs.writeFileSync(path.join(webDir, "index.html"), "k2\n");
        stack!.up();
        const second = registryDigest(registry!, `e2e/${KAPP}-web`, "latest") ?? "";
        assert.notStrictEqual(second, first);
        assert.strictEqual((await deployment("web")).containers[0].image, `${pushed()}@${second}`);
        stack!.expectNoChanges();
    });
});
