/**
 * `dockyard diff --stack --rev`: a stack at git revisions of its project, on a small consumer program
 * in a scratch git repository (its node_modules linked from this clone's, ignored by git, as a
 * project's are): revisions exported and removed, a build when the entry point is build output,
 * and the errors (exit 2).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { dockyard, Run, runProcess, scratch } from "./run";

const PROGRAM = (replicas: number) => `import * as pulumi from "@pulumi/pulumi";
class Web extends pulumi.CustomResource {
    constructor(name: string, args: pulumi.Inputs) {
        super("shop:index:Web", name, args);
    }
}
const config = new pulumi.Config();
new Web("web", { image: config.require("image"), replicas: ${replicas} });
export const image = config.require("image");
`;

describe("cli: dockyard diff of a stack at git revisions", function () {
    this.timeout(120_000);
    let work: ReturnType<typeof scratch>;
    let repo: string;
    let tmp: string;
    const git = async (cwd: string, ...args: string[]) => {
        const r = await runProcess("git", ["-c", "user.name=test", "-c", "user.email=test@example.com", "-c", "commit.gpgsign=false", ...args], { cwd });
        assert.strictEqual(r.code, 0, `git ${args.join(" ")}: ${r.stderr}`);
        return r.stdout.trim();
    };
    const write = (dir: string, files: Record<string, string>) => {
        for (const [name, content] of Object.entries(files)) {
            fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
            fs.writeFileSync(path.join(dir, name), content);
        }
    };
    const linkModules = (dir: string) => {
        fs.mkdirSync(path.join(dir, "node_modules"));
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
            if (!entry.startsWith(".")) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(dir, "node_modules", entry));
        }
    };
    // Exports go to a TMPDIR of the test's own, which must be empty after each command.
    const diff = (args: string[], cwd = repo): Promise<Run> => dockyard(["diff", ...args], { cwd, env: { ...process.env, TMPDIR: tmp } });
    const assertCleanedUp = () => assert.deepStrictEqual(fs.readdirSync(tmp).filter((f) => f.startsWith("dockyard-rev-")), [], "the exported revisions are removed");

    before(async () => {
        work = scratch({});
        repo = path.join(work.dir, "repo");
        tmp = path.join(work.dir, "tmp");
        fs.mkdirSync(tmp);
        write(repo, {
            ".gitignore": "node_modules/\nbin/\n",
            "package.json": JSON.stringify({ name: "shop", private: true, dependencies: { "@pulumi/pulumi": "^3.270.0" } }),
            "Pulumi.yaml": "name: shop\nruntime: nodejs\nmain: index.ts\n",
            "Pulumi.dev.yaml": "config:\n  shop:image: nginx:1.27\n",
            "index.ts": PROGRAM(1),
        });
        linkModules(repo);
        await git(repo, "init", "-q", "-b", "main");
        await git(repo, "add", ".");
        await git(repo, "commit", "-q", "-m", "one replica");
        write(repo, { "index.ts": PROGRAM(2), "Pulumi.prod.yaml": "config:\n  shop:image: nginx:1.26\n" });
        await git(repo, "add", ".");
        await git(repo, "commit", "-q", "-m", "two replicas, a prod stack");
        // Not committed: the working tree's dev stack runs another image.
        write(repo, { "Pulumi.dev.yaml": "config:\n  shop:image: nginx:1.28\n" });
    });
    after(() => work.remove());
    afterEach(assertCleanedUp);

    it("--rev R: the stack at R, then in the working tree", async () => {
        const r = await diff(["--stack", "dev", "--rev", "HEAD~1"]);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.strictEqual(r.stderr, "");
        assert.match(r.stdout, /^dockyard diff: stack dev at HEAD~1 \([0-9a-f]{7}\) => stack dev \(working tree\)\n\n~ shop:index:Web {2}web {2}\(update\)\n~ {5}image: "nginx:1\.27" => "nginx:1\.28"\n~ {5}replicas: 1 => 2\n/);
        assert.match(r.stdout, /Outputs:\n~ {5}image: "nginx:1\.27" => "nginx:1\.28"\n/);
    });

    it("--rev A --rev B: from one revision to the other, each with its own stack file; --json says which", async () => {
        const r = await diff(["--stack", "dev", "--rev", "HEAD~1", "--rev", "main", "--json"]);
        assert.strictEqual(r.code, 1, r.stderr);
        const result = JSON.parse(r.stdout) as { from: string; to: string; resources: { changes: { property: string; old: unknown; new: unknown }[] }[] };
        assert.match(result.from, /^stack dev at HEAD~1 \([0-9a-f]{7}\)$/);
        assert.match(result.to, /^stack dev at main \([0-9a-f]{7}\)$/);
        assert.deepStrictEqual(result.resources.map((x) => x.changes), [[{ path: ["replicas"], property: "replicas", op: "update", old: 1, new: 2 }]]);
    });

    it("two stacks at one revision; the same revision twice is the same", async () => {
        const two = await diff(["--stack", "dev", "--stack", "prod", "--rev", "HEAD"]);
        assert.strictEqual(two.code, 1, two.stderr);
        assert.match(two.stdout, /^dockyard diff: stack dev at HEAD \(([0-9a-f]{7})\) => stack prod at HEAD \(\1\)\n/);
        assert.match(two.stdout, /~ {5}image: "nginx:1\.27" => "nginx:1\.26"/);
        const same = await diff(["--stack", "dev", "--rev", "HEAD", "--rev", "main"]);
        assert.strictEqual(same.code, 0, same.stderr);
        assert.match(same.stdout, /\n\nResources:\n {4}1 unchanged\n$/);
    });

    it("says when a revision's dependencies differ from the working tree's, which it is rendered with", async () => {
        const side = path.join(work.dir, "deps");
        await git(work.dir, "clone", "-q", repo, side);
        linkModules(side);
        write(side, { "package.json": JSON.stringify({ name: "shop", private: true, dependencies: { "@pulumi/pulumi": "^3.271.0" } }) });
        await git(side, "commit", "-q", "-am", "a newer SDK");
        write(side, { "package.json": JSON.stringify({ name: "shop", private: true, dependencies: { "@pulumi/pulumi": "^3.270.0" } }) });
        const r = await diff(["--stack", "dev", "--rev", "HEAD"], side);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stderr, "warning: --rev HEAD: its package.json or package-lock.json differ from the working tree's; it is rendered with the working tree's node_modules\n");
    });

    it("builds a revision whose entry point is build output (main: bin/index.js) with the project's tsc", async () => {
        const built = path.join(work.dir, "built");
        write(built, {
            ".gitignore": "node_modules/\nbin/\n",
            "Pulumi.yaml": "name: built\nruntime: nodejs\nmain: bin/index.js\n",
            "Pulumi.dev.yaml": "config:\n  built:image: nginx:1.27\n",
            "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", outDir: "bin", types: [], skipLibCheck: true }, files: ["index.ts"] }),
            "index.ts": PROGRAM(1),
        });
        linkModules(built);
        await git(built, "init", "-q", "-b", "main");
        await git(built, "add", ".");
        await git(built, "commit", "-q", "-m", "one");
        // The working tree's program is built, from a newer index.ts.
        write(built, { "index.ts": PROGRAM(3) });
        const tsc = await runProcess(process.execPath, [path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], { cwd: built });
        assert.strictEqual(tsc.code, 0, tsc.stdout);
        const r = await diff(["--stack", "dev", "--rev", "HEAD"], built);
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /~ {5}replicas: 1 => 3\n/);
    });

    const trouble: [string, string[], RegExp, string?][] = [
        ["a revision that does not exist", ["--stack", "dev", "--rev", "nope"], /^dockyard: --rev nope: no such revision in the repository at .*repo\n$/],
        ["a revision without the stack", ["--stack", "prod", "--rev", "HEAD~1"], /^dockyard: no stack "prod": Pulumi\.prod\.yaml does not exist \(stacks: dev\)/],
        ["a project outside git", ["--stack", "dev", "--rev", "HEAD"], /^dockyard: --rev compares revisions of a git repository, and the project .*nogit is not in one\n$/, "nogit"],
        ["a revision without the project", ["--stack", "dev", "--rev", "HEAD~1"], /^dockyard: --rev HEAD~1: the project is not there at that revision \(no Pulumi\.yaml in app\)\n$/, "mono/app"],
    ];
    for (const [what, args, message, dir] of trouble) {
        it(`exits 2 for ${what}`, async () => {
            let cwd = repo;
            if (dir === "nogit") {
                cwd = path.join(work.dir, "nogit");
                write(cwd, { "Pulumi.yaml": "name: shop\nruntime: nodejs\n", "Pulumi.dev.yaml": "config: {}\n", "index.js": "" });
            } else if (dir === "mono/app") {
                const mono = path.join(work.dir, "mono");
                write(mono, { "README.md": "first\n" });
                await git(mono, "init", "-q", "-b", "main");
                await git(mono, "add", ".");
                await git(mono, "commit", "-q", "-m", "no project yet");
                cwd = path.join(mono, "app");
                write(cwd, { "Pulumi.yaml": "name: shop\nruntime: nodejs\n", "Pulumi.dev.yaml": "config: {}\n", "index.js": "" });
                await git(mono, "add", ".");
                await git(mono, "commit", "-q", "-m", "the project");
            }
            const r = await diff(args, cwd);
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.match(r.stderr, message);
        });
    }

    for (const [args, message] of [
        [["--target", "docker", "--rev", "HEAD", "a.yaml", "b.yaml"], "--rev goes with --stack"],
        [["--stack", "dev", "--rev=-x"], '--rev: "-x" is not a revision'],
        [["--stack", "dev", "--rev", "A", "--rev", "B", "--rev", "C"], "--rev is given more than 2 times"],
        [["--stack", "dev"], "or a stack and a revision: --stack dev --rev <rev>"],
    ] as const) {
        it(`refuses \`dockyard diff ${args.join(" ")}\` as a usage error`, async () => {
            const r = await diff([...args]);
            assert.strictEqual(r.code, 2);
            assert.ok(r.stderr.includes(message), r.stderr);
        });
    }
});
