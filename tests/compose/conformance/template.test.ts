/**
 * compose-go conformance: the `template` package (variable substitution), the `interpolation`
 * package (a whole tree) and interpolation in the loader: `${COMPOSE_PROJECT_NAME}`, the
 * project name from the environment and from an interpolated `name:`, values cast after
 * interpolation.
 *
 * Each case is transcribed from a compose-go v2 test (github.com/compose-spec/compose-go, read
 * at v2.17.0): its input and the result it asserts; `go` names the file and test function. Cases
 * where dockyard decides to differ are in the `DIFFERS` tables, with the reason, asserting what
 * dockyard does instead. Go tests of APIs dockyard has no counterpart of (custom substitution and
 * replacement functions, `ExtractVariables`, path patterns of the type casts) are left out.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { ComposeWarning, LoadComposeOptions, interpolate, interpolateTree, loadCompose } from "../../../components/compose";
import { SpecError } from "../../../components/spec/errors";
import { AppSpec } from "../../../components/spec/types";

/** template_test.go's `defaults`. */
const DEFAULTS: Readonly<Record<string, string>> = { FOO: "first", BAR: "", JSON: `{"json":2}` };

interface TemplateCase {
    readonly go: string;
    readonly template: string;
    /** The variables. @default DEFAULTS */
    readonly env?: Readonly<Record<string, string>>;
    readonly expect?: string;
    /** The variables reported unset (compose-go's warnings), in order. */
    readonly unset?: readonly string[];
    /** The substitution fails with a SpecError whose message holds each of these. */
    readonly error?: readonly string[];
}

function substitute(template: string, env: Readonly<Record<string, string>>, unset: string[] = []): string {
    const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
    return interpolate(template, lookup, { file: "compose.yaml", path: "services.web.image", onUnset: (n) => unset.push(n) });
}

function runTemplate(c: TemplateCase): void {
    const env = c.env ?? DEFAULTS;
    if (c.error) {
        let caught: unknown;
        let result: string | undefined;
        try {
            result = substitute(c.template, env);
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? `no error but ${JSON.stringify(result)}` : String(caught)}`);
        for (const part of c.error) assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        return;
    }
    const unset: string[] = [];
    assert.strictEqual(substitute(c.template, env, unset), c.expect);
    if (c.unset) assert.deepStrictEqual(unset, c.unset);
}

const ok = (go: string, template: string, expect: string, env?: Record<string, string>): TemplateCase => ({ go: `template_test.go ${go}`, template, expect, ...(env ? { env } : {}) });
const fails = (go: string, template: string, ...error: string[]): TemplateCase => ({ go: `template_test.go ${go}`, template, error });

/**
 * TestSubstitutionFunctionChoice asserts which operator getSubstitutionFunctionForTemplate picks
 * for `VARNAME<op>…`: the first one after the name. What each operator does with VARNAME empty
 * and then unset tells them apart: `:?` fails twice, `?` fails when unset, `:-` takes the
 * operand twice, `-` when unset, `+` when empty (set), `:+` never.
 */
function choice(input: string, symbol: ":?" | "?" | ":-" | "-" | ":+" | "+"): TemplateCase[] {
    const operand = input.slice("VARNAME".length + symbol.length);
    const go = `template_test.go TestSubstitutionFunctionChoice (${input} picks ${symbol})`;
    const whenEmpty = { ":?": null, "?": "", ":-": operand, "-": "", ":+": "", "+": operand }[symbol];
    const whenUnset = { ":?": null, "?": null, ":-": operand, "-": operand, ":+": "", "+": "" }[symbol];
    const one = (env: Record<string, string>, result: string | null, state: string): TemplateCase =>
        result === null
            ? { go: `${go}, VARNAME ${state}`, template: `\${${input}}`, env, error: ["required variable VARNAME is missing a value"] }
            : { go: `${go}, VARNAME ${state}`, template: `\${${input}}`, env, expect: result };
    return [one({ VARNAME: "" }, whenEmpty, "empty"), one({}, whenUnset, "unset")];
}

const TEMPLATE_CASES: TemplateCase[] = [
    ok("TestEscaped", "$${foo}", "${foo}"),
    ok("TestSubstituteNoMatch", "foo", "foo"),
    ...["a $ string", "^REGEX$", "$}", "$"].map((t) => ok("TestUnescaped", t, t)),
    ...["${", "${}", "${ }", "${ foo}", "${foo }", "${foo!}"].map((t) => fails("TestInvalid", t, "invalid interpolation", "services.web.image")),
    ok("TestNonBraced", "$FOO-bar", "first-bar"),
    ...["This ${missing} var", "This ${BAR} var"].map((t) => ok("TestNoValueNoDefault", t, "This  var")),
    ...["This $FOO var", "This ${FOO} var"].map((t) => ok("TestValueNoDefault", t, "This first var")),
    ...["ok ${missing:-def}", "ok ${missing-def}"].map((t) => ok("TestNoValueWithDefault", t, "ok def")),
    { go: "template_test.go TestLazyDefaultDoesNotWarn", template: "${A:+${A},}B", expect: "B", unset: [] },
    { go: "template_test.go TestLazyDefaultWarnsWhenUsed", template: "${A:-${B}}", expect: "", unset: ["B"] },
    { go: "template_test.go TestLazyRequiredMessageDoesNotWarn", template: "${A?${B}}", env: { A: "value" }, expect: "value", unset: [] },
    ok("TestEmptyValueWithSoftDefault", "ok ${BAR:-def}", "ok def"),
    ok("TestValueWithSoftDefault", "ok ${FOO:-def}", "ok first"),
    ok("TestEmptyValueWithHardDefault", "ok ${BAR-def}", "ok "),
    ok("TestPresentValueWithUnset", "ok ${UNSET_VAR:+presence_value}", "ok "),
    ok("TestPresentValueWithUnset2", "ok ${UNSET_VAR+presence_value}", "ok "),
    ok("TestPresentValueWithNonEmpty", "ok ${FOO:+presence_value}", "ok presence_value"),
    ok("TestPresentValueAndNonEmptyWithNonEmpty", "ok ${FOO+presence_value}", "ok presence_value"),
    ok("TestPresentValueWithSet", "ok ${BAR+presence_value}", "ok presence_value"),
    ok("TestPresentValueAndNotEmptyWithSet", "ok ${BAR:+presence_value}", "ok "),
    ok("TestNonAlphanumericDefault", "ok ${BAR:-/non:-alphanumeric}", "ok /non:-alphanumeric"),
    ...([
        ["-ok ${BAR:-defaultValue}", "-ok defaultValue"],
        ["+ok ${UNSET:-${BAR-defaultValue}}", "+ok "],
        ["-ok ${FOO:-defaultValue}", "-ok first"],
        [":-ok ${UNSET-defaultValue}", ":-ok defaultValue"],
        [":-ok ${BAR-defaultValue}", ":-ok "],
        [":?ok ${BAR-defaultValue}", ":?ok "],
        [":?ok ${BAR:-defaultValue}", ":?ok defaultValue"],
        [":+ok ${BAR:-defaultValue}", ":+ok defaultValue"],
        ["+ok ${BAR-defaultValue}", "+ok "],
        ["?ok ${BAR:-defaultValue}", "?ok defaultValue"],
    ] as const).map(([t, e]) => ok("TestInterpolationExternalInterference", t, e)),
    ...([
        ["ok ${UNSET_VAR-$FOO}", "ok first"],
        ["ok ${UNSET_VAR-${FOO}}", "ok first"],
        ["ok ${UNSET_VAR-${FOO} ${FOO}}", "ok first first"],
        ["ok ${BAR:-$FOO}", "ok first"],
        ["ok ${BAR:-${FOO}}", "ok first"],
        ["ok ${BAR:-${FOO} ${FOO}}", "ok first first"],
        ["ok ${BAR+$FOO}", "ok first"],
        ["ok ${BAR+$FOO ${FOO:+second}}", "ok first second"],
    ] as const).map(([t, e]) => ok("TestDefaultsWithNestedExpansion", t, e)),
    ...([
        ["not ok ${UNSET_VAR:?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset"],
        ["not ok ${BAR:?Mandatory Variable Empty}", "required variable BAR is missing a value: Mandatory Variable Empty"],
        ["not ok ${UNSET_VAR:?}", "required variable UNSET_VAR is missing a value"],
        ["not ok ${UNSET_VAR?Mandatory Variable Unset}", "required variable UNSET_VAR is missing a value: Mandatory Variable Unset"],
        ["not ok ${UNSET_VAR?}", "required variable UNSET_VAR is missing a value"],
    ] as const).map(([t, e]) => fails("TestMandatoryVariableErrors", t, e)),
    ...([
        ["not ok ${UNSET_VAR:?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first"],
        ["not ok ${UNSET_VAR?Mandatory Variable ${FOO}}", "required variable UNSET_VAR is missing a value: Mandatory Variable first"],
    ] as const).map(([t, e]) => fails("TestMandatoryVariableErrorsWithNestedExpansion", t, e)),
    ...([
        ["ok ${FOO:?err}", "ok first"],
        ["ok ${FOO?err}", "ok first"],
        ["ok ${BAR?err}", "ok "],
    ] as const).map(([t, e]) => ok("TestDefaultsForMandatoryVariables", t, e)),
    ok("TestSubstituteWithReplacementFunc (the default substitution)", "ok ${SUBDOMAIN:-redis}.${FOO:?}", "ok redis.first"),
    fails("TestPrecedence", "${UNSET_VAR?bar-baz}", "required variable UNSET_VAR is missing a value: bar-baz"),
    ok("TestPrecedence", "${UNSET_VAR-myerror?msg}", "myerror?msg"),
    ok("TestPrecedence", "${FOO?bar-baz}", "first"),
    ok("TestPrecedence", "${BAR:-default_value_for_empty_var}", "default_value_for_empty_var"),
    ok("TestPrecedence", "${UNSET_VAR-default_value_for_unset_var}", "default_value_for_unset_var"),
    ...choice("VARNAME:?val?ue", ":?"),
    ...choice("VARNAME?val:?ue", "?"),
    ...choice("VARNAME?va-lu+e:?e", "?"),
    ...choice("VARNAME?va+lu-e:?e", "?"),
    ...choice("VARNAME:-value", ":-"),
    ...choice("VARNAME-va:-lu:?e", "-"),
    ...choice("VARNAME-va+lu?e", "-"),
    ...choice("VARNAME-va?lu+e", "-"),
    ...choice("VARNAME:+va:?lu:-e", ":+"),
    ...choice("VARNAME+va:+lue", "+"),
    ...choice("VARNAME+va?lu-e", "+"),
    ...choice("VARNAME+va-lu?e", "+"),
    ...[`ok \${missing:-{"json":1}}`, `ok \${missing-{"json":1}}`].map((t) => ok("TestNoValueWithCurlyBracesDefault", t, `ok {"json":1}`)),
    ...[`ok \${JSON:-{"json":1}}`, `ok \${JSON-{"json":1}}`].map((t) => ok("TestValueWithCurlyBracesDefault", t, `ok {"json":2}`)),
];

// interpolation_test.go: a whole tree, errors naming the path.
const INTERPOLATION_DEFAULTS: Readonly<Record<string, string>> = { USER: "jenny", FOO: "bar", count: "5", REQUIRED: "true" };

function interpolateConfig(tree: unknown, env: Readonly<Record<string, string>>): unknown {
    const lookup = (name: string) => (Object.prototype.hasOwnProperty.call(env, name) ? env[name] : undefined);
    return interpolateTree(tree, lookup, "compose.yaml", () => undefined);
}

interface TreeCase {
    readonly go: string;
    readonly value: string;
    readonly env: Readonly<Record<string, string>>;
    readonly expect?: string;
    /** The message of compose-go's error after "required variable FOO is missing a value: ". */
    readonly errMsg?: string;
}

const serviceConfig = (v: string) => ({ myservice: { environment: { TESTVAR: v } } });

const TREE_CASES: TreeCase[] = [
    ...([
        ["{{{ ${FOO:-foo_} }}}", "{{{ foo_ }}}"],
        ["{{{ ${FOO:-foo-bar-value} }}}", "{{{ foo-bar-value }}}"],
        ["{{{ ${FOO:-foo?bar?value} }}}", "{{{ foo?bar?value }}}"],
        ["{{{ ${FOO:-foo:?bar:?value} }}}", "{{{ foo:?bar:?value }}}"],
        ["{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}", "{{{ foo DEFAULT_VALUE }}}"],
        ["{{{ ${BAR} }}}", "{{{  }}}"],
        ["${FOO:-baz} }}}", "baz }}}"],
        ["${FOO-baz} }}}", "baz }}}"],
        ["{{{ ${BAR} }}}", "{{{  }}}"],
        ["${FOO:-${BAR:-${ZOT:-qix}}}", "qix"],
        ["${FOO:-${BAR:-x}_test_${BAR:-y}}", "x_test_y"],
        ["${FOO:-${BAR:-x}_test}", "x_test"],
        ["${FOO:-${BAR:-${ZOT:-x}}_test}", "x_test"],
    ] as const).map(([value, expect]): TreeCase => ({ go: "interpolation_test.go TestValidUnexistentInterpolation", value, env: {}, expect })),
    ...([
        ["{{{ ${FOO:?foo_} }}}", "foo_"],
        ["{{{ ${FOO:?foo-bar-value} }}}", "foo-bar-value"],
        ["{{{ ${FOO:?foo} ${BAR:-DEFAULT_VALUE} }}}", "foo"],
        ["${FOO:?foo} ${BAR:?bar}", "foo"],
        ["${FOO:?baz} }}}", "baz"],
        ["${FOO?baz} }}}", "baz"],
    ] as const).map(([value, errMsg]): TreeCase => ({ go: "interpolation_test.go TestValidUnexistentInterpolation", value, env: {}, errMsg })),
    ...([
        ["{{{ ${FOO:-foo_} }}}", "{{{ bar }}}"],
        ["{{{ ${FOO:-foo-bar-value} }}}", "{{{ bar }}}"],
        ["{{{ ${FOO:-foo} ${BAR:-DEFAULT_VALUE} }}}", "{{{ bar DEFAULT_VALUE }}}"],
        ["{{{ ${BAR} }}}", "{{{  }}}"],
        ["${FOO:-baz} }}}", "bar }}}"],
        ["${FOO-baz} }}}", "bar }}}"],
        ["{{{ ${FOO:-foo_} }}}", "{{{ bar }}}"],
        ["{{{ ${FOO:-foo-bar-value} }}}", "{{{ bar }}}"],
        ["{{{ ${FOO:-foo} ${USER:-bar} }}}", "{{{ bar jenny }}}"],
        ["{{{ ${USER} }}}", "{{{ jenny }}}"],
        ["${FOO:-baz} }}}", "bar }}}"],
        ["${FOO-baz} }}}", "bar }}}"],
    ] as const).map(([value, expect]): TreeCase => ({ go: "interpolation_test.go TestValidExistentInterpolation", value, env: INTERPOLATION_DEFAULTS, expect })),
];

function runTree(c: TreeCase): void {
    if (c.errMsg !== undefined) {
        let caught: unknown;
        try {
            interpolateConfig(serviceConfig(c.value), c.env);
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${String(caught)}`);
        for (const part of ["myservice.environment.TESTVAR", `required variable FOO is missing a value: ${c.errMsg}`]) {
            assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        }
        return;
    }
    assert.deepStrictEqual(interpolateConfig(serviceConfig(c.value), c.env), serviceConfig(c.expect!));
}

/** A case of the loader: `files` written to a fresh directory and loaded with `options` (the environment empty unless given). */
interface LoadCase {
    readonly go: string;
    readonly name: string;
    readonly files: Readonly<Record<string, string>>;
    /** The Compose files loaded, in order. @default ["compose.yaml"] */
    readonly load?: readonly string[];
    readonly options?: LoadComposeOptions;
    readonly expect?: (spec: AppSpec) => void;
    readonly error?: readonly string[];
}

interface DiffersLoadCase extends LoadCase {
    readonly reason: string;
}

function runLoad(c: LoadCase): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-template-"));
    for (const [name, text] of Object.entries(c.files)) {
        fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
        fs.writeFileSync(path.join(dir, name), text);
    }
    const options: LoadComposeOptions = { env: {}, homeDir: "/home/u", onWarning: (_w: ComposeWarning) => undefined, ...c.options };
    // `env: undefined` in a case: the loader's default, the process environment.
    if (options.env === undefined) delete (options as { env?: unknown }).env;
    const load = () => loadCompose((c.load ?? ["compose.yaml"]).map((f) => path.join(dir, f)), options);
    if (c.error) {
        let caught: unknown;
        try {
            load();
        } catch (e) {
            caught = e;
        }
        assert.ok(caught instanceof SpecError, `expected a SpecError, got ${caught === undefined ? "no error" : String(caught)}`);
        for (const part of c.error) assert.ok(caught.message.includes(part), `message ${JSON.stringify(caught.message)} should contain ${JSON.stringify(part)}`);
        return;
    }
    c.expect?.(load());
}

const WEB_WITH_PROJECT_NAME = "services:\n  web:\n    image: web\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n    environment: [COMPOSE_PROJECT_NAME]\n";

/** TestLoadProjectName: the name, `${COMPOSE_PROJECT_NAME}` in the file and COMPOSE_PROJECT_NAME of the project environment. */
function projectNamed(spec: AppSpec, name: string): void {
    assert.strictEqual(spec.name, name);
    assert.strictEqual(spec.services.web.containerName, `${name}-web`);
    assert.strictEqual(spec.services.web.environment.COMPOSE_PROJECT_NAME, name);
}

const LOAD_CASES: LoadCase[] = [
    {
        go: "interpolation_test.go TestInterpolate",
        name: "$VAR and ${VAR} in strings, lists and nested mappings",
        // The volume is declared: dockyard checks that a service's volumes exist.
        files: { "compose.yaml": "services:\n  servicea:\n    image: example:${USER}\n    volumes: [\"$FOO:/target\"]\n    logging:\n      driver: ${FOO}\n      options:\n        user: $USER\nvolumes:\n  bar:\n" },
        options: { env: { ...INTERPOLATION_DEFAULTS } },
        expect: (spec) => {
            const s = spec.services.servicea;
            assert.strictEqual(s.image, "example:jenny");
            assert.strictEqual((s.mounts[0] as { source?: string }).source, "bar");
            assert.strictEqual(s.logging?.driver, "bar");
            assert.deepStrictEqual(s.logging?.options, { user: "jenny" });
        },
    },
    {
        go: "interpolation_test.go TestInvalidInterpolation",
        name: "an invalid template is an error naming the path and the value",
        files: { "compose.yaml": "services:\n  servicea:\n    image: \"${\"\n" },
        error: ["compose.yaml:3", "services.servicea.image", "invalid interpolation", '"${"'],
    },
    {
        go: "interpolation_test.go TestInterpolateWithDefaults",
        name: "without an environment given, the process environment is used",
        files: { "compose.yaml": "services:\n  web:\n    image: x\nnetworks:\n  foo:\n    name: thing_${DOCKYARD_CONFORMANCE_FOO}\n" },
        options: { env: undefined },
        expect: (spec) => assert.strictEqual(spec.networks.foo.name, "thing_BARZ"),
    },
    {
        go: "interpolation_test.go TestInterpolateWithCast",
        name: "interpolated numbers and booleans are cast",
        files: { "compose.yaml": "services:\n  foo:\n    image: x\n    read_only: $REQUIRED\n    deploy:\n      replicas: $count\n" },
        options: { env: { ...INTERPOLATION_DEFAULTS } },
        expect: (spec) => {
            assert.strictEqual(spec.services.foo.replicas, 5);
            assert.strictEqual(spec.services.foo.readOnly, true);
        },
    },
    {
        go: "loader_test.go TestLoadWithEnvironmentInterpolation",
        name: "labels, a network's and a volume's driver; a comment's ${...} is not interpolated",
        files: {
            "compose.yaml": `
# This is a comment, so using variable syntax here \${SHOULD_NOT_BREAK} parsing
name: load-with-environment-interpolation
services:
  test:
    image: busybox
    labels:
      - home1=$HOME
      - home2=\${HOME}
      - nonexistent=$NONEXISTENT
      - default=\${NONEXISTENT-default}
    networks: [test]
    volumes: ["test:/data"]
networks:
  test:
    driver: $HOME
volumes:
  test:
    driver: $HOME
`,
        },
        options: { env: { HOME: "/home/foo", FOO: "foo" } },
        expect: (spec) => {
            assert.deepStrictEqual(spec.services.test.labels, { home1: "/home/foo", home2: "/home/foo", nonexistent: "", default: "default" });
            assert.strictEqual(spec.networks.test.driver, "/home/foo");
            assert.strictEqual(spec.volumes.test.driver, "/home/foo");
        },
    },
    {
        go: "loader_test.go TestInterpolateInt",
        name: "scale: ${FOO_SCALE} is a number",
        files: { "compose.yaml": "name: interpolate-int\nservices:\n  foo:\n    image: foo\n    scale: ${FOO_SCALE}\n" },
        options: { env: { FOO_SCALE: "2" } },
        expect: (spec) => assert.strictEqual(spec.services.foo.replicas, 2),
    },
    {
        go: "loader_test.go TestProjectNameInterpolation (project name simple interpolation)",
        name: "${COMPOSE_PROJECT_NAME} is the name: of the file",
        files: { "compose.yaml": "name: interpolated\nservices:\n  web:\n    image: web\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n" },
        expect: (spec) => assert.strictEqual(spec.services.web.containerName, "interpolated-web"),
    },
    {
        go: "loader_test.go TestProjectNameInterpolation (project name interpolation with override)",
        name: "${COMPOSE_PROJECT_NAME} is the last name: of the files, in every file",
        files: {
            "compose.yaml": "name: interpolated\nservices:\n  web:\n    image: web\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n",
            "compose2.yaml": "name: overrided\nservices:\n  db:\n    image: db\n    container_name: ${COMPOSE_PROJECT_NAME}-db\n",
            "compose3.yaml": "services:\n  proxy:\n    image: proxy\n    container_name: ${COMPOSE_PROJECT_NAME}-proxy\n",
        },
        load: ["compose.yaml", "compose2.yaml", "compose3.yaml"],
        expect: (spec) => {
            assert.strictEqual(spec.services.web.containerName, "overrided-web");
            assert.strictEqual(spec.services.db.containerName, "overrided-db");
            assert.strictEqual(spec.services.proxy.containerName, "overrided-proxy");
        },
    },
    {
        go: "loader_test.go TestProjectNameInterpolation (project name override)",
        name: "${COMPOSE_PROJECT_NAME} is the name given over name:",
        files: { "compose.yaml": "name: another_name\nservices:\n  web:\n    image: web\n    container_name: ${COMPOSE_PROJECT_NAME}-web\n" },
        options: { projectName: "interpolated" },
        expect: (spec) => assert.strictEqual(spec.services.web.containerName, "interpolated-web"),
    },
    {
        go: "loader_test.go TestLoadProjectName (project name from options, not explicitly set; no env)",
        name: "the directory's name (what the cli gives when not explicit)",
        files: { "testproject/compose.yaml": WEB_WITH_PROJECT_NAME },
        load: ["testproject/compose.yaml"],
        expect: (spec) => projectNamed(spec, "testproject"),
    },
    {
        go: "loader_test.go TestLoadProjectName (project name from options, explicitly set; no env)",
        name: "the name given",
        files: { "compose.yaml": WEB_WITH_PROJECT_NAME },
        options: { projectName: "testproject" },
        expect: (spec) => projectNamed(spec, "testproject"),
    },
    {
        go: "loader_test.go TestLoadProjectName (project name from options, not explicitly set; empty env)",
        name: "the directory's name, with an empty environment",
        files: { "testproject/compose.yaml": WEB_WITH_PROJECT_NAME },
        load: ["testproject/compose.yaml"],
        options: { env: {} },
        expect: (spec) => projectNamed(spec, "testproject"),
    },
    {
        go: "loader_test.go TestLoadProjectName (project name from options, explicitly set; empty env)",
        name: "the name given, with an empty environment",
        files: { "compose.yaml": WEB_WITH_PROJECT_NAME },
        options: { projectName: "testproject", env: {} },
        expect: (spec) => projectNamed(spec, "testproject"),
    },
    {
        go: "loader_test.go TestInvalidProjectNameType",
        name: "name: 123 is an error",
        files: { "compose.yaml": "name: 123" },
        error: ["compose.yaml", "name"],
    },
    {
        go: "cli/options_test.go TestProjectName (by COMPOSE_PROJECT_NAME)",
        name: "COMPOSE_PROJECT_NAME of the environment names the project",
        files: { "simple/compose.yaml": "services:\n  simple:\n    image: nginx\n" },
        load: ["simple/compose.yaml"],
        options: { env: { COMPOSE_PROJECT_NAME: "my_project_from_env" } },
        expect: (spec) => assert.strictEqual(spec.name, "my_project_from_env"),
    },
    {
        go: "cli/options_test.go TestProjectName (by name start with number)",
        name: "COMPOSE_PROJECT_NAME may start with a digit",
        files: { "simple/compose.yaml": "services:\n  simple:\n    image: nginx\n" },
        load: ["simple/compose.yaml"],
        options: { env: { COMPOSE_PROJECT_NAME: "42my_project_env" } },
        expect: (spec) => assert.strictEqual(spec.name, "42my_project_env"),
    },
    {
        go: "cli/options_test.go TestProjectName (by .env)",
        name: "COMPOSE_PROJECT_NAME of .env names the project",
        files: {
            "env-file/.env": "COMPOSE_FILE=compose-with-env-file.yaml\nCOMPOSE_PROJECT_NAME=my_project_from_dot_env\nPORT=8000\n",
            "env-file/simple-env": "DEFAULT_PORT=8080\n",
            "env-file/compose-with-env-file.yaml": 'version: "3"\nservices:\n  simple:\n    image: nginx\n    env_file:\n      - ./simple-env\n    ports:\n    - 8000:80\n',
        },
        load: ["env-file/compose-with-env-file.yaml"],
        expect: (spec) => assert.strictEqual(spec.name, "my_project_from_dot_env"),
    },
    {
        go: "cli/options_test.go TestProjectName (by name in compose.yaml with variable)",
        name: "name: is interpolated",
        files: { "simple/compose-name.yaml": "name: test-${TEST}-test\nservices:\n  simple:\n    image: nginx\n" },
        load: ["simple/compose-name.yaml"],
        options: { env: { TEST: "expected" } },
        expect: (spec) => assert.strictEqual(spec.name, "test-expected-test"),
    },
];

const DIFFERS_LOAD: DiffersLoadCase[] = [
    {
        go: "interpolation_test.go TestInterpolateReportsAllErrors",
        reason: "compose-go joins the errors of every value; dockyard stops at the first, named with its file, path and line",
        name: "the first failing value is reported",
        files: { "compose.yaml": "services:\n  service:\n    image: x\n    environment:\n      TIMEZONE: ${TIMEZONE:?}\n    volumes:\n      - source: ${ACME_PATH:?}\n        target: /acme\n        type: bind\n" },
        error: ["compose.yaml:5", "services.service.environment.TIMEZONE", "required variable TIMEZONE is missing a value"],
    },
    {
        go: "interpolation_test.go TestInterpolateErrorsSortedByPath",
        reason: "compose-go reports every error, sorted by path; dockyard reports the first one it meets, in the order of the file",
        name: "the first failing value is reported",
        files: { "compose.yaml": 'services:\n  service:\n    image: x\n    labels:\n      aaa: "${"\n      zzz: "${MISSING:?required}"\n' },
        error: ["compose.yaml:5", "services.service.labels.aaa", "invalid interpolation"],
    },
    {
        go: "loader_test.go TestLoadProjectName (default)",
        reason: "compose-go's loader alone has no name then; loadCompose takes the directory's name, as docker compose (compose-go's cli) does",
        name: "without a name, the directory's",
        files: { "testproject/compose.yaml": WEB_WITH_PROJECT_NAME },
        load: ["testproject/compose.yaml"],
        expect: (spec) => projectNamed(spec, "testproject"),
    },
    {
        go: "loader_test.go TestLoadProjectName (project name from environment)",
        reason: "compose-go's loader leaves COMPOSE_PROJECT_NAME of the environment to its cli package; loadCompose reads it, as docker compose does",
        name: "COMPOSE_PROJECT_NAME of the environment names the project",
        files: { "compose.yaml": WEB_WITH_PROJECT_NAME },
        options: { env: { COMPOSE_PROJECT_NAME: "testproject" } },
        expect: (spec) => projectNamed(spec, "testproject"),
    },
];

describe("compose-go conformance: template and interpolation", () => {
    describe("template", () => {
        for (const c of TEMPLATE_CASES) it(`${c.go}: ${JSON.stringify(c.template)}`, () => runTemplate(c));
    });
    describe("interpolation of a tree", () => {
        for (const c of TREE_CASES) it(`${c.go}: ${JSON.stringify(c.value)}`, () => runTree(c));
    });
    describe("loader", () => {
        let saved: string | undefined;
        before(() => {
            // TestInterpolateWithDefaults sets FOO=BARZ in the process environment (under a name of ours).
            saved = process.env.DOCKYARD_CONFORMANCE_FOO;
            process.env.DOCKYARD_CONFORMANCE_FOO = "BARZ";
        });
        after(() => {
            if (saved === undefined) delete process.env.DOCKYARD_CONFORMANCE_FOO;
            else process.env.DOCKYARD_CONFORMANCE_FOO = saved;
        });
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
