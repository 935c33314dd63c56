import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { DockyardProvider } from "../../components/package/provider";
import { renderProgram } from "../../components/render";
import { runtimeOf } from "../../components/runtime";
import { DockerTarget } from "../../components/targets/docker";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { SwarmTarget } from "../../components/targets/swarm";
import { assertRefused } from "../harness";

const provider = new DockyardProvider();
const SOCKET = { docker: { host: "unix:///var/run/docker.sock" } };
const SPEC = { name: "shop", services: { web: { image: "nginx:1.27", ports: ["8080:80"] } } };

/** What a construct of `type` registers, and its outputs, under the mock runtime. */
async function construct(type: string, inputs: Record<string, unknown>, name = "shop") {
    return renderProgram(async () => (await provider.construct(name, type, inputs, {})).state, { namedPlaceholders: true, onWarning: () => undefined });
}

/** A construct that is refused: a SpecError whose message has `parts`, and nothing was registered. */
async function refused(type: string, inputs: Record<string, unknown>, ...parts: (string | RegExp)[]): Promise<void> {
    let error: Error | undefined;
    const { resources } = await renderProgram(async () => {
        try {
            await provider.construct("shop", type, inputs, {});
        } catch (e) {
            error = e as Error;
        }
    });
    assert.ok(error, `${type} ${JSON.stringify(inputs)} should be refused`);
    assert.strictEqual(error.name, "SpecError", error.message);
    for (const p of parts) typeof p === "string" ? assert.ok(error.message.includes(p), `${JSON.stringify(error.message)} should mention ${p}`) : assert.match(error.message, p);
    assert.deepStrictEqual(resources.map((r) => r.name), [], `${error.message}: nothing is registered`);
}

describe("component package provider", () => {
    it("serves its schema at the repository's version", async () => {
        const schema = JSON.parse(await provider.getSchema());
        assert.strictEqual(schema.name, "dockyard");
        assert.strictEqual(schema.version, provider.version);
    });

    it("constructs an App from a spec on a Docker runtime given as data: a DockerHost beside it, the app's resources under it", async () => {
        const { resources, outputs } = await construct("dockyard:index:App", { runtime: SOCKET, spec: SPEC, labels: { team: "shop" } });
        const names = resources.map((r) => `${r.type} ${r.name}`);
        for (const n of ["dockyard:index:DockerHost shop-host", "pulumi:providers:docker shop-host-provider", "dockyard:index:App shop"]) assert.ok(names.includes(n), `${n} in ${names.join(", ")}`);
        const container = resources.find((r) => r.type === "docker:index/container:Container");
        assert.ok(container, names.join(", "));
        assert.strictEqual(container.parent, "shop");
        assert.deepStrictEqual(outputs.services, ["web"]);
        assert.deepStrictEqual(outputs.endpoints, { web: ["localhost:8080"] });
    });

    it("constructs an App from Compose files, relative to the program's directory", async () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-package-"));
        const cwd = process.cwd();
        try {
            fs.writeFileSync(path.join(dir, "compose.yaml"), "services:\n  api:\n    image: busybox:1.36\n    command: [sleep, infinity]\n  web:\n    image: nginx:1.27\n    ports: ['8081:80']\n    depends_on: [api]\n");
            process.chdir(dir);
            const { resources, outputs } = await construct("dockyard:index:App", { runtime: SOCKET, composeFiles: ["compose.yaml"], projectName: "shop" });
            assert.deepStrictEqual(outputs.services, ["api", "web"]);
            assert.deepStrictEqual(outputs.endpoints, { web: ["localhost:8081"] });
            assert.strictEqual(resources.filter((r) => r.type === "docker:index/container:Container").length, 2);
        } finally {
            process.chdir(cwd);
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });

    it("refuses bad arguments with the argument's path and value, creating nothing", async () => {
        await refused("dockyard:index:App", { runtime: {}, spec: SPEC }, "runtime", "exactly one runtime", "got none");
        await refused("dockyard:index:App", { runtime: { ...SOCKET, kubernetes: {} }, spec: SPEC }, "runtime", "got docker, kubernetes");
        await refused("dockyard:index:App", { runtime: { podman: {} }, spec: SPEC }, "runtime.podman", "unknown runtime");
        await refused("dockyard:index:App", { runtime: { docker: { hots: "x" } }, spec: SPEC }, "runtime.docker.hots", "unknown setting");
        await refused("dockyard:index:App", { runtime: { docker: { host: "http://x" } }, spec: SPEC }, "runtime.docker.host", 'unsupported Docker host scheme "http"');
        await refused("dockyard:index:App", { runtime: SOCKET }, "composeFiles", "give either composeFiles");
        await refused("dockyard:index:App", { runtime: SOCKET, spec: SPEC, composeFiles: ["compose.yaml"] }, "spec", "not both");
        await refused("dockyard:index:App", { runtime: SOCKET, spec: SPEC, lables: {} }, "lables", "unknown argument");
        await refused("dockyard:index:App", { runtime: SOCKET, spec: { services: { web: { image: "nginx", ports: ["99999:80"] } } } }, "spec.services.web.ports[0]", "99999");
        await refused("dockyard:index:App", { runtime: SOCKET, composeFiles: ["/nonexistent/compose.yaml"] }, "/nonexistent/compose.yaml");
        await refused("dockyard:index:App", { runtime: { kubernetes: { serviceType: "Ingress" } }, spec: SPEC }, "serviceType", "Ingress");
        await refused("dockyard:portainer:Portainer", { runtime: { kubernetes: {} } }, /Portainer/);
        await refused("dockyard:index:DockerHost", { host: "tcp://10.0.0.1:2376" }, /^tls: /, "TLS material", "tcp://10.0.0.1:2376");
    });

    it("a DockerHost outputs its runtime, which an App takes", async () => {
        const { resources, outputs } = await construct("dockyard:index:DockerHost", { host: "ssh://ops@edge.example.com", sshOpts: ["-p", "2222"] }, "edge");
        assert.deepStrictEqual(resources.map((r) => `${r.type} ${r.name}`).sort(), ["dockyard:index:DockerHost edge", "pulumi:providers:docker edge-provider"]);
        assert.deepStrictEqual(outputs.runtime, { docker: { host: "ssh://ops@edge.example.com", publicHost: "edge.example.com", sshOpts: ["-p", "2222"] } });
        assert.strictEqual(outputs.publicHost, "edge.example.com");
        const app = await construct("dockyard:index:App", { runtime: outputs.runtime, spec: SPEC });
        assert.deepStrictEqual(app.outputs.endpoints, { web: ["edge.example.com:8080"] });
    });

    it("deploys to an existing swarm or a cluster given as data, with a provider named after the app", async () => {
        const swarm = await construct("dockyard:index:App", { runtime: { swarm: { dockerHost: "ssh://ops@manager", host: "apps.example.com" } }, spec: SPEC });
        const p = swarm.resources.find((r) => r.type === "pulumi:providers:docker");
        assert.strictEqual(p?.name, "shop-swarm");
        assert.strictEqual(p?.inputs.host, "ssh://ops@manager");
        assert.ok(swarm.resources.some((r) => r.type === "docker:index/service:Service"));
        const k8s = await construct("dockyard:index:App", { runtime: { kubernetes: { namespace: "shop", context: "prod" } }, spec: SPEC });
        const kp = k8s.resources.find((r) => r.type === "pulumi:providers:kubernetes");
        assert.strictEqual(kp?.name, "shop-cluster");
        assert.strictEqual(kp?.inputs.context, "prod");
        assert.ok(k8s.resources.some((r) => r.type === "kubernetes:apps/v1:Deployment"));
    });

    it("runtimeOf plans on a target of the runtime's kind before anything exists", () => {
        assert.ok(runtimeOf(SOCKET, "a").planning instanceof DockerTarget);
        assert.ok(runtimeOf({ swarm: {} }, "a").planning instanceof SwarmTarget);
        assert.ok(runtimeOf({ kubernetes: {} }, "a").planning instanceof KubernetesTarget);
        assertRefused(() => runtimeOf({ swarm: { registry: { address: "" } } }, "a"), "runtime.swarm.registry.address", "");
        assertRefused(() => runtimeOf({ swarm: { dockerHost: "tcp://10.0.0.1:2376" } }, "a"), "runtime.swarm.dockerHost", "tcp://10.0.0.1:2376", /takes no TLS material/);
        assertRefused(() => runtimeOf({ swarm: { dockerHost: "http://x" } }, "a"), "runtime.swarm.dockerHost", "http://x", /unsupported Docker host scheme/);
        assert.ok(runtimeOf({ swarm: { dockerHost: "tcp://10.0.0.1:2375" } }, "a").planning instanceof SwarmTarget);
        // The cluster's settings are checked by KubernetesTarget, and told under the argument's path.
        assertRefused(() => runtimeOf({ kubernetes: { serviceType: "Ingress" as never } }, "a"), "runtime.kubernetes.serviceType", "Ingress");
        assertRefused(() => runtimeOf({ kubernetes: { namespace: "Shop" } }, "a"), "runtime.kubernetes.namespace", "Shop");
    });
});
