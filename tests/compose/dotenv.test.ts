import * as assert from "assert";
import { parseDotenv, parseRawEnvFile } from "../../components/compose";
import { expandEscapes } from "../../components/compose/dotenv";
import { assertSpecError } from "../harness";
import { loadProject } from "./project";

/** A raw env file with everything the Compose format would change. */
const RAW = [
    "\uFEFF# comment",
    "   # indented comment",
    "",
    `JSON='{"key": "value"}'`,
    `QUOTED="a b"`,
    "DOLLAR=$HOME/${USER:-x}",
    "TRAIL=a b  ",
    "HASH=a #not a comment",
    "  INDENTED=1",
    "EMPTY=",
    "EQUALS=a=b",
    "export=1",
    "FROM_ENV",
    "NOT_SET",
    "CRLF=x\r",
    "",
].join("\n");

describe("compose/dotenv", () => {
    describe("format: raw", () => {
        it("takes values verbatim: no quote processing, no interpolation, no inline comments", () => {
            assert.deepStrictEqual(parseRawEnvFile(RAW, "/p/raw.env", (n) => ({ FROM_ENV: "env", HOME: "/home/u" })[n]), {
                JSON: `'{"key": "value"}'`,
                QUOTED: `"a b"`,
                DOLLAR: "$HOME/${USER:-x}",
                TRAIL: "a b  ",
                HASH: "a #not a comment",
                INDENTED: "1",
                EMPTY: "",
                EQUALS: "a=b",
                export: "1",
                FROM_ENV: "env",
                CRLF: "x",
            });
        });
        it("rejects a line without a name and a name with whitespace, naming file and line", () => {
            const e = assertSpecError(() => parseRawEnvFile("A=1\n=s3cret\n", "/p/raw.env", () => undefined), "/p/raw.env:2", "no variable name");
            // The line is not shown: it may hold a secret.
            assert.ok(!e.message.includes("s3cret"), e.message);
            assertSpecError(() => parseRawEnvFile("export A=1\n", "/p/raw.env", () => undefined), "/p/raw.env:1", 'variable "export A" contains whitespace');
        });
        it("env_file long form with format: raw, next to the default format", () => {
            const { spec } = loadProject(
                {
                    "compose.yaml": "services:\n  a:\n    image: x\n    env_file:\n      - path: ./plain.env\n      - path: ./raw.env\n        format: raw\n",
                    "plain.env": `PLAIN="quoted \${NAME}"\nJSON='{"key": "value"}'\n`,
                    "raw.env": `RAW="quoted \${NAME}"\nBARE\n`,
                },
                { env: { NAME: "n", BARE: "from env" } },
            );
            assert.deepStrictEqual(spec.services.a.environment, { PLAIN: "quoted n", JSON: `{"key": "value"}`, RAW: `"quoted \${NAME}"`, BARE: "from env" });
        });
        it("an unknown format is an error naming the entry", () => {
            assertSpecError(
                () => loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    env_file:\n      - path: e.env\n        format: yaml\n", "e.env": "A=1\n" }),
                "compose.yaml", "services.a.env_file[0].format", "unsupported env_file format", '"yaml"',
            );
        });
    });

    describe("the Compose format", () => {
        const parse = (text: string, env: Record<string, string> = {}) => ({ ...parseDotenv(text, "/p/.env", (n) => env[n]) });
        it("expands the escapes compose-go expands and keeps the others as written", () => {
            assert.strictEqual(expandEscapes(String.raw`\a\b\f\v\n\r\t`), "\x07\b\f\v\n\r\t");
            // `\c` is in compose-go's list but Go does not know it: kept. An octal escape is `\0` and three digits up to 377.
            assert.strictEqual(expandEscapes(String.raw`\c \0101 \0377 \0400 \01 \0 \08`), "\\c A \u00ff \\400 \\1 \\ \\8");
            // `\$` is the interpolation's `$$`, a literal `$`.
            assert.deepStrictEqual(parse(String.raw`A="\$HOME \\$HOME"`, { HOME: "/h" }), { A: "$HOME \\/h" });
        });
        it("reads a statement after a quoted value on the same line, as compose-go does", () => {
            assert.deepStrictEqual(parse(`A="x" B=y\nC='z'   # comment\n`), { A: "x", B: "y", C: "z" });
        });
        it("keeps Windows line ends inside a quoted value and drops them elsewhere", () => {
            assert.deepStrictEqual(parse('A=1\r\nB="x\r\ny"\r\nC\r\n', { C: "c" }), { A: "1", B: "x\r\ny", C: "c" });
        });
        it("takes a name starting with a digit, or in any script", () => {
            assert.deepStrictEqual(parse("1A=x\nÉTÉ=y\n"), { "1A": "x", ÉTÉ: "y" });
        });
        it("never shows a line or a value in an error", () => {
            const secret = "s3cr3t-t0k3n";
            for (const text of [`${secret}$x`, `A="${secret}`, `A='${secret}\n`, `A=\${${secret}`, `MY KEY ${secret}`, `A=\${X:?}${secret}`]) {
                const e = assertSpecError(() => parse(text), "/p/.env:1");
                assert.ok(!e.message.includes(secret), e.message);
            }
            // A short name before a '=' is shown.
            assertSpecError(() => parse("MY KEY=1"), '"MY KEY": a variable name cannot contain a space');
        });
    });

    describe("a service's env_file and environment", () => {
        it("${VAR} in an env file: the project environment, then the service's environment, then the env files' earlier values", () => {
            const { spec } = loadProject(
                {
                    "compose.yaml": "services:\n  a:\n    image: x\n    env_file: [one.env, two.env]\n    environment: { FROM_SERVICE: service, BOTH: service }\n",
                    "one.env": "BOTH=one\nEARLIER=one\n",
                    "two.env": "P=${PROJECT}\nS=${FROM_SERVICE}\nB=${BOTH}\nE=${EARLIER}\nINHERITED_SERVICE=${FROM_SERVICE}\nFROM_SERVICE\n",
                },
                { env: { PROJECT: "project", BOTH: "project" } },
            );
            assert.deepStrictEqual(spec.services.a.environment, {
                BOTH: "service", EARLIER: "one", P: "project", S: "service", B: "project", E: "one", INHERITED_SERVICE: "service", FROM_SERVICE: "service",
            });
        });
        it("${COMPOSE_PROJECT_NAME} in an env file and a bare COMPOSE_PROJECT_NAME are the project name", () => {
            const { spec } = loadProject({
                "compose.yaml": "services:\n  a:\n    image: x\n    env_file: a.env\n    environment: [COMPOSE_PROJECT_NAME]\n",
                "a.env": "URL=http://${COMPOSE_PROJECT_NAME}-a\n",
            });
            assert.deepStrictEqual(spec.services.a.environment, { URL: "http://app-a", COMPOSE_PROJECT_NAME: "app" });
        });
        it("a variable listed without a value and unset drops the env file's value (Docker unsets it)", () => {
            const { spec } = loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    env_file: a.env\n    environment: [GONE, KEPT]\n", "a.env": "GONE=x\nKEPT=y\n" }, { env: { KEPT: "env" } });
            assert.deepStrictEqual(spec.services.a.environment, { KEPT: "env" });
        });
        it("KEY =value in an environment list is an error naming the file, line and entry, not showing the value", () => {
            const e = assertSpecError(
                () => loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    environment:\n      - OK=1\n      - TOKEN =s3cr3t\n" }),
                "compose.yaml:6", "services.a.environment[1]", '"TOKEN " is declared with a trailing space',
            );
            assert.ok(!e.message.includes("s3cr3t"), e.message);
        });
    });

    describe("secrets and configs from a variable", () => {
        const files = (def: string) => ({ "compose.yaml": `services:\n  a:\n    image: x\n    secrets: [s]\n    configs: [c]\nsecrets:\n  s: ${def}\nconfigs:\n  c: { environment: CONF }\n` });
        it("take the value of the project environment, .env included, when the file is loaded", () => {
            const { spec } = loadProject({ ...files("{ environment: TOKEN }"), ".env": "TOKEN=from-dotenv\nCONF=conf\n" });
            assert.deepStrictEqual(spec.secrets.s, { key: "s", content: "from-dotenv", external: false, labels: {} });
            assert.deepStrictEqual(spec.configs.c, { key: "c", content: "conf", external: false, labels: {} });
            assert.strictEqual(loadProject({ ...files("{ environment: TOKEN }"), ".env": "TOKEN=from-dotenv\n" }, { env: { TOKEN: "from-env", CONF: "" } }).spec.secrets.s.content, "from-env");
        });
        it("an unset variable is an error naming the file, line and variable when a service uses it, and left alone otherwise", () => {
            assertSpecError(() => loadProject(files("{ environment: TOKEN }"), { env: { CONF: "c" } }), "compose.yaml:7", "secrets.s.environment", "environment variable TOKEN is not set");
            const { spec } = loadProject({ "compose.yaml": "services:\n  a:\n    image: x\nsecrets:\n  unused: { environment: NOPE }\n" });
            assert.strictEqual(spec.secrets.unused.environment, "NOPE");
        });
        it("~ in a used secret's file is the home directory (then allowedPaths must let it be read)", () => {
            assertSpecError(() => loadProject(files("{ file: ~/token.txt }"), { env: { CONF: "c" } }), "secrets.s.file", "/home/u/token.txt");
        });
    });
});
