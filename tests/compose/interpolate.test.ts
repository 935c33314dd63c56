import * as assert from "assert";
import { interpolate, parseDotenv } from "../../components/compose";
import { assertSpecError } from "../harness";
import { loadProject } from "./project";

const vars: Record<string, string> = { FOO: "first", EMPTY: "", PORT: "8080" };
const lookup = (name: string) => vars[name];
const run = (t: string, onUnset?: (n: string) => void) => interpolate(t, lookup, { file: "compose.yaml", path: "services.a.image", onUnset });

describe("compose/interpolate", () => {
    const table: [string, string][] = [
        ["plain", "plain"],
        ["$FOO", "first"],
        ["${FOO}", "first"],
        ["$FOO-bar", "first-bar"],
        ["${FOO}bar", "firstbar"],
        ["${UNSET:-def}", "def"],
        ["${EMPTY:-def}", "def"],
        ["${FOO:-def}", "first"],
        ["${UNSET-def}", "def"],
        ["${EMPTY-def}", ""],
        ["${FOO:+alt}", "alt"],
        ["${EMPTY:+alt}", ""],
        ["${UNSET:+alt}", ""],
        ["${FOO+alt}", "alt"],
        ["${EMPTY+alt}", "alt"],
        ["${UNSET+alt}", ""],
        ["${FOO:?must be set}", "first"],
        ["${EMPTY?only unset fails}", ""],
        ["$$FOO", "$FOO"],
        ["$${FOO}", "${FOO}"],
        ["a $ b", "a $ b"],
        ["^REGEX$", "^REGEX$"],
        ["$2a$14$1l.hash", "$2a$14$1l.hash"],
        ["$2a$14$hash", "$2a$14"],
        ["${UNSET:-${FOO}}", "first"],
        ["${UNSET:-${ALSO_UNSET:-deep}}", "deep"],
        ["${UNSET:-$PORT:80}", "8080:80"],
        ["${UNSET-a:-b}", "a:-b"],
        ["${UNSET:-/non:-alphanumeric}", "/non:-alphanumeric"],
        ["${UNSET}", ""],
        ["x${PORT}y${FOO}z", "x8080yfirstz"],
    ];
    for (const [template, expected] of table) {
        it(`${template} -> ${JSON.stringify(expected)}`, () => assert.strictEqual(run(template), expected));
    }

    it("reports unset variables without defaults", () => {
        const unset: string[] = [];
        run("${UNSET} $OTHER ${DEFAULTED:-x}", (n) => unset.push(n));
        assert.deepStrictEqual(unset, ["UNSET", "OTHER"]);
    });

    it("fails on required variables with the message, path and template", () => {
        assertSpecError(() => run("${UNSET:?set UNSET first}"), "compose.yaml", "services.a.image", "required variable UNSET is missing a value: set UNSET first", '"${UNSET:?set UNSET first}"');
        assertSpecError(() => run("${EMPTY:?}"), "required variable EMPTY is missing a value");
        assertSpecError(() => run("${UNSET?}"), "required variable UNSET is missing a value");
    });

    it("evaluates a default only when it is used", () => {
        assert.strictEqual(run("${FOO:-${UNSET:?never evaluated}}"), "first");
        assert.strictEqual(run("${EMPTY?${UNSET:?never evaluated}}x"), "x");
        const unset: string[] = [];
        assert.strictEqual(run("${FOO-${NOT_LOOKED_AT}}", (n) => unset.push(n)), "first");
        assert.deepStrictEqual(unset, []);
    });

    it("ends an expression at the } balancing its {s, or at the line's last }", () => {
        assert.strictEqual(run('${FOO:-{"a":{"b":1}}} after'), "first after");
        assert.strictEqual(run('${UNSET:-{"a":{"b":1}}} after'), '{"a":{"b":1}} after');
        // No balancing `}`: the expression runs to the last `}` of the line.
        assert.strictEqual(run("${UNSET:-{x} y}z"), "{x} yz");
        // An expression does not span lines.
        assertSpecError(() => run("${UNSET:-a\nb}"), "invalid interpolation");
    });

    it("fails on malformed templates", () => {
        for (const t of ["${", "${}", "${ FOO}", "${FOO }", "${FOO!}"]) assertSpecError(() => run(t), "invalid interpolation", "services.a.image");
    });

    describe("dotenv", () => {
        it("parses KEY=VAL, export, quotes, comments and interpolation", () => {
            const text = [
                "# comment",
                "",
                "A=1",
                "export B=two",
                "C = spaced value  # trailing comment",
                "D='single $A # not a comment'",
                'E="double ${A}\\nnext"',
                "F=${B}-${FROM_ENV}",
                "G=",
                "H",
                "MISSING",
                'M="multi',
                'line"',
                "URL=http://x/#anchor",
            ].join("\n");
            assert.deepStrictEqual(parseDotenv(text, "/p/.env", (n) => ({ FROM_ENV: "env", H: "from-env" })[n]), {
                A: "1", B: "two", C: "spaced value", D: "single $A # not a comment", E: "double 1\nnext", F: "two-env", G: "", H: "from-env",
                M: "multi\nline", URL: "http://x/#anchor",
            });
        });
        it("names the file and line of a bad entry", () => {
            assertSpecError(() => parseDotenv("A=1\nnot a var=2\n", "/p/.env", () => undefined), "/p/.env:2", "not a var");
        });
    });

    describe("project environment", () => {
        it("takes values from the environment over .env, and from .env otherwise", () => {
            const { spec } = loadProject({
                ".env": "TAG=from-dotenv\nPORT=9000\n",
                "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    ports: ['${PORT}:80']\n",
            }, { env: { TAG: "from-env" } });
            assert.strictEqual(spec.services.web.image, "nginx:from-env");
            assert.strictEqual(spec.services.web.ports[0].published, 9000);
        });
        it("reads envFile instead of .env when given", () => {
            const { spec } = loadProject({
                ".env": "TAG=from-dotenv\n",
                "prod.env": "TAG=prod\n",
                "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n",
            }, { envFile: ["prod.env"] });
            assert.strictEqual(spec.services.web.image, "nginx:prod");
        });
        it("does not interpolate keys", () => {
            const { spec } = loadProject({ "compose.yaml": "services:\n  web:\n    image: nginx\n    labels:\n      $KEY: ${VAL}\n" }, { env: { KEY: "k", VAL: "v" } });
            assert.deepStrictEqual(spec.services.web.labels, { $KEY: "v" });
        });
        it("warns once per unset variable, naming file and path", () => {
            const { warnings, dir } = loadProject({ "compose.yaml": "services:\n  web:\n    image: nginx:${TAG}\n    environment: ['A=${TAG}']\n" });
            assert.deepStrictEqual(warnings, [`${dir}/compose.yaml: services.web.image: the "TAG" variable is not set; defaulting to a blank string`]);
        });
    });

    describe("${COMPOSE_PROJECT_NAME}", () => {
        const web = "services:\n  web:\n    image: nginx\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n";
        it("is the name given, else COMPOSE_PROJECT_NAME (.env's too), else the last name: of the files, else the directory", () => {
            const named = (files: Record<string, string>, options = {}) => loadProject(files, { projectName: undefined, ...options }).spec.services.web.containerName;
            assert.strictEqual(named({ "compose.yaml": "name: file\n" + web }, { projectName: "given" }), "given-web");
            assert.strictEqual(named({ "compose.yaml": "name: file\n" + web }, { env: { COMPOSE_PROJECT_NAME: "env" } }), "env-web");
            assert.strictEqual(named({ "compose.yaml": "name: file\n" + web, ".env": "COMPOSE_PROJECT_NAME=dotenv\n" }), "dotenv-web");
            assert.strictEqual(named({ "compose.yaml": web, "b.yaml": "name: ${N}-b\n", "c.yaml": "name: ''\n" }, { composeFiles: ["compose.yaml", "b.yaml", "c.yaml"], env: { N: "n" } }), "n-b-web");
            // An empty COMPOSE_PROJECT_NAME is no name, as in compose-go.
            assert.strictEqual(named({ "compose.yaml": "name: file\n" + web }, { env: { COMPOSE_PROJECT_NAME: "" } }), "file-web");
            assert.strictEqual(named({ "my-app/compose.yaml": web }, { composeFiles: ["my-app/compose.yaml"] }), "my-app-web");
            // name: ${COMPOSE_PROJECT_NAME} is not its own name: the variable is unset when name: is read.
            const { spec } = loadProject({ "my-app/compose.yaml": "name: ${COMPOSE_PROJECT_NAME}\n" + web }, { projectName: undefined, composeFiles: ["my-app/compose.yaml"] });
            assert.deepStrictEqual([spec.name, spec.services.web.containerName], ["my-app", "my-app-web"]);
        });
        it("is the including project's name in an included file", () => {
            const { spec } = loadProject({
                "compose.yaml": "name: main\ninclude: [sub/compose.yaml]\n" + web,
                "sub/compose.yaml": "name: sub\nservices:\n  db:\n    image: postgres\n    container_name: ${COMPOSE_PROJECT_NAME}-db\n",
            }, { projectName: undefined });
            assert.strictEqual(spec.services.db.containerName, "main-db");
        });
        it("an error in the name: read for it names that file and line", () => {
            assertSpecError(
                () => loadProject({ "compose.yaml": web, "b.yaml": "services: {}\nname: ${N:?set N}\n" }, { projectName: undefined, composeFiles: ["compose.yaml", "b.yaml"] }),
                "b.yaml:2", "name", "required variable N is missing a value: set N",
            );
        });
    });

    describe("environment and env_file", () => {
        it("merges env files in order, then environment; null values come from the environment or are dropped", () => {
            const { spec } = loadProject({
                "a.env": "A=from-a\nB=from-a\nexport QUOTED=\"x y\"\n",
                "b.env": "B=from-b\nC=from-b\n",
                "compose.yaml": `services:
  list:
    image: x
    env_file: [a.env, b.env]
    environment: [C=from-environment, FROM_HOST, NOT_SET]
  map:
    image: x
    env_file: a.env
    environment: { A: 1, FROM_HOST: null, NOT_SET: ~, EMPTY: "" }
  long:
    image: x
    env_file:
      - path: b.env
      - path: missing.env
        required: false
`,
            }, { env: { FROM_HOST: "host" } });
            assert.deepStrictEqual(spec.services.list.environment, { A: "from-a", B: "from-b", QUOTED: "x y", C: "from-environment", FROM_HOST: "host" });
            assert.deepStrictEqual(spec.services.map.environment, { A: "1", B: "from-a", QUOTED: "x y", FROM_HOST: "host", EMPTY: "" });
            assert.deepStrictEqual(spec.services.long.environment, { B: "from-b", C: "from-b" });
        });
        it("fails on a missing required env file, naming it", () => {
            assertSpecError(
                () => loadProject({ "compose.yaml": "services:\n  web:\n    image: x\n    env_file: nope.env\n" }),
                "compose.yaml", "services.web.env_file[0]", "nope.env", "not found",
            );
        });
    });
});
