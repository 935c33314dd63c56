import * as assert from "assert";
import { parseComposeYaml } from "../../components/compose";

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
