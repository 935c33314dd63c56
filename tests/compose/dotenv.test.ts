import * as assert from "assert";
import { parseRawEnvFile } from "../../components/compose";
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
});
