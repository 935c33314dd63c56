/**
 * The package as another project gets it: `npm pack`'s tarball unpacked into a scratch consumer's
 * node_modules (its dependencies linked from this clone's), then used from separate processes —
 * `require` through the `exports` map, the Kubernetes README's deep imports type-checked by tsc with
 * both module resolutions a Pulumi program may use, and the `dockyard` command.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { runProcess, scratch } from "./run";

interface Pack {
    readonly filename: string;
    readonly files: { path: string }[];
}

const KUBERNETES_README = path.join(REPO_ROOT, "components", "targets", "kubernetes", "README.md");

/** The consumer program: the Kubernetes README's imports, plus the package's root, rendered offline. */
const CONSUMER_TS = `
import { loadCompose, render } from "dockyard";
import { App } from "dockyard/components/app";
import { KubernetesTarget } from "dockyard/components/targets/kubernetes";
import { toContainerArgs } from "dockyard/components/targets/docker/convert";

export async function main(): Promise<string[]> {
    void toContainerArgs;
    const resources = await render(() => {
        new App("shop", {
            spec: loadCompose("compose.yaml", { env: {} }),
            target: new KubernetesTarget({ serviceType: "NodePort", defaultVolumeSize: "2Gi" }),
        });
    });
    return resources.map((r) => r.type + " " + r.name);
}
`;

/** A consumer's Pulumi project, in TypeScript: its own config namespace and another, a secret, a warning, a second module, a file read from its directory. */
const SHOP = {
    "Pulumi.yaml": "name: shop\nruntime:\n  name: nodejs\n  options:\n    packagemanager: npm\nmain: index.ts\nstackConfigDir: stacks\nconfig:\n  port:\n    type: integer\n    default: 8080\n",
    "stacks/Pulumi.dev.yaml": "config:\n  shop:image: nginx:1.27\n  aws:region: eu-west-1\n  dbPassword:\n    secure: v1:c2VjcmV0:bm90LWRlY3J5cHRlZA==\n",
    "stacks/Pulumi.prod.yaml": "config:\n  image: nginx:1.28\n  port: 80\n  aws:region: us-east-1\n  shop:dbPassword:\n    secure: v1:c2VjcmV0:bm90LWRlY3J5cHRlZA==\n",
    "stacks/Pulumi.broken.yaml": "config:\n  aws:region: eu-west-1\n",
    "tsconfig.json": JSON.stringify({ compilerOptions: { strict: true, target: "ES2022", module: "commonjs", esModuleInterop: true } }),
    "motd.txt": "welcome\n",
    "lib/greeting.ts": "export function greeting(stack: string): string {\n    return `hello from ${stack}`;\n}\n",
    "index.ts": `import * as fs from "fs";
import * as pulumi from "@pulumi/pulumi";
import { defineApp } from "dockyard";
import { greeting } from "./lib/greeting";

const config = new pulumi.Config();
const port = config.requireNumber("port");
const spec = defineApp({ name: "shop", services: { web: { image: config.require("image"), ports: [\`\${port}:80\`] } } });

class Site extends pulumi.ComponentResource {
    constructor(name: string) {
        super("shop:index:Site", name, {});
        const bucket = new pulumi.CustomResource("shop:index:Bucket", \`\${name}-bucket\`, {
            region: new pulumi.Config("aws").require("region"),
            password: config.requireSecret("dbPassword"),
            image: spec.services.web.image,
        }, { parent: this });
        pulumi.log.warn("the bucket is public", bucket);
    }
}
new Site("site");
export const url = \`http://localhost:\${port}\`;
export const hello = greeting(pulumi.getStack());
export const motd = fs.readFileSync("motd.txt", "utf8").trim();
`,
};

describe("cli: the package as a consumer installs it", function () {
    this.timeout(180_000);
    let work: ReturnType<typeof scratch>;
    let pack: Pack;
    let consumer: string;
    const node = (args: string[]) => runProcess(process.execPath, args, { cwd: consumer });

    before(async () => {
        work = scratch({
            "consumer/package.json": JSON.stringify({ name: "consumer", private: true, dependencies: { dockyard: "*" } }),
            "consumer/compose.yaml": "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n",
            "consumer/index.ts": CONSUMER_TS,
        });
        consumer = path.join(work.dir, "consumer");
        for (const [name, content] of Object.entries(SHOP)) {
            fs.mkdirSync(path.dirname(path.join(work.dir, "shop", name)), { recursive: true });
            fs.writeFileSync(path.join(work.dir, "shop", name), content);
        }
        const packed = await runProcess("npm", ["pack", "--json", "--ignore-scripts", "--pack-destination", work.dir], { cwd: REPO_ROOT });
        assert.strictEqual(packed.code, 0, packed.stderr);
        pack = (JSON.parse(packed.stdout) as Pack[])[0];
        const modules = path.join(consumer, "node_modules");
        fs.mkdirSync(path.join(modules, "dockyard"), { recursive: true });
        const untar = await runProcess("tar", ["-xzf", path.join(work.dir, pack.filename), "-C", path.join(modules, "dockyard"), "--strip-components=1"], { cwd: work.dir });
        assert.strictEqual(untar.code, 0, untar.stderr);
        // The consumer's own dependencies (the @pulumi/* peers among them): this clone's, linked.
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
            if (!entry.startsWith(".")) fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(modules, entry));
        }
        // The shop project has its own installation: dockyard unpacked again, and a copy of @pulumi/pulumi of its own,
        // not the one the consumer's dockyard command loads (the rest linked).
        const shopModules = path.join(work.dir, "shop", "node_modules");
        fs.mkdirSync(path.join(shopModules, "dockyard"), { recursive: true });
        const untarShop = await runProcess("tar", ["-xzf", path.join(work.dir, pack.filename), "-C", path.join(shopModules, "dockyard"), "--strip-components=1"], { cwd: work.dir });
        assert.strictEqual(untarShop.code, 0, untarShop.stderr);
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules"))) {
            if (entry.startsWith(".") || entry === "@pulumi") continue;
            fs.symlinkSync(path.join(REPO_ROOT, "node_modules", entry), path.join(shopModules, entry));
        }
        fs.mkdirSync(path.join(shopModules, "@pulumi"));
        for (const entry of fs.readdirSync(path.join(REPO_ROOT, "node_modules", "@pulumi"))) {
            const from = path.join(REPO_ROOT, "node_modules", "@pulumi", entry);
            if (entry === "pulumi") fs.cpSync(fs.realpathSync(from), path.join(shopModules, "@pulumi", entry), { recursive: true });
            else fs.symlinkSync(from, path.join(shopModules, "@pulumi", entry));
        }
    });
    after(() => work.remove());

    it("carries the library and the command, not dockyard's own stacks, program or tests", () => {
        const files = pack.files.map((f) => f.path);
        for (const f of ["package.json", "bin/components/index.js", "bin/components/index.d.ts", "bin/components/targets/kubernetes/index.js", "bin/components/compose/schema/compose-spec.json", "components/compose/schema/LICENSE", "bin/cli/dockyard.js", "bin/components/package/serve.js", "pulumi-package/PulumiPlugin.yaml", "pulumi-package/schema.json"]) {
            assert.ok(files.includes(f), `${f} is packed`);
        }
        const stray = files.filter((f) => /^(stacks|bin\/stacks|bin\/tests|bin\/bench|tests|scripts|tools)\//.test(f) || ["Pulumi.yaml", "bin/index.js", "index.ts"].includes(f) || /\.ts$/.test(f.replace(/\.d\.ts$/, "")));
        assert.deepStrictEqual(stray, []);
    });

    it("declares the @pulumi packages as peers with ranges, pinned only for its own development", () => {
        const pkg = JSON.parse(fs.readFileSync(path.join(consumer, "node_modules", "dockyard", "package.json"), "utf8")) as Record<string, Record<string, string>>;
        const pulumi = Object.keys(pkg.peerDependencies).filter((n) => n.startsWith("@pulumi/"));
        assert.deepStrictEqual(pulumi.sort(), ["@pulumi/command", "@pulumi/docker", "@pulumi/kubernetes", "@pulumi/pulumi", "@pulumi/random"]);
        for (const n of pulumi) {
            assert.match(pkg.peerDependencies[n], /^\^\d+\.\d+\.\d+$/, n);
            assert.strictEqual(pkg.peerDependencies[n], `^${pkg.devDependencies[n]}`, `${n}: the range starts at the version the tests run`);
            // In dependencies too, npm would install dockyard its own copy next to the program's: two SDKs in one program.
            assert.strictEqual(pkg.dependencies[n], undefined, `${n} is not a regular dependency`);
        }
    });

    it("resolves the root and the deep imports of the Kubernetes README, and nothing outside the exports map", async () => {
        const readme = fs.readFileSync(KUBERNETES_README, "utf8");
        const imports = [...readme.matchAll(/from "(dockyard[^"]*)"/g)].map((m) => m[1]);
        assert.ok(imports.includes("dockyard/components/targets/kubernetes"), imports.join(", "));
        const script = `
            const results = {};
            for (const id of ${JSON.stringify([...new Set([...imports, "dockyard", "dockyard/components/targets/docker/convert", "dockyard/package.json"])])}) {
                results[id] = Object.keys(require(id)).length > 0 ? "ok" : "empty";
            }
            for (const id of ["dockyard/bin/stacks/config", "dockyard/bin/index.js", "dockyard/stacks/config"]) {
                try { require(id); results[id] = "loaded"; } catch (e) { results[id] = e.code; }
            }
            const { KubernetesTarget } = require("dockyard/components/targets/kubernetes");
            results.sameClass = KubernetesTarget === require("dockyard").KubernetesTarget;
            results.oneSdk = require.resolve("@pulumi/pulumi") === require.resolve("@pulumi/pulumi", { paths: [require.resolve("dockyard")] });
            console.log(JSON.stringify(results));`;
        const r = await node(["-e", script]);
        assert.strictEqual(r.code, 0, r.stderr);
        const results = JSON.parse(r.stdout) as Record<string, string | boolean>;
        for (const id of imports) assert.strictEqual(results[id], "ok", id);
        assert.strictEqual(results["dockyard"], "ok");
        assert.strictEqual(results["dockyard/components/targets/docker/convert"], "ok");
        for (const id of ["dockyard/bin/stacks/config", "dockyard/bin/index.js", "dockyard/stacks/config"]) assert.strictEqual(results[id], "ERR_PACKAGE_PATH_NOT_EXPORTED", id);
        assert.strictEqual(results.sameClass, true, "a deep import and the root give the same class");
        assert.strictEqual(results.oneSdk, true, "dockyard uses the program's @pulumi/pulumi");
    });

    for (const resolution of ["node10", "node16"] as const) {
        it(`type-checks and runs a program using the deep imports (moduleResolution ${resolution})`, async () => {
            const module = resolution === "node16" ? "node16" : "commonjs";
            const tsconfig = { compilerOptions: { strict: true, target: "ES2022", module, moduleResolution: resolution, types: [], skipLibCheck: true, outDir: `out-${resolution}` }, files: ["index.ts"] };
            fs.writeFileSync(path.join(consumer, `tsconfig.${resolution}.json`), JSON.stringify(tsconfig));
            const tsc = await node([path.join(REPO_ROOT, "node_modules", "typescript", "bin", "tsc"), "-p", `tsconfig.${resolution}.json`]);
            assert.strictEqual(tsc.code, 0, tsc.stdout + tsc.stderr);
            const run = await node(["-e", `require("./out-${resolution}/index.js").main().then((r) => console.log(JSON.stringify(r)))`]);
            assert.strictEqual(run.code, 0, run.stderr);
            const resources = JSON.parse(run.stdout) as string[];
            assert.ok(resources.includes("kubernetes:apps/v1:Deployment shop-web"), resources.join("\n"));
            assert.ok(resources.includes("kubernetes:core/v1:Service shop-web-public"), resources.join("\n"));
        });
    }

    it("installs the dockyard command, which renders Compose files and refuses --stack outside a Pulumi project", async () => {
        const bin = path.join(consumer, "node_modules", "dockyard", "bin", "cli", "dockyard.js");
        const ok = await node([bin, "render", "--target", "kubernetes", "compose.yaml"]);
        assert.strictEqual(ok.code, 0, ok.stderr);
        assert.match(ok.stdout, /kubernetes:apps\/v1:Deployment +app-web +image nginx:1\.27/);
        const stack = await node([bin, "render", "--stack", "dev"]);
        assert.strictEqual(stack.code, 1);
        assert.strictEqual(stack.stdout, "");
        assert.match(stack.stderr, /there is no Pulumi\.yaml in .*consumer or above it: run dockyard in the project, or give --program <dir>/);
        assert.ok(!stack.stderr.includes("wordpress"));
    });

    describe("renders a consumer's Pulumi program", () => {
        const bin = () => path.join(consumer, "node_modules", "dockyard", "bin", "cli", "dockyard.js");
        const shop = () => path.join(work.dir, "shop");

        it("--program DIR: the project's TypeScript main, config and secrets, through its own @pulumi/pulumi", async () => {
            const sdks = await node(["-e", `console.log(require.resolve("@pulumi/pulumi", { paths: [${JSON.stringify(path.dirname(bin()))}] }) !== require.resolve("@pulumi/pulumi", { paths: [${JSON.stringify(shop())}] }))`]);
            assert.strictEqual(sdks.stdout.trim(), "true", "the command and the program load different copies of the SDK");
            const [tree, json] = await Promise.all([node([bin(), "render", "--program", "../shop", "--stack", "dev"]), node([bin(), "render", "--program", "../shop", "--stack", "dev", "--json"])]);
            assert.strictEqual(tree.code, 0, tree.stderr);
            assert.match(tree.stdout, /^Type +Name +Details\npulumi:pulumi:Stack +shop-dev\n└─ shop:index:Site +site\n {3}└─ shop:index:Bucket +site-bucket +image nginx:1\.27\n/);
            assert.match(tree.stdout, /url: +"http:\/\/localhost:8080"/);
            assert.match(tree.stdout, /hello: +"hello from dev"/);
            assert.match(tree.stdout, /motd: +"welcome"/, "the program runs in its project's directory");
            // Warnings come through the mocks set on the program's SDK, as dockyard prints them (not "[runtime]").
            assert.strictEqual(tree.stderr, "warning: site-bucket: the bucket is public\n");
            assert.strictEqual(json.code, 0, json.stderr);
            const bucket = (JSON.parse(json.stdout) as { name: string; parent?: string; inputs: Record<string, unknown> }[]).find((r) => r.name === "site-bucket");
            assert.deepStrictEqual(bucket, { type: "shop:index:Bucket", name: "site-bucket", parent: "site", inputs: { image: "nginx:1.27", password: "[secret]", region: "eu-west-1" }, dependsOn: [] });
        });

        it("in the project (no --program): the nearest Pulumi.yaml from the working directory, with its own installed command", async () => {
            const own = path.join(shop(), "node_modules", "dockyard", "bin", "cli", "dockyard.js");
            const r = await runProcess(process.execPath, [own, "render", "--stack", "prod"], { cwd: path.join(shop(), "lib") });
            assert.strictEqual(r.code, 0, r.stderr);
            assert.match(r.stdout, /shop:index:Bucket +site-bucket +image nginx:1\.28/);
            assert.match(r.stdout, /url: +"http:\/\/localhost:80"/);
        });

        it("diffs two stacks of the project, each program run afresh", async () => {
            const r = await runProcess(process.execPath, [bin(), "diff", "--stack", "dev", "--stack", "prod"], { cwd: shop() });
            assert.strictEqual(r.code, 1, r.stderr);
            assert.match(r.stdout, /^~ shop:index:Bucket  site-bucket  \(parent site\)  \(update\)\n~ {5}image: "nginx:1\.27" => "nginx:1\.28"\n~ {5}region: "eu-west-1" => "us-east-1"$/m);
            assert.match(r.stdout, /~ {5}url: "http:\/\/localhost:8080" => "http:\/\/localhost:80"/);
        });

        for (const [what, args, message] of [
            ["a directory without Pulumi.yaml", ["--program", ".", "--stack", "dev"], /^dockyard: --program \.: no Pulumi project there \(no Pulumi\.yaml in .*consumer\)\n$/],
            ["a missing stack, naming those there are", ["--program", "../shop", "--stack", "qa"], /^dockyard: no stack "qa": stacks\/Pulumi\.qa\.yaml does not exist \(stacks: broken, dev, prod\)/],
            ["a program that throws", ["--program", "../shop", "--stack", "broken"], /^dockyard: \.\.\/shop\/index\.ts: the program failed \(stack broken\): .*Missing required configuration variable 'shop:image'/],
            ["a project of another runtime", ["--program", "../py", "--stack", "dev"], /^dockyard: .*py\/Pulumi\.yaml: the project's runtime is "python": dockyard renders Node\.js programs \(runtime: nodejs\) only\n$/],
        ] as const) {
            it(`exits 1 for ${what}`, async () => {
                fs.mkdirSync(path.join(work.dir, "py"), { recursive: true });
                fs.writeFileSync(path.join(work.dir, "py", "Pulumi.yaml"), "name: py\nruntime: python\n");
                const r = await node([bin(), "render", ...args]);
                assert.strictEqual(r.code, 1, r.stderr);
                assert.strictEqual(r.stdout, "");
                assert.match(r.stderr, message);
            });
        }
    });
});
