/**
 * compose-go conformance: the `dotenv` package (the `.env` / `env_file` format) and how the
 * loader uses it: the project environment from `.env` and `--env-file`, a service's `env_file`
 * and `environment`, secrets and configs from a variable, `~` in their paths.
 *
 * Each case is transcribed from a compose-go v2 test (github.com/compose-spec/compose-go, read
 * at v2.17.0): its input and the result it asserts; `go` names the file and test function. Cases
 * where dockyard decides to differ are in the `DIFFERS` tables, with the reason, asserting what
 * dockyard does instead. Go tests of APIs dockyard has no counterpart of (`Load` setting the
 * process environment, `RegisterFormat`, `Marshal`) are left out.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { LoadComposeOptions, parseDotenv } from "../../../components/compose";
import { expandHome } from "../../../components/compose/environment";
import { SpecError } from "../../../components/spec/errors";
import { AppSpec } from "../../../components/spec/types";
import { loadProject } from "../project";

/** A case of the parser: `parseDotenv(input)` with an environment (`lookup`) and the variables set so far (`vars`). */
interface ParseCase {
    readonly go: string;
    readonly input: string;
    /** The environment the file is read with. @default {} */
    readonly lookup?: Readonly<Record<string, string>>;
    /** Variables already set (compose-go's `envMap`). */
    readonly vars?: Readonly<Record<string, string>>;
    /** The whole result. */
    readonly exact?: Readonly<Record<string, string>>;
    /** Some keys of the result. */
    readonly has?: Readonly<Record<string, string>>;
    /** Keys that are not in the result. */
    readonly absent?: readonly string[];
    /** Variables the environment must have been asked for. */
    readonly asked?: readonly string[];
    /** The parse fails with a SpecError whose message holds each of these. */
    readonly error?: readonly string[];
}

interface DiffersParseCase extends ParseCase {
    /** Why dockyard differs; `exact`/`has`/`error` are what dockyard does. */
    readonly reason: string;
}

const FILE = "/p/.env";

function runParse(c: ParseCase): void {
    const asked: string[] = [];
    const lookup = (name: string) => {
        asked.push(name);
        return Object.prototype.hasOwnProperty.call(c.lookup ?? {}, name) ? c.lookup![name] : undefined;
    };
    const vars: Record<string, string> = { ...(c.vars ?? {}) };
    if (c.error) {
        let caught: unknown;
        try {
            parseDotenv(c.input, FILE, lookup, vars);
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? `no error but ${JSON.stringify(vars)}` : String(caught)}`);
        for (const part of c.error) assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        return;
    }
    const out = parseDotenv(c.input, FILE, lookup, vars);
    if (c.exact) assert.deepStrictEqual({ ...out }, c.exact);
    for (const [k, v] of Object.entries(c.has ?? {})) assert.strictEqual(out[k], v, `${k} of ${JSON.stringify(out)}`);
    for (const k of c.absent ?? []) assert.ok(!Object.prototype.hasOwnProperty.call(out, k), `${k} should not be in ${JSON.stringify(out)}`);
    for (const k of c.asked ?? []) assert.ok(asked.includes(k), `${k} should have been looked up (asked: ${asked.join(", ")})`);
}

const title = (c: ParseCase) => `${c.go}: ${JSON.stringify(c.input.length > 70 ? c.input.slice(0, 70) + "…" : c.input)}`;

// The fixtures of compose-go's dotenv/fixtures, as they are.
const PLAIN = "OPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F = \nOPTION_G=\nOPTION_H = my string # Inline comment\n";
const UTF8_BOM = "\uFEFFOPTION_A=1\nOPTION_B=2\nOPTION_C= 3\nOPTION_D =4\nOPTION_E = 5\n456 = ABC\nOPTION_F =\nOPTION_G=\nOPTION_H = my string # Inline comment\n";
const EXPORTED = "export OPTION_A=2\nexport OPTION_B='\\n'\n";
const EQUALS = "export OPTION_A='postgres://localhost:5432/database?sslmode=disable'\n\n";
const QUOTED = [
    "OPTION_A='1'",
    "OPTION_B='2'",
    "OPTION_C=''",
    "OPTION_D='\\n'",
    'OPTION_E="1"',
    'OPTION_F="2"',
    'OPTION_G=""',
    'OPTION_H="\\n"',
    `OPTION_I = "echo 'asd'" # Inline comment`,
    "OPTION_J = 'first line",
    "second line",
    "third line",
    "and so on'",
    "OPTION_K='Let\\'s go!'",
    'OPTION_Z = "last value"',
    "",
].join("\n");
const UNQUOTED = [
    'OPTION_A = "some quoted phrase"',
    "OPTION_B=first one with an unquoted phrase",
    "OPTION_C = then another one with an unquoted phrase",
    "OPTION_D = then another one with an unquoted phrase special è char",
    'OPTION_E = "then another one quoted phrase"',
    "",
].join("\n");
const SUBSTITUTIONS = "OPTION_A=1\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n";
const SUBSTITUTIONS_DEFAULT = "OPTION_A=${OPTION_A:-1}\nOPTION_B=${OPTION_A}\nOPTION_C=$OPTION_B\nOPTION_D=${OPTION_A}_${OPTION_B}\nOPTION_E=${OPTION_NOT_DEFINED}\n";
const SPECIAL = "VAR.WITH.DOTS=dots\nVAR_WITH_UNDERSCORES=underscores\nVAR-WITH-DASHES=dashes\n";
const INVALID1 = '# some comments\nfoo="\n  a\n  multine\n  value\n"\nINVALID LINE\nzot=qix';
const INHERITED_MULTI = "foo=bar\nVAR_TO_BE_LOADED_FROM_OS_ENV\nbar=baz\n";
const INHERITED_SINGLE = "VAR_TO_BE_LOADED_FROM_OS_ENV\n";
const INHERITED_NOT_FOUND = "VARIABLE_NOT_FOUND\n";

const PLAIN_VALUES = { OPTION_A: "1", OPTION_B: "2", OPTION_C: "3", OPTION_D: "4", OPTION_E: "5", OPTION_F: "", OPTION_G: "", OPTION_H: "my string" };
const FROM_OS = { VAR_TO_BE_LOADED_FROM_OS_ENV: "SOME_RANDOM_VALUE" };

/** `parseAndCompare(t, input, key, value)` of TestParsing. */
const parsing = (input: string, key: string, value: string): ParseCase => ({ go: "godotenv_test.go TestParsing", input, has: { [key]: value } });

const PARSE_CASES: ParseCase[] = [
    // Files read with an empty environment (Load, Read on a clean environment).
    { go: "godotenv_test.go TestLoadPlainEnv", input: PLAIN, has: { OPTION_A: "1", OPTION_B: "2", OPTION_C: "3", OPTION_D: "4", OPTION_E: "5" } },
    { go: "godotenv_test.go TestLoadExportedEnv", input: EXPORTED, has: { OPTION_A: "2", OPTION_B: "\\n" } },
    { go: "godotenv_test.go TestLoadEqualsEnv", input: EQUALS, has: { OPTION_A: "postgres://localhost:5432/database?sslmode=disable" } },
    {
        go: "godotenv_test.go TestLoadQuotedEnv",
        input: QUOTED,
        has: {
            OPTION_A: "1", OPTION_B: "2", OPTION_C: "", OPTION_D: "\\n", OPTION_E: "1", OPTION_F: "2", OPTION_G: "", OPTION_H: "\n",
            OPTION_I: "echo 'asd'", OPTION_J: "first line\nsecond line\nthird line\nand so on", OPTION_K: "Let's go!", OPTION_Z: "last value",
        },
    },
    {
        go: "godotenv_test.go TestLoadUnquotedEnv",
        input: UNQUOTED,
        has: {
            OPTION_A: "some quoted phrase",
            OPTION_B: "first one with an unquoted phrase",
            OPTION_C: "then another one with an unquoted phrase",
            OPTION_D: "then another one with an unquoted phrase special è char",
            OPTION_E: "then another one quoted phrase",
        },
    },
    { go: "godotenv_test.go TestSubstitutions", input: SUBSTITUTIONS, has: { OPTION_A: "1", OPTION_B: "1", OPTION_C: "1", OPTION_D: "1_1", OPTION_E: "" } },
    { go: "godotenv_test.go TestUTF8BOM", input: UTF8_BOM, has: { OPTION_A: "1", OPTION_B: "2", OPTION_C: "3", OPTION_D: "4", OPTION_E: "5" } },
    { go: "godotenv_test.go TestDash", input: SPECIAL, has: { "VAR-WITH-DASHES": "dashes", "VAR.WITH.DOTS": "dots", VAR_WITH_UNDERSCORES: "underscores" } },
    { go: "godotenv_test.go TestParse", input: "ONE=1\nTWO='2'\nTHREE = \"3\"", has: { ONE: "1", TWO: "2", THREE: "3" } },

    // TestExpanding
    { go: "godotenv_test.go TestExpanding (expands variables found in values)", input: "FOO=test\nBAR=$FOO", has: { FOO: "test", BAR: "test" } },
    { go: "godotenv_test.go TestExpanding (parses variables wrapped in brackets)", input: "FOO=test\nBAR=${FOO}bar", has: { FOO: "test", BAR: "testbar" } },
    { go: "godotenv_test.go TestExpanding (expands undefined variables to an empty string)", input: "BAR=$FOO", has: { BAR: "" } },
    { go: "godotenv_test.go TestExpanding (expands variables in double quoted strings)", input: 'FOO=test\nBAR="quote $FOO"', has: { FOO: "test", BAR: "quote test" } },
    { go: "godotenv_test.go TestExpanding (does not expand variables in single quoted strings)", input: "BAR='quote $FOO'", has: { BAR: "quote $FOO" } },
    { go: "godotenv_test.go TestExpanding (does not expand escaped variables 1)", input: String.raw`FOO="foo\$BAR"`, has: { FOO: "foo$BAR" } },
    { go: "godotenv_test.go TestExpanding (does not expand escaped variables 2)", input: String.raw`FOO="foo\${BAR}"`, has: { FOO: "foo${BAR}" } },
    { go: "godotenv_test.go TestExpanding (does not expand escaped variables 3)", input: 'FOO=test\nBAR="foo\\${FOO} ${FOO}"', has: { FOO: "test", BAR: "foo${FOO} test" } },

    {
        go: "godotenv_test.go TestVariableStringValueSeparator",
        input: 'TEST_URLS="stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443"',
        exact: { TEST_URLS: "stratum+tcp://stratum.antpool.com:3333\nstratum+tcp://stratum.antpool.com:443" },
    },

    // TestParsing
    parsing("FOO=bar", "FOO", "bar"),
    parsing("FOO =bar", "FOO", "bar"),
    parsing("FOO= bar", "FOO", "bar"),
    parsing('FOO="bar"', "FOO", "bar"),
    parsing("FOO='bar'", "FOO", "bar"),
    parsing(String.raw`FOO="escaped\"bar"`, "FOO", 'escaped"bar'),
    parsing(String.raw`FOO="\"quoted\""`, "FOO", '"quoted"'),
    parsing(`FOO="'d'"`, "FOO", "'d'"),
    parsing("OPTION_A: 1", "OPTION_A", "1"),
    parsing("OPTION_A: Foo=bar", "OPTION_A", "Foo=bar"),
    parsing("OPTION_A=1:B", "OPTION_A", "1:B"),
    parsing("export OPTION_A=2", "OPTION_A", "2"),
    parsing(String.raw`export OPTION_B='\n'`, "OPTION_B", "\\n"),
    parsing("export exportFoo=2", "exportFoo", "2"),
    parsing("exportFOO=2", "exportFOO", "2"),
    parsing("export_FOO =2", "export_FOO", "2"),
    parsing("export.FOO= 2", "export.FOO", "2"),
    parsing("export\tOPTION_A=2", "OPTION_A", "2"),
    parsing("  export OPTION_A=2", "OPTION_A", "2"),
    parsing("\texport OPTION_A=2", "OPTION_A", "2"),
    parsing('export OPTION_A="export A"', "OPTION_A", "export A"),
    parsing(String.raw`FOO="bar\nbaz"`, "FOO", "bar\nbaz"),
    parsing(String.raw`FOO=a\tb`, "FOO", String.raw`a\tb`),
    parsing(String.raw`FOO="a\tb"`, "FOO", "a\tb"),
    parsing(String.raw`KEY="Z\aZ\bZ\fZ\nZ\rZ\tZ\vZ\\Z\0123Z"`, "KEY", "Z\x07Z\bZ\fZ\nZ\rZ\tZ\vZ\\ZSZ"),
    parsing("FOO.BAR=foobar", "FOO.BAR", "foobar"),
    parsing("FOO=foobar=", "FOO", "foobar="),
    parsing("FOO=bar ", "FOO", "bar"),
    parsing("FOO=bar # this is foo", "FOO", "bar"),
    parsing("FOO=bar #this is foo", "FOO", "bar"),
    parsing("FOO=bar #", "FOO", "bar"),
    parsing("FOO=123#not-an-inline-comment", "FOO", "123#not-an-inline-comment"),
    parsing('FOO="bar#baz"', "FOO", "bar#baz"),
    parsing('FOO="bar#baz"#', "FOO", "bar#baz"),
    parsing('FOO="bar#baz" # comment', "FOO", "bar#baz"),
    parsing("FOO='bar#baz' # comment", "FOO", "bar#baz"),
    parsing('FOO="bar#baz#bang" # comment', "FOO", "bar#baz#bang"),
    parsing('FOO="ba#r"', "FOO", "ba#r"),
    parsing("FOO='ba#r'", "FOO", "ba#r"),
    parsing(String.raw`FOO="bar\n\ b\az"`, "FOO", "bar\n\\ b\x07z"),
    parsing(String.raw`FOO="bar\\\n\ b\az"`, "FOO", "bar\\\n\\ b\x07z"),
    parsing(String.raw`FOO="bar\\r\ b\az"`, "FOO", "bar\\r\\ b\x07z"),
    parsing(String.raw`FOO="bar\nbaz\\"`, "FOO", "bar\nbaz\\"),
    parsing(" KEY =value", "KEY", "value"),
    parsing("   KEY=value", "KEY", "value"),
    parsing("\tKEY=value", "KEY", "value"),
    parsing(String.raw`KEY="\0123"`, "KEY", "S"),
    parsing(String.raw`KEY="\x07"`, "KEY", String.raw`\x07`),
    parsing(String.raw`KEY="\u12e4"`, "KEY", String.raw`\u12e4`),
    parsing(String.raw`KEY="\U00101234"`, "KEY", String.raw`\U00101234`),
    { go: "godotenv_test.go TestParsing (a badly formatted line)", input: "lol$wut", error: [`${FILE}:1`, '"$"'] },

    // TestUnterminatedQuotes
    ...['KEY="', 'KEY="value', String.raw`KEY="value\"`, `KEY="value'`, "KEY='", "KEY='value", String.raw`KEY='value\'`, `KEY='value"`].map(
        (input): ParseCase => ({ go: "godotenv_test.go TestUnterminatedQuotes", input, error: [`${FILE}:1`, "unterminated"] }),
    ),

    // TestLinesToIgnore: what getStatementStart skips is no statement.
    ...["\n", "\r\n", "\t\t ", "# Comment", "\t # comment"].map((input): ParseCase => ({ go: "godotenv_test.go TestLinesToIgnore", input, exact: {} })),
    { go: "godotenv_test.go TestLinesToIgnore (non-ignored value)", input: String.raw`export OPTION_B='\n'`, exact: { OPTION_B: "\\n" } },

    { go: "godotenv_test.go TestErrorParsing", input: INVALID1, error: [`${FILE}:7`, "cannot contain a space"] },
    { go: "godotenv_test.go TestInheritedEnvVariableSameSize", input: INHERITED_MULTI, lookup: FROM_OS, exact: { ...FROM_OS, foo: "bar", bar: "baz" } },
    { go: "godotenv_test.go TestInheritedEnvVariableSingleVar", input: INHERITED_SINGLE, lookup: FROM_OS, exact: FROM_OS },
    { go: "godotenv_test.go TestInheritedEnvVariableNotFound", input: INHERITED_NOT_FOUND, absent: ["VARIABLE_NOT_FOUND"] },
    { go: "godotenv_test.go TestInheritedEnvVariableNotFoundWithLookup", input: INHERITED_NOT_FOUND, absent: ["VARIABLE_NOT_FOUND"], asked: ["VARIABLE_NOT_FOUND"] },
    { go: "godotenv_test.go TestExpandingEnvironmentWithLookup", input: "TEST=$ME", lookup: { ME: "YES" }, has: { TEST: "YES" } },
    // The environment comes before the file's own earlier lines in `${...}`, not in the value of a key the file sets.
    {
        go: "godotenv_test.go TestSubstitutionsWithEnvFilePrecedence",
        input: SUBSTITUTIONS,
        lookup: { OPTION_A: "5" },
        exact: { OPTION_A: "1", OPTION_B: "5", OPTION_C: "5", OPTION_D: "5_5", OPTION_E: "" },
    },
    {
        go: "godotenv_test.go TestSubstitutionsWithEnvFileDefaultValuePrecedence",
        input: SUBSTITUTIONS_DEFAULT,
        lookup: { OPTION_A: "5" },
        exact: { OPTION_A: "5", OPTION_B: "5", OPTION_C: "5", OPTION_D: "5_5", OPTION_E: "" },
    },
    {
        go: "godotenv_test.go TestSubstitutionsWithUnsetVarEnvFileDefaultValuePrecedence",
        input: SUBSTITUTIONS_DEFAULT,
        exact: { OPTION_A: "1", OPTION_B: "1", OPTION_C: "1", OPTION_D: "1_1", OPTION_E: "" },
    },

    // parser_test.go
    {
        go: "parser_test.go TestParseBytes",
        input: "\na=b\na[1]=c\na.propertyKey=d\nárvíztűrő-TÜKÖRFÚRÓGÉP=ÁRVÍZTŰRŐ-tükörfúrógép\n",
        exact: { a: "b", "a[1]": "c", "a.propertyKey": "d", "árvíztűrő-TÜKÖRFÚRÓGÉP": "ÁRVÍZTŰRŐ-tükörfúrógép" },
    },
    { go: "parser_test.go TestParseVariable", input: "%!(EXTRA string)=foo", error: [`${FILE}:1`, 'followed by "%"'] },
    ...([
        ["only line", "INHERITED", { INHERITED: "from env" }],
        ["trailing space", "INHERITED  ", { INHERITED: "from env" }],
        ["after a valid line", "A=1\nINHERITED", { A: "1", INHERITED: "from env" }],
        ["windows line break", "A=1\r\nINHERITED\r", { A: "1", INHERITED: "from env" }],
        ["unset", "A=1\nUNSET", { A: "1" }],
    ] as const).map(([name, input, exact]): ParseCase => ({ go: `parser_test.go TestParseInheritedAtEndOfFile (${name})`, input, lookup: { INHERITED: "from env" }, exact })),
    ...([
        ["equal sign", "=value", 1],
        ["quoted value", '="value"', 1],
        ["nothing else", "=", 1],
        ["yaml style", ": value", 1],
        ["leading space", "  =value", 1],
        ["export", "export =value", 1],
        ["after a valid line", "A=1\n\n# comment\n=2\nB=3", 4],
        ["after an inherited line", "A\n=1", 2],
        ["after a padded name", "A  \n=1", 2],
        ["export before line end", "export \n=1", 1],
    ] as const).map(([name, input, line]): ParseCase => ({ go: `parser_test.go TestParseEmptyKey (${name})`, input, error: [`${FILE}:${line}`, "no variable name"] })),
    {
        go: "parser_test.go TestMemoryExplosion",
        input: Array.from({ length: 1000 }, (_, i) => `KEY${i}=VALUE${i}`).join("\n"),
        exact: Object.fromEntries(Array.from({ length: 1000 }, (_, i) => [`KEY${i}`, `VALUE${i}`])),
    },

    // godotenv_var_expansion_test.go: expandVariables(value, envMap, a lookup that finds nothing).
    ...([
        ["TestExpandIfEmptyOrUnset", "${UNSET_VAR:-Default Value}", "Default Value"],
        ["TestExpandIfEmptyOrUnset", "${EMPTY_VAR:-Default Value}", "Default Value"],
        ["TestExpandIfEmptyOrUnset", "${TEST_VAR:-Default Value}", "Test Value"],
        ["TestExpandIfUnset", "${UNSET_VAR-Default Value}", "Default Value"],
        ["TestExpandIfUnset", "${EMPTY_VAR-Default Value}", ""],
        ["TestExpandIfUnset", "${TEST_VAR-Default Value}", "Test Value"],
        ["TestErrorIfEmptyOrUnset", "${TEST_VAR:?Default Value}", "Test Value"],
        ["TestErrorIfUnset", "${EMPTY_VAR?Test error}", ""],
        ["TestErrorIfUnset", "${TEST_VAR?Default Value}", "Test Value"],
    ] as const).map(([go, template, value]): ParseCase => ({
        go: `godotenv_var_expansion_test.go ${go}`,
        input: `RESULT=${template}`,
        vars: { EMPTY_VAR: "", TEST_VAR: "Test Value" },
        has: { RESULT: value },
    })),
    ...([
        ["TestErrorIfEmptyOrUnset", "${UNSET_VAR:?Test error}", "required variable UNSET_VAR is missing a value: Test error"],
        ["TestErrorIfEmptyOrUnset", "${EMPTY_VAR:?Test error}", "required variable EMPTY_VAR is missing a value: Test error"],
        ["TestErrorIfUnset", "${UNSET_VAR?Test error}", "required variable UNSET_VAR is missing a value: Test error"],
    ] as const).map(([go, template, message]): ParseCase => ({
        go: `godotenv_var_expansion_test.go ${go}`,
        input: `RESULT=${template}`,
        vars: { EMPTY_VAR: "", TEST_VAR: "Test Value" },
        error: [`${FILE}:1`, "RESULT", message],
    })),
];

const DIFFERS_PARSE: DiffersParseCase[] = [
    {
        go: "godotenv_test.go TestReadPlainEnv",
        reason:
            "Read() drops the names that start with a digit (456), but compose-go's loader reads .env (GetEnvFromFile) and env_file (ParseWithFormat) " +
            "with the parser itself, which keeps them: dockyard has one parser and follows the loader",
        input: PLAIN,
        exact: { ...PLAIN_VALUES, 456: "ABC" },
    },
];

/** A case of the loader: `files` loaded as project "app" (see ../project.ts), the spec checked or the error's message. */
interface LoadCase {
    readonly go: string;
    readonly name: string;
    readonly files: Readonly<Record<string, string>>;
    readonly options?: LoadComposeOptions & { readonly composeFiles?: string[] };
    /** Called before loading with a fresh directory for the home directory; returns options to add. */
    readonly setup?: (home: string) => LoadComposeOptions;
    readonly expect?: (spec: AppSpec, dir: string) => void;
    readonly error?: readonly string[];
}

interface DiffersLoadCase extends LoadCase {
    readonly reason: string;
}

function runLoad(c: LoadCase): void {
    const extra = c.setup ? c.setup(fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-home-"))) : {};
    const run = () => loadProject({ ...c.files }, { ...c.options, ...extra });
    if (c.error) {
        let caught: unknown;
        try {
            run();
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? "no error" : String(caught)}`);
        for (const part of c.error) assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        return;
    }
    const { spec, dir } = run();
    c.expect?.(spec, dir);
}

const service = (body: string) => `services:\n  web:\n    image: nginx\n${body}`;
const env = (spec: AppSpec, s = "web") => spec.services[s].environment;

const LOAD_CASES: LoadCase[] = [
    // The project environment: the process environment over .env (compose-go cli: WithOsEnv, then WithDotEnv's Merge).
    {
        go: "godotenv_test.go TestLoadDoesNotOverride",
        name: "a variable of the environment, even empty, is not overridden by .env",
        files: { ".env": PLAIN, "compose.yaml": service("    environment: [OPTION_A, OPTION_B, OPTION_C]\n") },
        options: { env: { OPTION_A: "do_not_override", OPTION_B: "" } },
        expect: (spec) => assert.deepStrictEqual(env(spec), { OPTION_A: "do_not_override", OPTION_B: "", OPTION_C: "3" }),
    },
    {
        go: "godotenv_test.go TestActualEnvVarsAreLeftAlone",
        name: "the environment's value wins over .env",
        files: { ".env": PLAIN, "compose.yaml": service("    labels: { a: $OPTION_A }\n") },
        options: { env: { OPTION_A: "actualenv" } },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.labels, { a: "actualenv" }),
    },
    {
        go: "godotenv_test.go TestLoadFileNotFound",
        name: "an env file given that does not exist is an error",
        files: { "compose.yaml": service("") },
        options: { envFile: ["somefilethatwillneverexistever.env"] },
        error: ["somefilethatwillneverexistever.env", "not found"],
    },
    {
        go: "godotenv_test.go TestErrorReadDirectory",
        name: "an env_file that is a directory is an error",
        files: { "fixtures/x": "", "compose.yaml": service("    env_file: fixtures/\n") },
        error: ["compose.yaml", "services.web.env_file[0]", "fixtures"],
    },
    {
        go: "godotenv_test.go TestGetEnvFromFile",
        name: "an env file given that is a directory is an error",
        files: { ".env/x": "", "compose.yaml": service("") },
        options: { envFile: [".env"] },
        error: [".env", "directory"],
    },
    {
        go: "cli/options_test.go TestEnvVariablePrecedence (no value set in environment)",
        name: ".env variables see the ones above them",
        files: { ".env": "FOO=foo\nBAR=${FOO}", "compose.yaml": service("    labels: { foo: $FOO, bar: $BAR }\n") },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.labels, { foo: "foo", bar: "foo" }),
    },
    {
        go: "cli/options_test.go TestEnvVariablePrecedence (conflict with value set in environment)",
        name: "in .env, ${FOO} is the environment's FOO before the file's",
        files: { ".env": "FOO=foo\nBAR=${FOO}", "compose.yaml": service("    labels: { foo: $FOO, bar: $BAR }\n") },
        options: { env: { FOO: "zot" } },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.labels, { foo: "zot", bar: "zot" }),
    },
    {
        go: "cli/options_test.go TestProjectWithDotEnv",
        name: "the project's .env is used for interpolation",
        files: { ".env": "PUBLIC_PORT=8000\n", "compose.yaml": "services:\n  simple:\n    image: nginx\n    ports:\n    - ${PUBLIC_PORT}:80\n" },
        options: { projectName: "my_project" },
        expect: (spec) => assert.strictEqual(spec.services.simple.ports[0].published, 8000),
    },
    {
        go: "cli/options_test.go TestProjectWithMultipleEnvFile",
        name: "several env files: the later one wins; env_file files in order",
        files: {
            ".env": "COMPOSE_FILE=compose-with-env-file.yaml\nCOMPOSE_PROJECT_NAME=my_project_from_dot_env\nPORT=8000\n",
            "override.env": "PORT=9000\n",
            "simple-env": "DEFAULT_PORT=8080\n",
            "second-env": "DEFAULT_PORT=9090\n",
            "compose.yaml": 'version: "3"\nservices:\n  simple:\n    image: nginx\n    env_file:\n      - ./simple-env\n      - ./second-env\n    ports:\n    - ${PORT}:80\n',
        },
        options: { envFile: [".env", "override.env"] },
        expect: (spec) => {
            assert.strictEqual(spec.services.simple.environment.DEFAULT_PORT, "9090");
            assert.strictEqual(spec.services.simple.ports[0].published, 9000);
        },
    },
    {
        go: "godotenv_test.go TestMultipleFiles",
        name: "each env file sees its own earlier lines before the earlier files'",
        files: {
            "base.env": '\nENV_HOSTNAME=localhost\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
            "override.env": '\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
            "compose.yaml": service("    labels: { host: $ENV_HOSTNAME, url: $ENV_MY_URL }\n"),
        },
        options: { envFile: ["base.env", "override.env"] },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.labels, { host: "dev.my-company.com", url: "http://dev.my-company.com" }),
    },
    {
        go: "godotenv_test.go TestMultipleFiles (with an OS environment)",
        name: "the environment comes first in ${...} of every env file",
        files: {
            "base.env": '\nENV_HOSTNAME=localhost\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
            "override.env": '\nENV_HOSTNAME=dev.my-company.com\nENV_MY_URL="http://${ENV_HOSTNAME}"\n',
            "compose.yaml": service("    labels: { url: $ENV_MY_URL }\n"),
        },
        options: { envFile: ["base.env", "override.env"], env: { ENV_HOSTNAME: "host.local" } },
        expect: (spec) => assert.deepStrictEqual(spec.services.web.labels, { url: "http://host.local" }),
    },

    // A service's env_file and environment.
    {
        go: "loader_test.go TestLoadServiceWithEnvFile",
        name: "${VAR} in an env_file is looked up in the project environment",
        files: { "test.env": "HALLO=$TEST", "compose.yaml": "services:\n  test:\n    image: x\n    env_file:\n      - path: test.env\n        required: true\n" },
        options: { env: { TEST: "YES" } },
        expect: (spec) => assert.strictEqual(env(spec, "test").HALLO, "YES"),
    },
    {
        go: "loader_test.go TestDiscardEnvFileOption",
        name: "env files in order, a missing optional one skipped",
        files: {
            "example1.env":
                "# passed through\nFOO=foo_from_env_file\nENV.WITH.DOT=ok\nENV_WITH_UNDERSCORE=ok\n\n# overridden in example2.env\nBAR=bar_from_env_file\n\n# overridden in full-example.yml\nBAZ=baz_from_env_file\n",
            "example2.env": "BAR=bar_from_env_file_2\n\n# overridden in configDetails.Environment\nQUX=quz_from_env_file_2\n",
            "compose.yaml": "name: test\nservices:\n  web:\n    image: nginx\n    env_file:\n     - example1.env\n     - path: example2.env\n       required: false\n",
        },
        expect: (spec) =>
            assert.deepStrictEqual(env(spec), {
                FOO: "foo_from_env_file",
                BAZ: "baz_from_env_file",
                BAR: "bar_from_env_file_2",
                QUX: "quz_from_env_file_2",
                "ENV.WITH.DOT": "ok",
                ENV_WITH_UNDERSCORE: "ok",
            }),
    },
    {
        go: "loader_test.go TestLoadEnvironmentWithBoolean",
        name: "booleans in an environment map are strings",
        files: { "compose.yaml": "name: load-environment-with-boolean\nservices:\n  dict-env:\n    image: busybox\n    environment:\n      FOO: true\n      BAR: false\n" },
        expect: (spec) => assert.deepStrictEqual(env(spec, "dict-env"), { FOO: "true", BAR: "false" }),
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentBoolean",
        name: "booleans in an environment map are strings",
        files: { "compose.yaml": "name: test\nservices:\n  foo:\n    image: alpine\n    environment:\n      FOO: true\n      BAR: false\n" },
        expect: (spec) => assert.deepStrictEqual(env(spec, "foo"), { FOO: "true", BAR: "false" }),
    },
    {
        go: "loader_test.go TestInvalidEnvironmentValue",
        name: "a list as a value is an error",
        files: { "compose.yaml": 'name: invalid-environment-value\nservices:\n  dict-env:\n    image: busybox\n    environment:\n      FOO: ["1"]\n' },
        error: ["compose.yaml", "services.dict-env.environment.FOO"],
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentInvalidValue",
        name: "a list as a value is an error",
        files: { "compose.yaml": 'name: test\nservices:\n  foo:\n    image: alpine\n    environment:\n      FOO: ["1"]\n' },
        error: ["compose.yaml", "services.foo.environment.FOO"],
    },
    {
        go: "loader_test.go TestInvalidEnvironmentObject",
        name: "a string as environment is an error",
        files: { "compose.yaml": 'name: invalid-environment-object\nservices:\n  dict-env:\n    image: busybox\n    environment: "FOO=1"\n' },
        error: ["compose.yaml", "services.dict-env.environment"],
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentInvalidObject",
        name: "a string as environment is an error",
        files: { "compose.yaml": 'name: test\nservices:\n  foo:\n    image: alpine\n    environment: "FOO=1"\n' },
        error: ["compose.yaml", "services.foo.environment"],
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentWhitespace",
        name: "KEY = value in an environment list is an error, not a variable named 'KEY '",
        files: { "compose.yaml": "name: test\nservices:\n  test:\n    image: x\n    environment:\n      - DEBUG = true\n" },
        error: ["compose.yaml:6", "services.test.environment[0]", 'environment variable "DEBUG " is declared with a trailing space'],
    },

    // Secrets and configs from a variable: resolved while loading, from the project environment.
    {
        go: "loader/tests/secrets_test.go TestTopLevelSecrets",
        name: "secret4 from the variable BAR has its value; secret5's absolute file is kept",
        files: {
            "compose.yaml": `name: test
services:
  foo:
    image: alpine
secrets:
  secret1:
    file: ./secret_data
    labels:
      foo: bar
  secret2:
    external:
      name: my_secret
  secret3:
    external: true
  secret4:
    name: bar
    environment: BAR
    x-bar: baz
    x-foo: bar
  secret5:
    file: /abs/secret_data
`,
        },
        options: { env: { BAR: "this is a secret" } },
        expect: (spec) => {
            assert.deepStrictEqual(spec.secrets.secret1.labels, { foo: "bar" });
            assert.strictEqual(spec.secrets.secret2.name, "my_secret");
            assert.strictEqual(spec.secrets.secret2.external, true);
            assert.strictEqual(spec.secrets.secret3.external, true);
            assert.strictEqual(spec.secrets.secret4.name, "bar");
            assert.strictEqual(spec.secrets.secret4.content, "this is a secret");
            assert.strictEqual(spec.secrets.secret5.file, "/abs/secret_data");
        },
    },
    {
        go: "loader/tests/secrets_test.go TestSecretEnvironmentResolution",
        name: "a config and a secret from variables have their values",
        files: { "compose.yaml": "name: test\nservices:\n  foo:\n    image: alpine\nconfigs:\n  config:\n    environment: GA\nsecrets:\n  secret:\n    environment: MEU\n" },
        options: { env: { GA: "BU", MEU: "Shadoks" } },
        expect: (spec) => {
            assert.strictEqual(spec.configs.config.content, "BU");
            assert.strictEqual(spec.secrets.secret.content, "Shadoks");
        },
    },
    {
        go: "paths/resolve_test.go TestResolveConfigsSecrets",
        name: "~ in a secret's file is the home directory; inline and variable sources carry no file",
        files: {
            "compose.yaml": `services:
  web:
    image: x
configs:
  from_file:
    file: ./app.conf
  absolute:
    file: /other/app.conf
  inline:
    content: hello
  from_env:
    environment: APP_CONF
secrets:
  from_file:
    file: ~/secret.txt
  from_env:
    environment: SECRET
`,
        },
        options: { env: { APP_CONF: "conf", SECRET: "s" } },
        expect: (spec, dir) => {
            assert.strictEqual(spec.configs.from_file.file, path.join(dir, "app.conf"));
            assert.strictEqual(spec.configs.absolute.file, "/other/app.conf");
            assert.strictEqual(spec.configs.inline.content, "hello");
            assert.strictEqual(spec.secrets.from_file.file, "/home/u/secret.txt");
            assert.strictEqual(spec.configs.from_env.file, undefined);
            assert.strictEqual(spec.secrets.from_env.file, undefined);
        },
    },
    {
        go: "paths/resolve_test.go TestResolveEnvAndLabelFiles",
        name: "env_file paths: relative to the project, absolute kept, ~ the home directory",
        files: {
            "a.env": "A=a\n",
            "compose.yaml": "services:\n  web:\n    image: x\n    env_file:\n      - path: ./a.env\n      - path: ./b.env\n        required: false\n      - path: ~/d.env\n",
        },
        setup: (home) => {
            fs.writeFileSync(path.join(home, "d.env"), "D=d\n");
            return { homeDir: home, allowedPaths: [home] };
        },
        expect: (spec) => assert.deepStrictEqual(env(spec), { A: "a", D: "d" }),
    },
];

const DIFFERS_LOAD: DiffersLoadCase[] = [
    {
        go: "loader_test.go TestLoadWithEnvironment",
        reason:
            "compose-go keeps ZO (no value, unset in the environment) as a variable without a value, which Docker then unsets in the container; " +
            "dockyard's model has no such entry: ZO is left out, which is what the container gets",
        name: "a variable without a value takes it from the environment, or is left out",
        files: {
            "compose.yaml": `name: load-with-environment
services:
  dict-env:
    image: busybox
    environment:
      FOO: "1"
      BAR: 2
      GA: 2.5
      BU: ""
      ZO:
      MEU:
  list-env:
    image: busybox
    environment:
      - FOO=1
      - BAR=2
      - GA=2.5
      - BU=
      - ZO
      - MEU
`,
        },
        options: { env: { MEU: "Shadoks" } },
        expect: (spec) => {
            for (const s of ["dict-env", "list-env"]) assert.deepStrictEqual(env(spec, s), { FOO: "1", BAR: "2", GA: "2.5", BU: "", MEU: "Shadoks" });
        },
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentMap",
        reason: "ZO without a value, unset: left out of dockyard's model (compose-go keeps it without a value; Docker unsets it); jobs are not modelled",
        name: "a variable without a value takes it from the environment, or is left out",
        files: { "compose.yaml": 'name: test\nservices:\n  foo:\n    image: alpine\n    environment:\n      FOO: "1"\n      BAR: 2\n      GA: 2.5\n      BU: ""\n      ZO:\n      MEU:\n' },
        options: { env: { MEU: "Shadoks" } },
        expect: (spec) => assert.deepStrictEqual(env(spec, "foo"), { FOO: "1", BAR: "2", GA: "2.5", BU: "", MEU: "Shadoks" }),
    },
    {
        go: "loader/tests/environment_test.go TestEnvironmentList",
        reason: "ZO without a value, unset: left out of dockyard's model (compose-go keeps it without a value; Docker unsets it); jobs are not modelled",
        name: "a variable without a value takes it from the environment, or is left out",
        files: { "compose.yaml": "name: test\nservices:\n  foo:\n    image: alpine\n    environment:\n      - FOO=1\n      - BAR=2\n      - BU=\n      - ZO\n      - MEU\n" },
        options: { env: { MEU: "Shadoks" } },
        expect: (spec) => assert.deepStrictEqual(env(spec, "foo"), { FOO: "1", BAR: "2", BU: "", MEU: "Shadoks" }),
    },
];

/** paths/home_test.go TestExpandUser: `~` in the paths Compose resolves (env_file, secrets and configs `file`). */
const EXPAND_USER: readonly (readonly [string, string, string])[] = [
    ["home itself", "~", "<home>"],
    ["path below home", "~/data/db", "<home>/data/db"],
    ["trailing slash is cleaned", "~/data/", "<home>/data"],
    ["absolute path is untouched", "/srv/data", "/srv/data"],
    ["relative path is untouched", "./data", "./data"],
    ["tilde in the middle is untouched", "data/~/db", "data/~/db"],
    ["empty string is untouched", "", ""],
    ["another user's home is untouched", "~user/data", "~user/data"],
    ["another user's home alone is untouched", "~user", "~user"],
    ["tilde followed by a tilde is untouched", "~~/data", "~~/data"],
    ["path below home with the OS separator", "~/data", "<home>/data"],
];

describe("compose-go conformance: dotenv", () => {
    describe("~ in paths", () => {
        for (const [name, input, want] of EXPAND_USER) {
            it(`paths/home_test.go TestExpandUser (${name})`, () => assert.strictEqual(expandHome(input, "/home/u"), want.replace("<home>", "/home/u")));
        }
    });
    describe("parser", () => {
        for (const c of PARSE_CASES) it(title(c), () => runParse(c));
        describe("DIFFERS (dockyard decides otherwise)", () => {
            for (const c of DIFFERS_PARSE) {
                it(title(c), () => {
                    assert.ok(c.reason.length > 20);
                    runParse(c);
                });
            }
        });
    });
    describe("loader: project environment, env_file, environment, secrets and configs", () => {
        for (const c of LOAD_CASES) it(`${c.go}: ${c.name}`, () => runLoad(c));
        describe("DIFFERS (dockyard decides otherwise)", () => {
            for (const c of DIFFERS_LOAD) {
                it(`${c.go}: ${c.name}`, () => {
                    assert.ok(c.reason.length > 20);
                    runLoad(c);
                });
            }
        });
    });
});
