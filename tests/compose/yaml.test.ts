import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCompose, parseComposeYaml } from "../../components/compose";
import { MAX_VALUES, yamlWork } from "../../components/compose/yaml";

const parse = (text: string) => parseComposeYaml(text, "/p/compose.yaml");

describe("compose/yaml", () => {
    describe("merge tags", () => {
        it("records !reset and !override paths and leaves plain data", () => {
            const y = parse("services:\n  web:\n    ports: !override ['8080:80']\n    build: !reset null\n    environment: !reset {}\n    dns: !reset []\n    image: x\n");
            assert.deepStrictEqual(y.data, { services: { web: { ports: ["8080:80"], image: "x" } } });
            assert.deepStrictEqual(y.resets, [
                ["services", "web", "ports"],
                ["services", "web", "build"],
                ["services", "web", "environment"],
                ["services", "web", "dns"],
            ]);
        });
        it("gives tagged scalars their untagged value: plain ones typed, quoted ones strings", () => {
            const y = parse("a: !override 0644\nb: !override '0644'\nc: !override null\nd: !override true\ne: !override 2\nf: !override\ng: !reset 1\n");
            assert.deepStrictEqual(y.data, { a: 0o644, b: "0644", c: null, d: true, e: 2, f: null });
            assert.deepStrictEqual(y.resets, [["a"], ["b"], ["c"], ["d"], ["e"], ["f"], ["g"]]);
        });
        it("follows anchors: through a merge key the anchor's tags land in the merging mapping", () => {
            const y = parse("x-base: &base\n  image: x\n  ports: !reset ['1:1']\nservices:\n  a:\n    <<: *base\n  b:\n    nested: *base\n");
            assert.deepStrictEqual(y.data, { "x-base": { image: "x" }, services: { a: { image: "x" }, b: { nested: { image: "x" } } } });
            assert.deepStrictEqual(y.resets, [["x-base", "ports"], ["services", "a", "ports"], ["services", "b", "nested", "ports"]]);
        });
        it("keeps tagged sequence items (compose-go removes nothing from a sequence)", () => {
            const y = parse("services:\n  a:\n    ports: ['80:80', !reset '81:81']\n");
            assert.deepStrictEqual(y.data, { services: { a: { ports: ["80:80", "81:81"] } } });
            assert.deepStrictEqual(y.resets, [["services", "a", "ports", 1]]);
        });
        it("does not look inside a tagged value", () => {
            const y = parse("a: !override\n  b: !reset 1\n  c: 2\n");
            assert.deepStrictEqual([y.data, y.resets], [{ a: { b: 1, c: 2 } }, [["a"]]]);
        });
        it("a file without tags has no reset paths", () => {
            assert.deepStrictEqual(parse("services:\n  a:\n    image: x\n").resets, []);
        });
    });
});

describe("compose/yaml: duplicate keys, aliases, limits, the version 1 format", () => {
    const failure = (text: string): Error => {
        try {
            parse(text);
        } catch (e) {
            return e as Error;
        }
        assert.fail(`no error for ${JSON.stringify(text)}`);
    };

    it("finds a duplicate key in block and flow mappings, at any depth, naming its line and path", () => {
        assert.match(failure("services:\n  a:\n    image: x\n  b: {}\n  a:\n    image: y\n").message, /^\/p\/compose\.yaml:5: services\.a: invalid YAML: duplicate key "a"/);
        assert.match(failure("x: {a: 1, b: 2, a: 3}\n").message, /^\/p\/compose\.yaml:1: x\.a: invalid YAML: duplicate key "a"/);
        assert.match(failure("s:\n  - k:\n      deep: 1\n      deep: 2\n").message, /:4: s\[0\]\.k\.deep: invalid YAML: duplicate key "deep"/);
    });
    it("reports the first problem of the file, a duplicate key or a syntax error", () => {
        assert.match(failure("a: 1\na: 2\nb: [\n").message, /:2: a: invalid YAML: duplicate key "a"/);
        assert.match(failure("b: [\na: 1\na: 2\n").message, /invalid YAML: (?!duplicate)/);
    });
    it("keys are equal as the YAML library has them: same scalar value; merge keys and NaN never", () => {
        assert.deepStrictEqual(parse("1: a\n'2': b\n2: c\n").data, { 1: "a", 2: "c" });
        assert.deepStrictEqual(parse("x-a: &a {p: 1}\nx-b: &b {q: 2}\nm:\n  <<: *a\n  <<: *b\n").data.m, { p: 1, q: 2 });
        assert.match(failure("true: 1\ntrue: 2\n").message, /duplicate key "true"/);
    });
    it("aliases resolve as the YAML library resolves them: the anchor defined last before the alias", () => {
        const y = parse("a: [&x 1, *x, &x 2, *x]\nb: &y {z: 1}\nc: *y\nd: {<<: *y, w: 2}\n");
        assert.deepStrictEqual(y.data, { a: [1, 1, 2, 2], b: { z: 1 }, c: { z: 1 }, d: { z: 1, w: 2 } });
        assert.strictEqual(y.data.b, y.data.c, "an alias of a mapping is the same object, as toJS makes it");
    });
    it("loads 2000 services that each merge one anchor (the library's own bound refused an anchor used 1000 times)", () => {
        let text = "x-defaults: &defaults\n  restart: always\nservices:\n";
        for (let i = 0; i < 2000; i++) text += `  s${i}:\n    <<: *defaults\n    image: nginx\n`;
        const services = parse(text).data.services as Record<string, { restart: string }>;
        assert.deepStrictEqual([Object.keys(services).length, services.s1999.restart], [2000, "always"]);
    });
    it("bounds what aliases add, not the values written in the file", () => {
        const big = `x: [${Array(MAX_VALUES + 10).fill("1").join(",")}]\n`;
        assert.strictEqual((parse(big).data.x as unknown[]).length, MAX_VALUES + 10);
        const lines = ["x-b0: &b0 [a, b, c, d, e, f, g, h, i]"];
        for (let i = 1; i <= 9; i++) lines.push(`x-b${i}: &b${i} [${Array(9).fill(`*b${i - 1}`).join(", ")}]`);
        assert.match(failure(lines.join("\n") + "\n").message, new RegExp(`more than ${MAX_VALUES} values once its aliases are expanded, beyond the \\d+ written in it`));
    });
    it("a file of the version 1 format (services at the top level) says so, and how to convert it", () => {
        const e = failure("# old\nweb:\n  image: nginx\n  net: host\n  log_driver: syslog\ndb:\n  build: .\n  dockerfile: Dockerfile.db\n");
        assert.match(e.message, /^\/p\/compose\.yaml:2: this is a Compose file of the old version 1 format, with its services \("web", "db"\) at the top level; Docker Compose no longer reads it\./);
        for (const part of ['put the services under a top-level "services:" key', '"net: x" becomes "network_mode: x"', '"log_driver" and "log_opt" become "logging:', '"dockerfile: f" becomes "build:']) {
            assert.ok(e.message.includes(part), part);
        }
        // Not the old format: a file with services:, with version:, or whose unknown keys hold no service.
        assert.doesNotThrow(() => parse("services: {}\nweb:\n  image: nginx\n"));
        assert.doesNotThrow(() => parse("version: '2'\nweb:\n  image: nginx\n"));
        assert.doesNotThrow(() => parse("servics:\n  web:\n    image: nginx\n"));
        assert.doesNotThrow(() => parse("x-web:\n  image: nginx\n"));
    });
});

describe("compose/yaml: linear in the size of the file (counted, not timed)", () => {
    const compose = (n: number) => {
        let text = "services:\n";
        for (let i = 0; i < n; i++) text += `  s${i}:\n    image: nginx\n    environment:\n      ROLE: s${i}\n`;
        return text;
    };
    const work = (fn: () => void) => {
        const before = { ...yamlWork };
        fn();
        return Object.fromEntries(Object.entries(yamlWork).map(([k, v]) => [k, v - before[k as keyof typeof yamlWork]])) as typeof yamlWork;
    };

    it("checks each key once for duplicates", () => {
        const small = work(() => parse(compose(500)));
        const large = work(() => parse(compose(2000)));
        // The root's key, and per service its key, image, environment and ROLE.
        assert.strictEqual(small.keysChecked, 1 + 500 * 4);
        assert.strictEqual(large.keysChecked, 1 + 2000 * 4);
    });
    it("a line lookup takes one step per level of its path, whatever the number of services; each mapping's keys are indexed once", () => {
        for (const n of [500, 2000]) {
            const y = parse(compose(n));
            const w = work(() => {
                for (let i = 0; i < n; i++) assert.strictEqual(y.lineOf(["services", `s${i}`, "environment", "ROLE"]), 5 + 4 * i);
            });
            assert.deepStrictEqual([w.lineLookups, w.lineSteps], [n, 4 * n]);
            assert.strictEqual(w.keysIndexed, 1 + n * 4, "each mapping indexed on its first lookup only");
        }
    });
    it("loading a valid file looks up no line (lines are for errors)", () => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-yaml-"));
        try {
            for (const n of [100, 400]) {
                fs.writeFileSync(path.join(dir, "compose.yaml"), compose(n));
                const w = work(() => loadCompose(path.join(dir, "compose.yaml"), { env: {}, onWarning: () => undefined }));
                assert.strictEqual(w.lineLookups, 0, `${n} services`);
            }
        } finally {
            fs.rmSync(dir, { recursive: true, force: true });
        }
    });
});
