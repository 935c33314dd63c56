/**
 * dockyard as a component package, for real: a Python program and a YAML program each add the
 * package from this checkout (`pulumi package add <checkout>/pulumi-package`: the Node.js host
 * serves the source-based plugin, the language's host generates and links the SDK), then deploy a
 * Compose application on the local Docker engine: `up`, the app answering on its published port,
 * `preview --expect-no-changes`, `destroy`, nothing of the app left. The Python program passes a
 * DockerHost's `runtime` output to the App; the YAML program gives the runtime as data.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { eventuallyAnswers, freePort } from "./checks";
import { docker, removeApps, run, RunOptions, RunResult } from "./engine";
import { ensureStandins } from "./images";

const PACKAGE_DIR = path.join(REPO_ROOT, "pulumi-package");
const IMAGE = "nginx:1.27";
/** The Python SDK from PyPI: the newest it serves here that the CLI's protocol matches. */
const PYTHON_SDK = "pulumi==3.272.0";

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

/** Containers of `app` (by dockyard's label), running or not. */
function containersOf(app: string): string[] {
    return docker(["ps", "-aq", "--filter", `label=dev.dockyard.app=${app}`]).split("\n").filter(Boolean);
}

/**
 * The whole round for one language: stack, package add, up, the app answers, no changes on a second
 * preview, destroy.
 */
async function roundTrip(p: Program, app: string, port: number): Promise<void> {
    p.pulumi(["stack", "init", "dev", "--secrets-provider", "passphrase"], { timeoutMs: 60_000 });
    const added = p.pulumi(["package", "add", PACKAGE_DIR]);
    assert.match(added.stdout + added.stderr, /dockyard/);
    const project = fs.readFileSync(path.join(p.dir, "Pulumi.yaml"), "utf8");
    assert.match(project, /packages:\s*\n\s+dockyard:/, `package add records the package in Pulumi.yaml:\n${project}`);
    p.pulumi(["up", "--yes", "--skip-preview", "--diff"]);
    const outputs = p.outputs();
    assert.deepStrictEqual(outputs.endpoints, { web: [`127.0.0.1:${port}`] });
    assert.deepStrictEqual(outputs.services, ["web"]);
    assert.strictEqual(containersOf(app).length, 1);
    await eventuallyAnswers(port);
    p.pulumi(["preview", "--expect-no-changes", "--diff"]);
    p.pulumi(["destroy", "--yes", "--skip-preview"]);
    assert.deepStrictEqual(containersOf(app), []);
}

describe("dockyard as a component package: Python and YAML programs deploy a Compose app", function () {
    const programs: Program[] = [];
    const APPS = ["pkgpy", "pkgyaml"];

    before(() => {
        ensureStandins([IMAGE]);
        // Leftovers of an interrupted run, by name.
        removeApps(APPS);
    });

    after(() => {
        for (const p of programs) p.close();
        removeApps(APPS);
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
        await roundTrip(p, "pkgpy", port);
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
                "outputs:",
                "  endpoints: ${shop.endpoints}",
                "  services: ${shop.services}",
                "",
            ].join("\n"),
            "compose.yaml": composeFile(port),
        });
        programs.push(p);
        await roundTrip(p, "pkgyaml", port);
    });
});
