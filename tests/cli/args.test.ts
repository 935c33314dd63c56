/**
 * The command line, through a spawned `dockyard` process: help on stdout with examples, the
 * version, usage errors (exit 2, on stderr, nothing on stdout), input errors (exit 1), `--`.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { bash, dockyard, Run, scratch } from "./run";

function assertUsageError(r: Run, ...parts: (string | RegExp)[]): void {
    assert.strictEqual(r.code, 2, `exit ${r.code}, stderr: ${r.stderr}`);
    assert.strictEqual(r.stdout, "", "a usage error prints nothing on stdout");
    assert.match(r.stderr, /Run 'dockyard( \w+)? --help' for usage\.\n$/);
    for (const p of parts) assert.ok(typeof p === "string" ? r.stderr.includes(p) : p.test(r.stderr), `stderr ${JSON.stringify(r.stderr)} should contain ${p}`);
}

const WEB = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n";

describe("cli: help, version and usage", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({
            "compose.yaml": WEB,
            "compose.prod.yaml": "services:\n  web:\n    image: nginx:1.27-alpine\n",
            "compose.next.yaml": WEB.replace("8080:80", "8081:80"),
            "old/compose.yaml": WEB,
            "new/compose.yaml": WEB.replace("nginx:1.27", "nginx:1.28"),
            "-f": "name: dash\nservices:\n  web:\n    image: nginx:1.27\n",
            "bad.yaml": "services:\n  web:\n    image: nginx\n    ports:\n      - \"80/xyz\"\n",
            "prod.env": "TAG=1.27\n",
        });
    });
    after(() => work.remove());

    for (const args of [["--help"], ["-h"], ["help"]]) {
        it(`dockyard ${args.join(" ")} prints the commands, examples and exit statuses on stdout`, async () => {
            const r = await dockyard(args);
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(r.stderr, "");
            for (const part of ["Usage:", "Commands:", "  render ", "Examples:", "Exit status:", "--version"]) assert.ok(r.stdout.includes(part), part);
        });
    }

    for (const args of [["render", "--help"], ["render", "-h"], ["help", "render"], ["--help", "render"], ["render", "--stack", "dev", "--help"], ["render", "--bogus", "-h"]]) {
        it(`dockyard ${args.join(" ")} prints render's help, with examples, on stdout`, async () => {
            const r = await dockyard(args);
            assert.strictEqual(r.code, 0, r.stderr);
            assert.strictEqual(r.stderr, "");
            assert.match(r.stdout, /^dockyard render: /);
            for (const part of ["--stack <name>", "--target <kind>", "--project-name <name>", "--json", "Examples:", "dockyard render --target docker -- -f", "Exit status:"]) {
                assert.ok(r.stdout.includes(part), part);
            }
        });
    }

    // The examples each help shows are run as shown (in a directory holding the files they name); diff exits 1 when the sides differ.
    for (const [command, statuses] of [["render", [0]], ["diff", [0, 1]]] as const) {
        it(`every example of ${command}'s help runs`, async () => {
            const help = (await dockyard([command, "--help"])).stdout;
            const examples = [...help.matchAll(new RegExp(`^ {2}dockyard (${command} .*?)\\s+# `, "gm"))].map((m) => m[1]);
            assert.ok(examples.length >= 3, examples.join("\n"));
            const runs = await Promise.all(examples.map((example) => bash(`"$NODE" -- "$DOCKYARD" ${example.replace(/ > \S+$/, "")} > /dev/null`, { cwd: work.dir })));
            runs.forEach((r, i) => assert.ok((statuses as readonly number[]).includes(r.code ?? -1), `dockyard ${examples[i]}: exit ${r.code}: ${r.stderr}`));
        });
    }

    it("--version prints package.json's version", async () => {
        const r = await dockyard(["--version"]);
        const pkg = JSON.parse(fs.readFileSync(path.join(REPO_ROOT, "package.json"), "utf8")) as { version: string };
        assert.deepStrictEqual([r.code, r.stdout, r.stderr], [0, `${pkg.version}\n`, ""]);
    });

    it("with no command, prints the help on stderr and exits 2", async () => {
        const r = await dockyard([]);
        assert.strictEqual(r.code, 2);
        assert.strictEqual(r.stdout, "");
        assert.ok(r.stderr.includes("Commands:"));
    });

    const usageErrors: [string[], ...(string | RegExp)[]][] = [
        [["deploy"], 'unknown command "deploy"', "commands: render"],
        [["help", "deploy"], 'unknown command "deploy"'],
        [["--stack", "dev"], "unknown option --stack"],
        [["render", "--format", "yaml", "--stack", "dev"], "dockyard render: --format yaml writes Kubernetes manifests: it goes with --target kubernetes"],
        [["render", "--stack", "dev", "--output", "x"], "dockyard render: unknown option --output"],
        [["render", "--stack", "dev", "--target", "docker", "compose.yaml"], "--stack and --target cannot be used together"],
        [["render", "--stack", "dev", "--stack", "staging"], "--stack is given more than once"],
        [["render", "--stack"], "--stack needs a value"],
        [["render", "--stack="], "--stack needs a value"],
        [["render", "--stack", "--json"], "--stack needs a value, not another option"],
        [["render", "--stack", "dev", "--json=yes"], "--json takes no value"],
        [["render", "--stack", "../../etc/passwd"], "is not a stack name"],
        [["render", "--stack", "dev", "compose.yaml"], "--stack takes no files"],
        [["render", "--stack", "dev", "--project-name", "shop"], "--project-name goes with --target"],
        [["render", "--target", "nomad", "compose.yaml"], '--target must be one of docker, swarm, kubernetes (got "nomad")'],
        [["render", "compose.yaml"], "add --target"],
        [["render"], "render needs --stack <name>, or --target"],
        [["--version", "render"], "--version takes nothing else"],
    ];
    for (const [args, ...parts] of usageErrors) {
        it(`refuses \`dockyard ${args.join(" ")}\` as a usage error (exit 2)`, async () => {
            assertUsageError(await dockyard(args, { cwd: work.dir }), ...parts);
        });
    }

    it("reads -f as the Compose file option, and a file named -f after --", async () => {
        const containers = (r: Run) => {
            assert.strictEqual(r.code, 0, r.stderr);
            return (JSON.parse(r.stdout) as { type: string; inputs: { name?: string } }[]).filter((x) => x.type === "docker:index/container:Container").map((x) => x.inputs.name);
        };
        const [option, dash, missing] = await Promise.all([
            dockyard(["render", "--target", "docker", "--json", "-f", "compose.yaml"], { cwd: work.dir }),
            dockyard(["render", "--target", "docker", "--json", "--", "-f"], { cwd: work.dir }),
            dockyard(["render", "--target", "docker", "-f"], { cwd: work.dir }),
        ]);
        assert.deepStrictEqual(containers(option), [`${path.basename(work.dir).toLowerCase().replace(/[^a-z0-9_-]/g, "")}-web-1`]);
        assert.deepStrictEqual(containers(dash), ["dash-web-1"]);
        assertUsageError(missing, "--file needs a value");
    });

    it("exits 1 when the input is wrong: an unknown stack, naming the stacks there are", async () => {
        const r = await dockyard(["render", "--stack", "qa"]);
        assert.strictEqual(r.code, 1);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /^dockyard: no stack "qa".*stacks: dev, prod, staging/);
    });

    it("exits 1 when the input is wrong: a Compose mistake names the file, the line and the path", async () => {
        const r = await dockyard(["render", "--target", "swarm", "bad.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 1);
        assert.strictEqual(r.stdout, "");
        assert.match(r.stderr, /bad\.yaml:5: services\.web\.ports\[0\]: .*xyz/);
        assert.ok(!/\n\s+at /.test(r.stderr), "no stack trace");
    });

    it("exits 1 for a Compose file that does not exist", async () => {
        const r = await dockyard(["render", "--target", "kubernetes", "missing.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 1);
        assert.match(r.stderr, /missing\.yaml.*not found/);
    });
});
