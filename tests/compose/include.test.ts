import * as assert from "assert";
import * as path from "path";
import { loadCompose } from "../../components/compose";
import { REPO_ROOT, assertSpecError } from "../harness";
import { loadProject } from "./project";

const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures", "include");
const at = (...p: string[]) => path.join(FIXTURES, ...p);

describe("compose/include", () => {
    const warnings: string[] = [];
    const spec = loadCompose(at("compose.yaml"), { projectName: "shop", env: {}, onWarning: (w) => warnings.push(w.message) });

    it("adds the services, volumes and secrets of every included project", () => {
        assert.deepStrictEqual(Object.keys(spec.services), ["web", "db", "cache", "tool"]);
        assert.deepStrictEqual(Object.keys(spec.volumes), ["dbdata"]);
        assert.deepStrictEqual(spec.secrets.dbpass.file, at("db", "secrets", "pass.txt"));
        // the including file's own service, with its own relative paths
        assert.strictEqual(spec.services.web.image, "shop/web:3");
        assert.strictEqual(spec.services.web.build?.context, at("web"));
        assert.deepStrictEqual(spec.services.web.mounts, [{ type: "bind", source: at("static"), target: "/static", readOnly: false, createHostPath: true, projectDir: FIXTURES }]);
    });

    it("short form: the included project has its own directory and .env, under the including project's environment", () => {
        const db = spec.services.db;
        // PG_VERSION is in both .env files: the including project's wins; PGUSER is only in db/.env
        assert.strictEqual(db.image, "postgres:15");
        assert.deepStrictEqual(db.environment, { FROM_DB_ENV_FILE: "1", PGUSER: "admin" });
        assert.strictEqual(db.build?.context, at("db", "image"));
        assert.deepStrictEqual(db.mounts, [
            { type: "bind", source: at("db", "data"), target: "/var/lib/postgresql/data", readOnly: false, createHostPath: true, projectDir: FIXTURES },
            { type: "volume", source: "dbdata", target: "/backup", readOnly: false },
        ]);
    });

    it("long form: several files merged, env_file relative to the including project", () => {
        const cache = spec.services.cache;
        assert.strictEqual(cache.image, "redis:7");
        assert.deepStrictEqual(cache.ports, [{ target: 6380, published: 6380, protocol: "tcp", mode: "ingress" }]);
        assert.deepStrictEqual(cache.mounts, [{ type: "bind", source: at("cache", "conf"), target: "/usr/local/etc/redis", readOnly: false, createHostPath: true, projectDir: FIXTURES }]);
    });

    it("long form: project_directory is where relative paths resolve; a remote build context is kept", () => {
        const tool = spec.services.tool;
        assert.deepStrictEqual(tool.mounts, [{ type: "bind", source: at("tools", "root", "scripts"), target: "/scripts", readOnly: true, createHostPath: true, projectDir: FIXTURES }]);
        assert.strictEqual(tool.build?.context, "https://github.com/example/tools.git#main");
    });

    it("warns about variables unset in an included file, naming that file", () => {
        assert.deepStrictEqual(warnings, []);
        const w: string[] = [];
        loadProject({ "compose.yaml": "include: [sub/compose.yaml]\nservices:\n  a: { image: x }\n", "sub/compose.yaml": "services:\n  b: { image: 'y:${NOPE}' }\n" }, { onWarning: (x) => w.push(x.message) });
        assert.strictEqual(w.length, 1);
        assert.ok(w[0].includes("sub/compose.yaml: services.b.image"), w[0]);
    });

    it("includes nested includes, relative to the included project", () => {
        const { spec: s, dir } = loadProject({
            "compose.yaml": "include: [a/compose.yaml]\n",
            "a/compose.yaml": "include: [b/compose.yaml]\nservices:\n  a: { image: a, volumes: ['./x:/x'] }\n",
            "a/b/compose.yaml": "services:\n  b: { image: b, volumes: ['./y:/y'] }\n",
        });
        const source = (service: string) => (s.services[service].mounts[0] as { source: string }).source;
        assert.deepStrictEqual(Object.keys(s.services), ["a", "b"]);
        assert.strictEqual(source("b"), path.join(dir, "a", "b", "y"));
        assert.strictEqual(source("a"), path.join(dir, "a", "x"));
    });

    it("a resource defined the same way by both files is taken once; a later file overrides an included service", () => {
        const { spec: s } = loadProject(
            {
                "compose.yaml": "include: [sub/compose.yaml]\nnetworks:\n  shared: { driver: bridge }\nservices:\n  a: { image: a, networks: [shared] }\n",
                "sub/compose.yaml": "networks:\n  shared: { driver: bridge }\nservices:\n  b: { image: b, networks: [shared] }\n",
                "compose.override.yaml": "services:\n  b: { image: b2 }\n",
            },
            { composeFiles: ["compose.yaml", "compose.override.yaml"] },
        );
        assert.deepStrictEqual([Object.keys(s.networks), s.services.b.image], [["shared"], "b2"]);
    });

    it("a resource defined differently by the including file is an error naming both files", () => {
        const e = assertSpecError(
            () => loadProject({ "compose.yaml": "include:\n  - sub/compose.yaml\nservices:\n  web: { image: mine }\n", "sub/compose.yaml": "services:\n  web: { image: theirs }\n" }),
            "compose.yaml:2: include[0]", "imported compose file", "sub/compose.yaml defines conflicting service \"web\", also defined in",
        );
        assert.ok(/imported compose file \S+\/sub\/compose\.yaml defines conflicting service "web", also defined in \S+\/compose\.yaml/.test(e.message), e.message);
    });

    it("two includes defining a resource differently is an error naming both included files", () => {
        assertSpecError(
            () => loadProject({
                "compose.yaml": "include: [a/compose.yaml, b/compose.yaml]\n",
                "a/compose.yaml": "volumes:\n  data: { driver: local }\n",
                "b/compose.yaml": "volumes:\n  data: { driver: other }\n",
            }),
            "include[1]", "b/compose.yaml defines conflicting volume \"data\", also defined in", "a/compose.yaml",
        );
    });

    it("a cycle is an error listing the files", () => {
        const e = assertSpecError(
            () => loadProject({ "compose.yaml": "include: [b/compose.yaml]\n", "b/compose.yaml": "include: [../compose.yaml]\n" }),
            "b/compose.yaml:1: include[0]", "include cycle:",
        );
        assert.ok(/include cycle: (\S+)\/compose\.yaml -> \1\/b\/compose\.yaml -> \1\/compose\.yaml/.test(e.message), e.message);
        assertSpecError(() => loadProject({ "compose.yaml": "include: [compose.yaml]\nservices:\n  a: { image: x }\n" }), "include[0]", "include cycle");
    });

    it("fails clearly on a missing file, a missing env file, a remote include and a bad entry", () => {
        const bad = (files: Record<string, string>, ...parts: string[]) => assertSpecError(() => loadProject(files), ...parts);
        bad({ "compose.yaml": "include:\n  - path: [sub/a.yaml, sub/b.yaml]\n", "sub/a.yaml": "services: { a: { image: x } }\n" }, "compose.yaml:2", "include[0].path[1]", "sub/b.yaml not found", '"sub/b.yaml"');
        bad({ "compose.yaml": "include:\n  - path: sub/a.yaml\n    env_file: nope.env\n", "sub/a.yaml": "services: { a: { image: x } }\n" }, "include[0].env_file", "nope.env not found");
        bad({ "compose.yaml": "include:\n  - oci://docker.io/example/app:1\n" }, "include[0]", "cannot include a remote Compose file", '"oci://docker.io/example/app:1"');
        bad({ "compose.yaml": "include:\n  - path: sub/a.yaml\n    projectdir: x\n" }, "include[0]", 'unknown key "projectdir"');
        bad({ "compose.yaml": "include: [sub/a.yaml]\n", "sub/a.yaml": "services: { a: { image: x, portz: [] } }\n" }, "sub/a.yaml:1", "services.a.portz", 'unknown key "portz"');
    });

    it("errors found after merging name the included file", () => {
        assertSpecError(
            () => loadProject({ "compose.yaml": "include: [sub/a.yaml]\n", "sub/a.yaml": "services:\n  a:\n    image: x\n    ports: ['80/xyz']\n" }),
            "sub/a.yaml:4", "services.a.ports[0]", 'unknown protocol "xyz"',
        );
    });
});
