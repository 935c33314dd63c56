/**
 * `dockyard render --target kubernetes --format yaml [--output-dir DIR]` and the Kubernetes target's
 * settings as flags, through a spawned process: the manifests are the plan's objects in creation
 * order, with secret values (files with a Secret readable by their owner only); an output directory
 * loses the files an earlier render wrote and keeps the others; a setting for another target, a bad
 * value or a format without manifests are usage errors; a plan with errors writes nothing.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { loadCompose } from "../../components/compose";
import { MANIFEST_HEADER, manifestsOf } from "../../components/render/manifests";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { dockyard, scratch } from "./run";

const COMPOSE = `
name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    secrets: [token]
  db:
    image: postgres:16
    volumes: [data:/var/lib/postgresql/data]
volumes:
  data: {}
secrets:
  token:
    file: ./token.txt
`;

type Obj = { apiVersion: string; kind: string; metadata: { name: string; namespace?: string }; spec?: Record<string, unknown>; stringData?: Record<string, string> };

function parseStream(text: string): Obj[] {
    return YAML.parseAllDocuments(text).map((d) => d.toJSON() as Obj);
}

describe("cli: Kubernetes manifests (render --format yaml)", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({ "compose.yaml": COMPOSE, "token.txt": "s3cret\n", "bad.yaml": "services:\n  web:\n    image: nginx\n    volumes: [/etc/passwd:/x]\n" });
    });
    after(() => work.remove());

    it("prints the plan's objects as one YAML stream, in creation order, secret values included", async () => {
        const r = await dockyard(["render", "--target", "kubernetes", "--format", "yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
        const objects = parseStream(r.stdout);
        const spec = loadCompose([path.join(work.dir, "compose.yaml")]);
        const plan = new KubernetesTarget().plan(spec, { name: "shop" });
        assert.deepStrictEqual(objects.map((o) => `${o.kind}/${o.metadata.name}`), (await manifestsOf(plan)).map((m) => `${(m.object as Obj).kind}/${(m.object as Obj).metadata.name}`));
        assert.strictEqual(objects[0].kind, "Namespace", "the namespace comes first");
        const secret = objects.find((o) => o.kind === "Secret")!;
        assert.deepStrictEqual(secret.stringData, { token: "s3cret\n" });
        for (const o of objects.slice(1)) assert.strictEqual(o.metadata.namespace, "shop", `${o.kind}/${o.metadata.name} in the app's namespace`);
        const pub = objects.find((o) => o.kind === "Service" && o.metadata.name === "web-public")!;
        assert.strictEqual(pub.spec!.type, "LoadBalancer", "the target's default service type");
    });

    it("takes the target's settings as flags", async () => {
        const r = await dockyard(
            ["render", "--target", "kubernetes", "--format", "yaml", "--namespace", "prod", "--service-type", "NodePort", "--storage-class", "fast", "--volume-size", "5Gi"],
            { cwd: work.dir },
        );
        assert.strictEqual(r.code, 0, r.stderr);
        const objects = parseStream(r.stdout);
        assert.ok(!objects.some((o) => o.kind === "Namespace"), "an existing namespace is not created");
        for (const o of objects) assert.strictEqual(o.metadata.namespace, "prod");
        assert.strictEqual(objects.find((o) => o.metadata.name === "web-public")!.spec!.type, "NodePort");
        const claim = objects.find((o) => o.kind === "PersistentVolumeClaim")!;
        assert.strictEqual(claim.spec!.storageClassName, "fast");
        assert.deepStrictEqual((claim.spec!.resources as { requests: unknown }).requests, { storage: "5Gi" });
        const stable = parseStream((await dockyard(["render", "--target", "kubernetes", "--format", "yaml", "--stable-storage"], { cwd: work.dir })).stdout);
        // db mounts a named volume: with stable storage it is a StatefulSet with a claim template, and no shared claim.
        assert.deepStrictEqual(stable.filter((o) => o.kind === "StatefulSet" || o.kind === "PersistentVolumeClaim").map((o) => `${o.kind}/${o.metadata.name}`), ["StatefulSet/db"]);
    });

    it("writes one file per object into --output-dir, replacing only the files it wrote before", async () => {
        const out = path.join(work.dir, "k8s");
        fs.mkdirSync(out);
        fs.writeFileSync(path.join(out, "kustomization.yaml"), "resources: []\n");
        fs.writeFileSync(path.join(out, "9-deployment-gone.yaml"), `${MANIFEST_HEADER}\nkind: Deployment\n`);
        const r = await dockyard(["render", "--target", "kubernetes", "--format", "yaml", "--output-dir", out], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(r.stdout, "", "nothing on stdout");
        const files = fs.readdirSync(out).sort();
        assert.ok(files.includes("kustomization.yaml"), "a file of the user's stays");
        assert.ok(!files.includes("9-deployment-gone.yaml"), "a file an earlier render wrote goes");
        assert.match(r.stderr, /removed .*9-deployment-gone\.yaml/);
        const written = files.filter((f) => f !== "kustomization.yaml");
        assert.ok(written.includes("1-namespace-shop.yaml") && written.includes("2-secret-token.yaml"), written.join(", "));
        // Numbered in creation order, so `kubectl apply -f DIR` creates the namespace first.
        const stream = parseStream((await dockyard(["render", "--target", "kubernetes", "--format", "yaml"], { cwd: work.dir })).stdout);
        assert.deepStrictEqual(written.map((f) => { const o = YAML.parse(fs.readFileSync(path.join(out, f), "utf8")) as Obj; return `${o.kind}/${o.metadata.name}`; }), stream.map((o) => `${o.kind}/${o.metadata.name}`));
        for (const f of written) {
            const text = fs.readFileSync(path.join(out, f), "utf8");
            assert.ok(text.startsWith(MANIFEST_HEADER + "\n"), f);
            const mode = fs.statSync(path.join(out, f)).mode & 0o777;
            assert.strictEqual(mode, /kind: Secret/.test(text) ? 0o600 : 0o644, `${f}: mode ${mode.toString(8)}`);
        }
        // A second render into the same directory gives the same files.
        const again = await dockyard(["render", "--target", "kubernetes", "--format", "yaml", "--output-dir", out], { cwd: work.dir });
        assert.strictEqual(again.code, 0, again.stderr);
        assert.deepStrictEqual(fs.readdirSync(out).sort(), files);
        assert.doesNotMatch(again.stderr, /removed/);
    });

    it("writes nothing for a plan with errors: the findings on stderr, exit 1", async () => {
        const out = path.join(work.dir, "bad-out");
        const r = await dockyard(["render", "--target", "kubernetes", "--format", "yaml", "--output-dir", out, "-f", "bad.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stderr, /error: .*bad\.yaml/);
        assert.strictEqual(r.stdout, "");
        assert.ok(!fs.existsSync(out), "no directory made");
    });

    const usage: [string[], RegExp][] = [
        [["--target", "docker", "--format", "yaml"], /--format yaml writes Kubernetes manifests: it goes with --target kubernetes \(got --target docker\)/],
        [["--stack", "dev", "--format", "yaml"], /--format yaml writes Kubernetes manifests/],
        [["--target", "kubernetes", "--output-dir", "x"], /--output-dir goes with --format yaml/],
        [["--target", "kubernetes", "--format", "xml"], /--format must be tree, json or yaml \(got "xml"\)/],
        [["--target", "kubernetes", "--format", "yaml", "--json"], /--json is --format json; it cannot go with --format yaml/],
        [["--target", "kubernetes", "--format", "yaml", "--plan"], /--plan and --format yaml cannot be used together/],
        [["--target", "swarm", "--service-type", "NodePort"], /--service-type is a setting of the Kubernetes target, not of --target swarm/],
        [["--stack", "dev", "--namespace", "x"], /--namespace goes with --target kubernetes/],
        [["--target", "kubernetes", "--service-type", "External"], /--service-type: serviceType must be "NodePort" or "LoadBalancer" \(got "External"\)/],
        [["--target", "kubernetes", "--volume-size", "lots"], /--volume-size: .*Kubernetes quantity.*\(got "lots"\)/],
        [["--target", "kubernetes", "--namespace", "Not_A_Name"], /--namespace: .*\(got "Not_A_Name"\)/],
    ];
    for (const [args, message] of usage) {
        it(`usage error: render ${args.join(" ")}`, async () => {
            const r = await dockyard(["render", ...args], { cwd: work.dir });
            assert.strictEqual(r.code, 2, r.stderr);
            assert.match(r.stderr, message);
        });
    }

    it("diff takes the same settings (a file compared with itself is equal)", async () => {
        const r = await dockyard(["diff", "--target", "kubernetes", "--service-type", "NodePort", "compose.yaml", "compose.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
    });
});
