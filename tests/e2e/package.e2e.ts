/**
 * dockyard as a component package, for real: Python, Go and YAML programs each add the
 * package from this checkout (`pulumi package add <checkout>/pulumi-package`: the Node.js host
 * serves the source-based plugin, the language's host generates and links the SDK), then deploy a
 * Compose application on the local Docker engine: `up`, the app answering on its published port,
 * `preview --expect-no-changes`, `destroy`, nothing of the app left. The Python program passes a
 * DockerHost's `runtime` output to the App; the Go program and a YAML program give the runtime as
 * data (the YAML one with a docker:Network beside it), another YAML program deploys Monitoring and
 * Portainer, another
 * forms a swarm with SwarmCluster and passes its `runtime` on (the app waits for the swarm), and a
 * third deploys to the test cluster (scripts/kube-cluster.sh) with the kubeconfig a secret of the
 * stack's config.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { DEFAULT_IMAGES } from "../../components/monitoring";
import { eventuallyAnswers, freePort, tcpOpen } from "./checks";
import { docker, inspect, removeApps, run, RunOptions, RunResult, SWARM_REMOVAL_PARALLELISM, swarmState, waitFor } from "./engine";
import { ensureStandins } from "./images";
import { Cluster, deleteAndWait, eventually, getObject, testCluster } from "./kube";

const PACKAGE_DIR = path.join(REPO_ROOT, "pulumi-package");
const IMAGE = "nginx:1.27";
/** The Python SDK from PyPI: the newest it serves here that the CLI's protocol matches. */
const PYTHON_SDK = "pulumi==3.272.0";
/** The Go SDK, from the module proxy. */
const GO_SDK = "v3.276.0";
const PORTAINER_IMAGE = "portainer/portainer-ce:2.21.5";
/** A network the YAML program creates with the docker provider directly. */
const EXTRA_NETWORK = "pkgyaml-extra";

function composeFile(port: number): string {
    return [
        "services:",
        "  web:",
        `    image: ${IMAGE}`,
        `    ports: ["127.0.0.1:${port}:80"]`,
        "    volumes: [data:/data]",
        "    healthcheck:",
        '      test: ["CMD", "true"]',
        "      interval: 5s",
        "volumes:",
        "  data: {}",
        "",
    ].join("\n");
}

/** A throw-away program with its own file backend; every step is the real CLI, bounded in time. */
class Program {
    readonly dir: string;
    private readonly env: NodeJS.ProcessEnv;

    constructor(readonly name: string, files: Record<string, string>) {
        this.dir = fs.mkdtempSync(path.join(os.tmpdir(), `dockyard-package-${name}-`));
        for (const [f, text] of Object.entries(files)) fs.writeFileSync(path.join(this.dir, f), text);
        const state = path.join(this.dir, ".state");
        fs.mkdirSync(state);
        this.env = { ...process.env, PULUMI_BACKEND_URL: `file://${state}`, PULUMI_CONFIG_PASSPHRASE: "dockyard-e2e", PULUMI_SKIP_UPDATE_CHECK: "1", NO_COLOR: "1" };
    }

    pulumi(args: readonly string[], o: RunOptions = {}): RunResult {
        const started = Date.now();
        const r = run("pulumi", [...args, "--non-interactive"], { cwd: this.dir, env: this.env, timeoutMs: 10 * 60_000, ...o });
        console.log(`      ${this.name}: pulumi ${args[0]} ${args[1] ?? ""} took ${((Date.now() - started) / 1000).toFixed(1)} s`);
        return r;
    }

    outputs(): Record<string, unknown> {
        return JSON.parse(this.pulumi(["stack", "output", "--json", "--show-secrets"], { timeoutMs: 60_000 }).stdout);
    }

    close(): void {
        this.pulumi(["stack", "rm", "--yes", "--force"], { allowFail: true, timeoutMs: 60_000 });
        fs.rmSync(this.dir, { recursive: true, force: true });
    }
}

/** Containers (or, on a swarm, services) of `app`, by dockyard's label. */
function workloadsOf(app: string, kind: "ps" | "service" = "ps"): string[] {
    const args = kind === "ps" ? ["ps", "-aq"] : ["service", "ls", "-q"];
    return docker([...args, "--filter", `label=dev.dockyard.app=${app}`]).split("\n").filter(Boolean);
}

interface Round {
    /** Checks of the deployed app, given the stack's outputs. */
    deployed(outputs: Record<string, unknown>): Promise<void>;
    /** Checks that nothing of the app is left after destroy. */
    gone(): Promise<void>;
    /** Extra arguments of `destroy` (one operation at a time on a swarm). */
    destroyArgs?: string[];
}

/**
 * The whole round for one program: stack, package add, a first preview, up, checks, no changes on
 * a second preview, destroy, checks. `configure` sets the stack's config after `stack init`.
 */
async function roundTrip(p: Program, round: Round, configure: () => void = () => undefined): Promise<void> {
    p.pulumi(["stack", "init", "dev", "--secrets-provider", "passphrase"], { timeoutMs: 60_000 });
    configure();
    const added = p.pulumi(["package", "add", PACKAGE_DIR]);
    assert.match(added.stdout + added.stderr, /dockyard/);
    const project = fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8");
    assert.match(project, /packages:\s*\n\s+dockyard:/, `package add records the package in Pulumi.yaml:\n${project}`);
    // The first preview, before anything exists: everything dockyard plans from is known by then.
    const preview = p.pulumi(["preview", "--diff"]);
    assert.match(preview.stdout, /\+ +dockyard:index:App|\+ +dockyard:monitoring:Monitoring/, "the preview shows the component to create");
    p.pulumi(["up", "--yes", "--skip-preview", "--diff"]);
    await round.deployed(p.outputs());
    p.pulumi(["preview", "--expect-no-changes", "--diff"]);
    p.pulumi(["destroy", "--yes", "--skip-preview", ...(round.destroyArgs ?? [])]);
    await round.gone();
}

/** The checks of a Compose app on the local engine, published on `port`. */
function onEngine(app: string, port: number): Round {
    return {
        async deployed(outputs) {
            assert.deepStrictEqual(outputs.endpoints, { web: [`127.0.0.1:${port}`] });
            assert.deepStrictEqual(outputs.services, ["web"]);
            assert.strictEqual(workloadsOf(app).length, 1);
            await eventuallyAnswers(port);
        },
        async gone() {
            assert.deepStrictEqual(workloadsOf(app), []);
        },
    };
}

describe("dockyard as a component package: Python, Go and YAML programs deploy for real", function () {
    const programs: Program[] = [];
    const APPS = ["pkgpy", "pkggo", "pkgyaml", "pkgswarm", "pkgmon", "pkgportainer"];
    const swarmBefore = swarmState();

    before(() => {
        ensureStandins([IMAGE, ...Object.values(DEFAULT_IMAGES), PORTAINER_IMAGE]);
        // Leftovers of an interrupted run, by name.
        removeApps(APPS);
        docker(["network", "rm", EXTRA_NETWORK], { allowFail: true });
    });

    after(() => {
        for (const p of programs) p.close();
        removeApps(APPS);
        docker(["network", "rm", EXTRA_NETWORK], { allowFail: true });
        if (swarmBefore !== "active" && swarmState() === "active") docker(["swarm", "leave", "--force"]);
    });

    it("a Python program: pulumi_dockyard.DockerHost's runtime, an App from compose.yaml", async () => {
        const port = await freePort();
        const p = new Program("python", {
            "Pulumi.yaml": "name: pkgpy\nruntime:\n  name: python\n  options:\n    virtualenv: venv\n",
            "requirements.txt": `${PYTHON_SDK}\n`,
            "compose.yaml": composeFile(port),
            "__main__.py": [
                "import pulumi",
                "import pulumi_dockyard as dockyard",
                "",
                "# The local engine (DOCKER_HOST, the current context or the socket); its runtime is data.",
                'host = dockyard.DockerHost("local")',
                'app = dockyard.App("pkgpy", runtime=host.runtime, compose_files=["compose.yaml"], project_name="pkgpy")',
                'pulumi.export("endpoints", app.endpoints)',
                'pulumi.export("services", app.services)',
                "",
            ].join("\n"),
        });
        programs.push(p);
        p.pulumi(["install"]);
        await roundTrip(p, onEngine("pkgpy", port));
    });

    it("a Go program: dockyard.NewApp from compose.yaml, the runtime as data", async () => {
        const port = await freePort();
        const p = new Program("go", {
            "Pulumi.yaml": "name: pkggo\nruntime: go\n",
            // The Pulumi Go SDK at the CLI's version (older ones need modules the proxy here refuses).
            "go.mod": `module pkggo\n\ngo 1.25\n\nrequire github.com/pulumi/pulumi/sdk/v3 ${GO_SDK}\n`,
            "compose.yaml": composeFile(port),
            "main.go": [
                "package main",
                "",
                "import (",
                '\t"example.com/pulumi-dockyard/sdk/go/dockyard"',
                '\t"github.com/pulumi/pulumi/sdk/v3/go/pulumi"',
                ")",
                "",
                "func main() {",
                "\tpulumi.Run(func(ctx *pulumi.Context) error {",
                '\t\tapp, err := dockyard.NewApp(ctx, "pkggo", &dockyard.AppArgs{',
                "\t\t\tRuntime:      dockyard.RuntimeArgs{Docker: dockyard.DockerRuntimeArgs{}},",
                '\t\t\tComposeFiles: pulumi.StringArray{pulumi.String("compose.yaml")},',
                '\t\t\tProjectName:  pulumi.String("pkggo"),',
                "\t\t})",
                "\t\tif err != nil {",
                "\t\t\treturn err",
                "\t\t}",
                '\t\tctx.Export("endpoints", app.Endpoints)',
                '\t\tctx.Export("services", app.Services)',
                "\t\treturn nil",
                "\t})",
                "}",
                "",
            ].join("\n"),
        });
        programs.push(p);
        // The first preview builds the program with the Pulumi Go SDK (about 40 s with warm Go caches).
        await roundTrip(p, onEngine("pkggo", port));
    });

    it("a YAML program: dockyard:App with the runtime as data", async () => {
        const port = await freePort();
        const p = new Program("yaml", {
            "Pulumi.yaml": [
                "name: pkgyaml",
                "runtime: yaml",
                "resources:",
                "  shop:",
                "    type: dockyard:App",
                "    properties:",
                "      runtime:",
                "        docker: {}",
                "      composeFiles: [compose.yaml]",
                "      projectName: pkgyaml",
                // A docker provider resource beside it: YAML loads the docker plugin's schema for it.
                "  extra:",
                "    type: docker:Network",
                "    properties:",
                `      name: ${EXTRA_NETWORK}`,
                "outputs:",
                "  endpoints: ${shop.endpoints}",
                "  services: ${shop.services}",
                "",
            ].join("\n"),
            "compose.yaml": composeFile(port),
        });
        programs.push(p);
        const engine = onEngine("pkgyaml", port);
        await roundTrip(p, {
            async deployed(outputs) {
                await engine.deployed(outputs);
                assert.strictEqual(inspect("network", EXTRA_NETWORK).Name, EXTRA_NETWORK);
            },
            async gone() {
                await engine.gone();
                assert.strictEqual(docker(["network", "ls", "-q", "--filter", `name=^${EXTRA_NETWORK}$`]), "");
            },
        });
    });

    it("a YAML program: Monitoring (its settings one object) and Portainer on the local engine", async () => {
        const [grafana, prometheus, portainer] = [await freePort(), await freePort(), await freePort()];
        const p = new Program("monitoring", {
            "Pulumi.yaml": [
                "name: pkgmon",
                "runtime: yaml",
                "resources:",
                "  mon:",
                "    type: dockyard:monitoring:Monitoring",
                "    properties:",
                "      runtime:",
                "        docker: {}",
                "      settings:",
                "        name: pkgmon",
                "        retention: 2d",
                `        prometheusPort: ${prometheus}`,
                "        grafana:",
                `          port: ${grafana}`,
                "  portainer:",
                "    type: dockyard:portainer:Portainer",
                "    properties:",
                "      runtime:",
                "        docker: {}",
                "      name: pkgportainer",
                `      image: ${PORTAINER_IMAGE}`,
                `      port: ${portainer}`,
                "outputs:",
                "  grafanaUrl: ${mon.grafanaUrl}",
                "  prometheusUrl: ${mon.prometheusUrl}",
                "  grafanaAdminPassword: ${mon.grafanaAdminPassword}",
                "  portainerUrl: ${portainer.url}",
                "  portainerPassword: ${portainer.adminPassword}",
                "",
            ].join("\n"),
        });
        programs.push(p);
        await roundTrip(p, {
            async deployed(outputs) {
                assert.strictEqual(new URL(outputs.grafanaUrl as string).port, String(grafana));
                assert.strictEqual(new URL(outputs.prometheusUrl as string).port, String(prometheus));
                assert.strictEqual(new URL(outputs.portainerUrl as string).port, String(portainer));
                // Generated (none was given), and outputs as secrets.
                for (const k of ["grafanaAdminPassword", "portainerPassword"]) assert.ok(typeof outputs[k] === "string" && (outputs[k] as string).length >= 16, `${k}: ${outputs[k]}`);
                const plain = JSON.parse(p.pulumi(["stack", "output", "--json"], { timeoutMs: 60_000 }).stdout);
                assert.strictEqual(plain.grafanaAdminPassword, "[secret]");
                assert.ok(workloadsOf("pkgmon").length >= 5, `the monitoring containers: ${workloadsOf("pkgmon").length}`);
                await eventuallyAnswers(grafana);
                await eventuallyAnswers(prometheus);
                assert.ok(await tcpOpen(portainer), `portainer's ${portainer} is closed`);
            },
            async gone() {
                assert.deepStrictEqual([...workloadsOf("pkgmon"), ...workloadsOf("pkgportainer")], []);
            },
        });
    });

    it("a YAML program: a SwarmCluster formed on the local engine, an App on its runtime", async () => {
        const port = await freePort();
        const p = new Program("swarm", {
            "Pulumi.yaml": [
                "name: pkgswarm",
                "runtime: yaml",
                "resources:",
                "  swarm:",
                "    type: dockyard:swarm:SwarmCluster",
                "    properties:",
                "      managers:",
                "        - name: local",
                "          address: 127.0.0.1",
                // A swarm this test formed is left on destroy; one that was there stays.
                `      leaveOnDelete: ${swarmBefore !== "active"}`,
                "  shop:",
                "    type: dockyard:App",
                "    properties:",
                "      runtime: ${swarm.runtime}",
                "      composeFiles: [compose.yaml]",
                "      projectName: pkgswarm",
                "outputs:",
                "  endpoints: ${shop.endpoints}",
                "  services: ${shop.services}",
                "  runtime: ${swarm.runtime}",
                "",
            ].join("\n"),
            "compose.yaml": composeFile(port),
        });
        programs.push(p);
        await roundTrip(p, {
            async deployed(outputs) {
                assert.deepStrictEqual(outputs.runtime, { swarm: { host: "127.0.0.1" } });
                assert.deepStrictEqual(outputs.endpoints, { web: [`127.0.0.1:${port}`] });
                assert.strictEqual(swarmState(), "active");
                const [service] = workloadsOf("pkgswarm", "service");
                assert.ok(service, "the service exists");
                // Published through the routing mesh (the loopback address is a finding: Swarm ignores it).
                // Whether the mesh forwards depends on the host's network, so the spec and the task are checked.
                const ports = inspect("service", service).Endpoint.Ports.map((p: { TargetPort: number; PublishedPort: number; PublishMode: string }) => [p.TargetPort, p.PublishedPort, p.PublishMode]);
                assert.deepStrictEqual(ports, [[80, port, "ingress"]]);
                assert.ok(
                    waitFor(() => docker(["service", "ps", service, "--filter", "desired-state=running", "--format", "{{.CurrentState}}"]).startsWith("Running"), 60_000),
                    "the service's task runs",
                );
            },
            async gone() {
                assert.ok(waitFor(() => workloadsOf("pkgswarm").length === 0, 60_000), "the service's tasks are gone");
                // The swarm this test formed was left (leaveOnDelete), its services with it.
                assert.strictEqual(swarmState(), swarmBefore === "active" ? "active" : "inactive");
                if (swarmBefore === "active") assert.deepStrictEqual(workloadsOf("pkgswarm", "service"), []);
            },
            destroyArgs: ["--parallel", String(SWARM_REMOVAL_PARALLELISM)],
        });
    });

    it("a YAML program: an App on the test Kubernetes cluster, the kubeconfig a secret of the stack's config", async () => {
        const cluster: Cluster = testCluster();
        const deployment = "/apis/apps/v1/namespaces/pkgkube/deployments/web";
        await deleteAndWait(cluster, ["/api/v1/namespaces/pkgkube"]);
        const p = new Program("kubernetes", {
            "Pulumi.yaml": [
                "name: pkgkube",
                "runtime: yaml",
                "config:",
                "  kubeconfig:",
                "    type: string",
                "    secret: true",
                "  context:",
                "    type: string",
                "resources:",
                "  shop:",
                "    type: dockyard:App",
                "    properties:",
                "      runtime:",
                "        kubernetes:",
                "          kubeconfig: ${kubeconfig}",
                "          context: ${context}",
                "          nodeAddress: 127.0.0.1",
                "          serviceType: NodePort",
                "      composeFiles: [compose.yaml]",
                "      projectName: pkgkube",
                "outputs:",
                "  endpoints: ${shop.endpoints}",
                "  services: ${shop.services}",
                "",
            ].join("\n"),
            // Published on every address: a loopback-bound port stays inside a cluster.
            "compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n",
        });
        programs.push(p);
        try {
            await roundTrip(p, {
                async deployed(outputs) {
                    assert.deepStrictEqual(outputs.services, ["web"]);
                    const web = (outputs.endpoints as Record<string, string[]>).web;
                    assert.ok(web?.length === 1 && /^127\.0\.0\.1:\d+$/.test(web[0]), `a NodePort endpoint: ${JSON.stringify(outputs.endpoints)}`);
                    const d = await getObject(cluster, deployment);
                    assert.ok(d, "the Deployment web exists");
                    assert.strictEqual(d.metadata.labels["dev.dockyard.app"], "pkgkube");
                },
                async gone() {
                    await eventually("the namespace pkgkube is gone", 120_000, async () => (await getObject(cluster, "/api/v1/namespaces/pkgkube")) === undefined);
                },
            }, () => {
                p.pulumi(["config", "set", "--secret", "kubeconfig"], { input: fs.readFileSync(cluster.kubeconfig, "utf8"), timeoutMs: 60_000 });
                p.pulumi(["config", "set", "context", cluster.context], { timeoutMs: 60_000 });
            });
        } finally {
            await deleteAndWait(cluster, ["/api/v1/namespaces/pkgkube"]);
        }
    });
});
