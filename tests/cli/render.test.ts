/**
 * `dockyard render`'s output, through a spawned process: by default a tree like `pulumi preview`'s
 * (type, name, parent, key inputs) and the outputs; `--json` the full form, with images named and
 * mock ids marked; warnings on stderr without the SDK's `[runtime]` prefix.
 */
import * as assert from "assert";
import { keyInputs } from "../../components/render/tree";
import { render, renderProgram, RenderedResource } from "../../components/render";
import { App } from "../../components/app";
import { defineApp } from "../../components/spec/normalize";
import { DockerTarget } from "../../components/targets/docker";
import { dockyard, scratch } from "./run";

interface TreeLine {
    readonly depth: number;
    readonly type: string;
    readonly name: string;
    readonly details: string;
}

/** The resource lines of a tree: depth from the tree prefix, then the type, name and details columns. */
function parseTree(text: string): { header: string; lines: TreeLine[]; rest: string } {
    const [table, ...rest] = text.split("\n\n");
    const [header, ...rows] = table.split("\n");
    const nameAt = header.indexOf("Name");
    const detailsAt = header.indexOf("Details");
    const lines = rows.map((row) => {
        const prefix = /^[│├└─ ]*/.exec(row)![0];
        return { depth: prefix.length / 3, type: row.slice(prefix.length, nameAt).trim(), name: row.slice(nameAt, detailsAt).trim(), details: row.slice(detailsAt).trim() };
    });
    return { header, lines, rest: rest.join("\n\n") };
}

describe("cli: render output", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({
            "warn.yaml": "services:\n  web:\n    image: nginx:1.27\n    links: [db]\n    stop_signal: SIGINT\n  db:\n    image: postgres:16\n",
            "global.yaml": "name: edge\nservices:\n  agent:\n    image: agent:2@sha256:" + "a".repeat(64) + "\n    deploy:\n      mode: global\n    ports:\n      - target: 9001\n        published: 9001\n        protocol: udp\n",
        });
    });
    after(() => work.remove());

    it("prints the dev stack as a tree: every resource once, under its parent, with images, ports and the outputs", async () => {
        const [tree, json] = await Promise.all([dockyard(["render", "--stack", "dev"]), dockyard(["render", "--stack", "dev", "--json"])]);
        assert.strictEqual(tree.code, 0, tree.stderr);
        const resources = JSON.parse(json.stdout) as RenderedResource[];
        const { header, lines, rest } = parseTree(tree.stdout);
        assert.match(header, /^Type +Name +Details$/);
        assert.deepStrictEqual(lines[0], { depth: 0, type: "pulumi:pulumi:Stack", name: "dockyard-dev", details: "" });
        // Every resource once, in registration order under each parent, one level below it.
        assert.deepStrictEqual(lines.slice(1).map((l) => `${l.type} ${l.name}`).sort(), resources.map((r) => `${r.type} ${r.name}`).sort());
        for (const r of resources) {
            const at = lines.findIndex((l) => l.name === r.name && l.type === r.type);
            const parentAt = r.parent === undefined ? 0 : lines.findIndex((l) => l.name === r.parent);
            assert.ok(parentAt >= 0 && parentAt < at, `${r.name} below ${r.parent}`);
            assert.strictEqual(lines[at].depth, lines[parentAt].depth + 1, `${r.name} one level below ${r.parent ?? "the stack"}`);
            assert.ok(lines.slice(parentAt + 1, at).every((l) => l.depth > lines[parentAt].depth), `${r.name} inside ${r.parent}'s subtree`);
        }
        const line = (name: string) => lines.find((l) => l.name === name);
        assert.strictEqual(line("wordpress-wordpress-1")?.details, "image wordpress:6.8-apache  ports 8080:80");
        assert.strictEqual(line("wordpress-db-1")?.details, "image mysql:8.4");
        assert.strictEqual(line("host-provider")?.details, "host unix:///var/run/docker.sock");
        assert.ok(tree.stdout.includes("│  └─ docker:index/container:Container "), "tree branches as pulumi preview draws them");
        assert.match(rest, /^Outputs:\n(.*\n)*? {4}wordpressUrl: +"http:\/\/localhost:8080"\n/);
        assert.match(rest, /\nResources: (\d+)\n$/);
        assert.strictEqual(Number(/Resources: (\d+)/.exec(rest)![1]), resources.length);
    });

    it("shows Swarm replicas and Kubernetes sizes, autoscaling and service types", async () => {
        const [staging, prod] = await Promise.all([dockyard(["render", "--stack", "staging"]), dockyard(["render", "--stack", "prod"])]);
        assert.strictEqual(staging.code, 0, staging.stderr);
        assert.strictEqual(prod.code, 0, prod.stderr);
        const s = parseTree(staging.stdout).lines;
        assert.deepStrictEqual(s.find((l) => l.name === "wordpress-wordpress")?.details, "image wordpress:6.8-apache  replicas 2  ports 8080:80");
        const p = parseTree(prod.stdout).lines;
        assert.deepStrictEqual(p.find((l) => l.name === "wordpress-volume-db_data")?.details, "size 20Gi");
        assert.deepStrictEqual(p.find((l) => l.name === "wordpress-wordpress-hpa")?.details, "replicas 3-10");
        assert.deepStrictEqual(p.find((l) => l.name === "wordpress-wordpress-public")?.details, "type LoadBalancer  ports 80");
    });

    it("--json prints every input; images are named and mock ids say what they are", async () => {
        const [docker, swarm] = await Promise.all([dockyard(["render", "--stack", "dev", "--json"]), dockyard(["render", "--stack", "staging", "--json"])]);
        const dev = JSON.parse(docker.stdout) as RenderedResource[];
        const db = dev.find((r) => r.name === "wordpress-db-1");
        assert.deepStrictEqual(Object.keys(db ?? {}), ["type", "name", "parent", "inputs", "dependsOn"]);
        assert.strictEqual(db?.inputs.image, "(id of image mysql:8.4)");
        const staging = JSON.parse(swarm.stdout) as RenderedResource[];
        const wordpress = staging.find((r) => r.name === "wordpress-wordpress");
        const networks = (wordpress?.inputs.taskSpec as { networksAdvanceds: { id: string }[] }).networksAdvanceds;
        assert.deepStrictEqual(networks.map((n) => n.id), ["(id of wordpress-network-default)"]);
        assert.ok(!/"[^"]*-id"/.test(docker.stdout + swarm.stdout), "no bare mock id");
    });

    it("prints warnings on stderr without the [runtime] prefix, naming the resource when there is one", async () => {
        const r = await dockyard(["render", "--target", "kubernetes", "warn.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
        const warnings = r.stderr.trimEnd().split("\n");
        assert.ok(warnings.every((w) => w.startsWith("warning: ") && !w.includes("[runtime]")), r.stderr);
        assert.ok(warnings.some((w) => /^warning: .*warn\.yaml: services\.web\.links: "links" is not supported/.test(w)), r.stderr);
        assert.ok(warnings.some((w) => /^warning: app: kubernetes: .*warn\.yaml:5: services\.web\.stop_signal: /.test(w)), r.stderr);
        assert.ok(!r.stdout.includes("warning"), "stdout holds the tree only");
        assert.match(r.stdout, /^Type +Name +Details\n/);
    });

    it("--plan prints the target's plan without Pulumi's runtime: findings in Compose terms, resources in order, names", async () => {
        const r = await dockyard(["render", "--target", "swarm", "--plan", "--json", "--project-name", "warn", "warn.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
        const plan = JSON.parse(r.stdout) as { target: string; findings: { level: string; path: string; message: string }[]; resources: { key: string; type: string; after: string[]; args: Record<string, unknown> }[]; names: { services: Record<string, string[]> } };
        assert.strictEqual(plan.target, "swarm");
        assert.deepStrictEqual(plan.resources.map((x) => x.key), ["network/default", "service/web", "service/db"]);
        assert.deepStrictEqual(plan.resources[1].after, ["network/default"]);
        // The network id exists only after creation: the plan says where it comes from.
        assert.match(JSON.stringify(plan.resources[1].args), /\(network\/default\.id\)/);
        assert.deepStrictEqual(plan.names.services, { web: ["warn_web"], db: ["warn_db"] });
        const stopSignal = plan.findings.find((f) => f.path.endsWith("services.web.stop_signal"));
        assert.ok(stopSignal === undefined || stopSignal.level === "warning");
        const text = await dockyard(["render", "--target", "kubernetes", "--plan", "--project-name", "warn", "warn.yaml"], { cwd: work.dir });
        assert.strictEqual(text.code, 0, text.stderr);
        assert.match(text.stdout, /^plan of warn on kubernetes: \d+ resources$/m);
        assert.match(text.stdout, /^warning: .*warn\.yaml:5: services\.web\.stop_signal: not set \(SIGINT\)/m);
        assert.match(text.stdout, /^\+ kubernetes:apps\/v1:Deployment +app-web +\[workload\/web\]/m);
        const usage = await dockyard(["render", "--stack", "dev", "--plan"], { cwd: work.dir });
        assert.strictEqual(usage.code, 2, usage.stderr);
    });

    it("names a digest-pinned image without its digest, global services and UDP ports", async () => {
        const r = await dockyard(["render", "--target", "swarm", "global.yaml"], { cwd: work.dir });
        assert.strictEqual(r.code, 0, r.stderr);
        assert.strictEqual(parseTree(r.stdout).lines.find((l) => l.name === "app-agent")?.details, "image agent:2  global  ports 9001:9001/udp");
    });
});

describe("render/tree: key inputs", () => {
    it("writes Docker ports as Compose does: host address, host port, container port, protocol", () => {
        const ports = [{ external: 8080, internal: 80, protocol: "tcp" }, { ip: "127.0.0.1", external: 5353, internal: 53, protocol: "udp" }, { internal: 9000 }];
        assert.deepStrictEqual(keyInputs({ type: "docker:index/container:Container", inputs: { image: "(known after apply)", ports } }), ["ports 8080:80, 127.0.0.1:5353:53/udp, 9000"]);
    });

    it("names a built image's context and every image of a pod", () => {
        assert.deepStrictEqual(keyInputs({ type: "docker:index/remoteImage:RemoteImage", inputs: { name: "shop-web", build: { context: "./web" } } }), ["image shop-web", "built from ./web"]);
        const pod = { initContainers: [{ image: "busybox:1" }], containers: [{ image: "web:1" }, { image: "sidecar:2" }] };
        assert.deepStrictEqual(keyInputs({ type: "kubernetes:apps/v1:StatefulSet", inputs: { spec: { replicas: 3, template: { spec: pod } } } }), ["image busybox:1, web:1, sidecar:2", "replicas 3"]);
        assert.deepStrictEqual(keyInputs({ type: "kubernetes:core/v1:Service", inputs: { spec: { type: "NodePort", ports: [{ port: 80, targetPort: 8080, nodePort: 30080 }] } } }), ["type NodePort", "ports 80:8080 (node 30080)"]);
    });

    it("leaves out unknown values and keeps secrets masked", () => {
        assert.deepStrictEqual(keyInputs({ type: "docker:index/container:Container", inputs: { image: "(known after apply)" } }), []);
        assert.deepStrictEqual(keyInputs({ type: "pulumi:providers:docker", inputs: { host: "[secret]" } }), ["host [secret]"]);
    });
});

describe("render: options", () => {
    const spec = defineApp({ name: "shop", services: { web: { image: "nginx:1.27", replicas: 3, ports: ["80"] }, db: { image: "postgres:16" } } });
    const program = () => {
        new App("shop", { spec, target: new DockerTarget() });
        return { limit: Error.stackTraceLimit };
    };

    it("renders the same with stack traces off, and restores the process's limit after", async () => {
        const before = Error.stackTraceLimit;
        const traced = await renderProgram(program);
        const untraced = await renderProgram(program, { stackTraceLimit: 0 });
        assert.strictEqual(Error.stackTraceLimit, before);
        assert.deepStrictEqual(untraced.resources, traced.resources);
        assert.deepStrictEqual([traced.outputs.limit, untraced.outputs.limit], [before, 0]);
    });

    it("restores the limit when the program throws", async () => {
        const before = Error.stackTraceLimit;
        await assert.rejects(render(() => { throw new Error("boom"); }, { stackTraceLimit: 0 }), /boom/);
        assert.strictEqual(Error.stackTraceLimit, before);
    });

    it("names placeholders only when asked: ids and image ids, by the resource they stand for", async () => {
        const plain = await render(program);
        const named = await render(program, { namedPlaceholders: true });
        const container = (rs: RenderedResource[]) => rs.find((r) => r.name === "shop-web-1")!.inputs;
        assert.deepStrictEqual([container(plain).image, container(named).image], ["(known after apply)", "(id of image nginx:1.27)"]);
    });
});
