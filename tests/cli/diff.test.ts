/**
 * `dockyard diff`: the comparison itself (in-process), then the command through a spawned process —
 * two stacks, two Compose files on a target, the exit statuses and the JSON form.
 */
import * as assert from "assert";
import { diffRenders, diffValues, flatten, formatDiff, propertyPath } from "../../cli/diff";
import type { RenderedResource } from "../../components/render";
import { dockyard, scratch } from "./run";

const resource = (name: string, inputs: Record<string, unknown>, extra: Partial<RenderedResource> = {}): RenderedResource => ({
    type: "docker:index/container:Container",
    name,
    inputs,
    dependsOn: [],
    ...extra,
});

describe("cli/diff: comparing renders", () => {
    it("finds nothing between equal values, and a leaf change by its path", () => {
        assert.strictEqual(diffValues({ a: [1, { b: "x" }] }, { a: [1, { b: "x" }] }), undefined);
        const d = diffValues({ ports: [{ external: 8080, internal: 80 }] }, { ports: [{ external: 8081, internal: 80 }] });
        assert.ok(d);
        assert.deepStrictEqual(flatten(d), [{ path: ["ports", 0, "external"], property: "ports[0].external", op: "update", old: 8080, new: 8081 }]);
    });

    it("aligns list elements: one inserted element is one addition, not every later element changed", () => {
        const d = diffValues(["A=1", "C=3", "D=4"], ["A=1", "B=2", "C=3", "D=4"]);
        assert.deepStrictEqual(d, { kind: "list", entries: [[1, { kind: "add", new: "B=2" }]] });
        const removed = diffValues(["A=1", "B=2", "C=3"], ["A=1", "C=3"]);
        assert.deepStrictEqual(removed, { kind: "list", entries: [[1, { kind: "delete", old: "B=2" }]] });
    });

    it("shows a replaced list element as a change of it, property by property", () => {
        const d = diffValues([{ label: "a", value: "1" }, { label: "b", value: "2" }], [{ label: "a", value: "1" }, { label: "b", value: "3" }]);
        assert.ok(d);
        assert.deepStrictEqual(flatten(d), [{ path: [1, "value"], property: "[1].value", op: "update", old: "2", new: "3" }]);
    });

    it("diffs multi-line strings by line", () => {
        const d = diffValues({ content: "a\nb\nc\n" }, { content: "a\nB\nc\n" });
        const text = formatDiff("x", "y", {
            resources: [{ op: "update", type: "t", name: "n", inputs: d }],
            summary: { create: 0, update: 1, delete: 0, same: 0 },
        });
        assert.match(text, /~ {5}content: \(text\)\n +@@ -1,3 \+1,3 @@\n +a\n- +b\n\+ +B\n +c\n/);
    });

    it("writes property paths as in code", () => {
        assert.strictEqual(propertyPath(["taskSpec", "containerSpec", "env", "LOG_LEVEL"]), "taskSpec.containerSpec.env.LOG_LEVEL");
        assert.strictEqual(propertyPath(["labels", 0, "value"]), "labels[0].value");
        assert.strictEqual(propertyPath(["metadata", "annotations", "dev.dockyard/x"]), 'metadata.annotations["dev.dockyard/x"]');
    });

    it("matches resources by type and name: creates, deletes, updates, and parent or dependency changes", () => {
        const from = [
            resource("web", { image: "nginx:1.27" }),
            resource("db", { image: "mysql:8.4" }, { dependsOn: ["net"] }),
            resource("old", {}),
            resource("same", { x: 1 }, { parent: "app" }),
            { type: "docker:index/network:Network", name: "web", inputs: {}, dependsOn: [] },
        ];
        const to = [
            resource("web", { image: "nginx:1.28" }),
            resource("db", { image: "mysql:8.4" }, { dependsOn: ["net", "vol"], parent: "app" }),
            resource("new", { image: "redis" }),
            resource("same", { x: 1 }, { parent: "app" }),
            { type: "docker:index/volume:Volume", name: "web", inputs: {}, dependsOn: [] },
        ];
        const d = diffRenders(from, to);
        assert.deepStrictEqual(d.summary, { create: 2, update: 2, delete: 2, same: 1 });
        assert.deepStrictEqual(d.resources.map((r) => `${r.op} ${r.type.split(":").pop()} ${r.name}`), [
            "update Container web",
            "update Container db",
            "create Container new",
            "create Volume web",
            "delete Container old",
            "delete Network web",
        ]);
        const db = d.resources[1];
        assert.ok(db.op === "update");
        assert.deepStrictEqual([db.inputs, db.parentChange, db.dependsOnChange], [undefined, { new: "app" }, { added: ["vol"], removed: [] }]);
    });
});

const A = `name: shop
services:
  web:
    image: nginx:1.27
    ports: ["8080:80"]
    environment:
      A: "1"
      C: "3"
    configs: [site]
  api:
    image: api:1
configs:
  site:
    content: |
      server {
        listen 80;
        root /a;
      }
`;
const B = A.replace("nginx:1.27", "nginx:1.28").replace("8080:80", "8081:80").replace('A: "1"\n', 'A: "1"\n      B: "2"\n').replace("root /a;", "root /b;").replace("api:\n    image: api:1", "worker:\n    image: worker:1");

describe("cli/diff: the command", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({ "a.yaml": A, "b.yaml": B, "a-copy.yaml": A, "bad.yaml": "services:\n  web: {}\n" });
    });
    after(() => work.remove());

    it("exits 0 and lists nothing when both sides are the same", async () => {
        const r = await dockyard(["diff", "--stack", "dev", "--stack", "dev"]);
        assert.strictEqual(r.code, 0, r.stderr);
        assert.match(r.stdout, /^dockyard diff: stack dev => stack dev\n\nResources:\n {4}\d+ unchanged\n$/);
        const files = await dockyard(["diff", "--target", "swarm", "a.yaml", "a-copy.yaml"], { cwd: work.dir });
        assert.strictEqual(files.code, 0, files.stderr);
    });

    it("compares two stacks: exit 1, resources matched by type and name, counted as the renders say", async () => {
        const [text, json, dev, staging] = await Promise.all([
            dockyard(["diff", "--stack", "dev", "--stack", "staging"]),
            dockyard(["diff", "--stack", "dev", "--stack", "staging", "--json"]),
            dockyard(["render", "--stack", "dev", "--json"]),
            dockyard(["render", "--stack", "staging", "--json"]),
        ]);
        assert.strictEqual(text.code, 1, text.stderr);
        assert.strictEqual(json.code, 1, json.stderr);
        assert.match(text.stdout, /^\+ dockyard:swarm:SwarmCluster {2}swarm {2}\(create\)$/m);
        assert.match(text.stdout, /^- docker:index\/container:Container {2}wordpress-wordpress-1 {2}\(parent wordpress\) {2}\(delete\)$/m);
        // The volume keeps its name (`wordpress_db_data`, as Compose names it on both runtimes): only the stack label is new.
        assert.match(text.stdout, /^~ docker:index\/volume:Volume {2}wordpress-volume-db_data {2}\(parent wordpress\) {2}\(update\)\n(.*\n)*?\+ {9}\[0\]: \{ label: "com.docker.stack.namespace", value: "wordpress" \}$/m);
        assert.doesNotMatch(text.stdout, /name: "wordpress-db_data"/);
        // The summary, checked against the two renders.
        const keys = (r: { stdout: string }) => new Set((JSON.parse(r.stdout) as RenderedResource[]).map((x) => `${x.type}::${x.name}`));
        const before = keys(dev);
        const after = keys(staging);
        const result = JSON.parse(json.stdout) as { from: string; to: string; equal: boolean; summary: Record<string, number>; resources: { op: string; type: string; name: string }[] };
        assert.deepStrictEqual([result.from, result.to, result.equal], ["stack dev", "stack staging", false]);
        assert.strictEqual(result.summary.create, [...after].filter((k) => !before.has(k)).length);
        assert.strictEqual(result.summary.delete, [...before].filter((k) => !after.has(k)).length);
        assert.strictEqual(result.summary.update + result.summary.same, [...after].filter((k) => before.has(k)).length);
        assert.ok(result.summary.update > 0);
        // The stack outputs too: staging runs no Portainer, on Swarm.
        assert.match(text.stdout, /\nOutputs:\n(.*\n)*?- {5}portainerUrl: "https:\/\/localhost:9443"\n(.*\n)*?~ {5}runtime: "docker" => "swarm"\n/);
        const outputs = (JSON.parse(json.stdout) as { outputs: { property: string; op: string; old?: unknown; new?: unknown }[] }).outputs;
        assert.deepStrictEqual(outputs.find((o) => o.property === "runtime"), { path: ["runtime"], property: "runtime", op: "update", old: "docker", new: "swarm" });
        assert.match(text.stdout, new RegExp(`\\+ ${result.summary.create} to create\\n {4}~ ${result.summary.update} to update\\n {4}- ${result.summary.delete} to delete\\n {4}${result.summary.same} unchanged\\n$`));
    });

    it("compares two Compose files on Swarm, property by property", async () => {
        const r = await dockyard(["diff", "--target", "swarm", "a.yaml", "b.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 1, r.stderr);
        const web = r.stdout.slice(r.stdout.indexOf("~ docker:index/service:Service  app-web"));
        assert.ok(web.length > 0, r.stdout);
        for (const line of [
            "~ docker:index/service:Service  app-web  (parent app)  (update)",
            "~                 publishedPort: 8080 => 8081",
            "+                 B: \"2\"",
            "~             image: \"nginx:1.27\" => \"nginx:1.28\"",
        ]) {
            assert.ok(web.includes(`${line}\n`), `missing line ${JSON.stringify(line)} in\n${web}`);
        }
        assert.match(r.stdout, /^\+ docker:index\/service:Service {2}app-worker {2}\(parent app\) {2}\(create\)$/m);
        assert.match(r.stdout, /^- docker:index\/service:Service {2}app-api {2}\(parent app\) {2}\(delete\)$/m);
    });

    it("shows a changed configuration file as a line diff (Docker host)", async () => {
        const r = await dockyard(["diff", "--target", "docker", "a.yaml", "b.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 1, r.stderr);
        assert.match(r.stdout, /~ +content: \(text\)\n +@@ -1,4 \+1,4 @@\n +server \{\n +listen 80;\n- +root \/a;\n\+ +root \/b;\n/);
    });

    it("--json lists each change with its property path and both values", async () => {
        const r = await dockyard(["diff", "--target", "kubernetes", "a.yaml", "b.yaml", "--json"], { cwd: work.dir });
        assert.strictEqual(r.code, 1, r.stderr);
        const result = JSON.parse(r.stdout) as { resources: { op: string; name: string; changes?: { property: string; op: string; old?: unknown; new?: unknown }[] }[] };
        const changes = Object.fromEntries(result.resources.filter((x) => x.op === "update").map((x) => [x.name, x.changes]));
        assert.deepStrictEqual(
            changes["app-config-site"],
            [{ path: ["data", "site"], property: "data.site", op: "update", old: "server {\n  listen 80;\n  root /a;\n}\n", new: "server {\n  listen 80;\n  root /b;\n}\n" }],
        );
        const deployment = result.resources.find((x) => x.name === "app-web" && x.op === "update");
        assert.ok(deployment?.changes?.some((c) => c.property === "spec.template.spec.containers[0].image" && c.old === "nginx:1.27" && c.new === "nginx:1.28"), JSON.stringify(deployment));
        // Every long-running service has a Service named after it, ports or not (headless without).
        assert.deepStrictEqual(result.resources.filter((x) => x.op !== "update").map((x) => `${x.op} ${x.name}`).sort(), [
            "create app-worker", "create app-worker-service", "delete app-api", "delete app-api-service",
        ]);
    });

    const usage: [string[], string][] = [
        [["diff", "--stack", "dev"], "diff needs two stacks"],
        [["diff", "--stack", "dev", "--stack", "staging", "--stack", "prod"], "--stack is given more than 2 times"],
        [["diff", "--stack", "dev", "--target", "swarm", "a.yaml", "b.yaml"], "--stack and --target cannot be used together"],
        [["diff", "--target", "swarm"], "needs two Compose files, from and to, or one to compare the project with (got 0)"],
        [["diff", "--target", "swarm", "a.yaml", "b.yaml", "a-copy.yaml"], "(got 3)"],
        [["diff", "--stack", "dev", "--stack", "prod", "--project-name", "x"], "--project-name goes with --target"],
        [["diff", "--unified", "--stack", "dev", "--stack", "prod"], "unknown option --unified"],
        [["diff"], "diff needs --stack <from> --stack <to>, or --target"],
    ];
    for (const [args, message] of usage) {
        it(`refuses \`dockyard ${args.join(" ")}\` (exit 2)`, async () => {
            const r = await dockyard(args, { cwd: work.dir });
            assert.strictEqual(r.code, 2, r.stderr);
            assert.strictEqual(r.stdout, "");
            assert.ok(r.stderr.startsWith("dockyard diff: ") && r.stderr.includes(message), r.stderr);
        });
    }

    it("exits 2, as diff(1) does for trouble, when a side does not render", async () => {
        const stack = await dockyard(["diff", "--stack", "dev", "--stack", "qa"]);
        assert.strictEqual(stack.code, 2);
        assert.match(stack.stderr, /no stack "qa"/);
        const file = await dockyard(["diff", "--target", "docker", "a.yaml", "bad.yaml"], { cwd: work.dir });
        assert.strictEqual(file.code, 2);
        assert.strictEqual(file.stdout, "");
        assert.match(file.stderr, /bad\.yaml/);
    });
});
