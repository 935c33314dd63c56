/**
 * The Compose command line, through spawned `dockyard` processes: -f/--file, -p/--project-name,
 * --profile, --env-file; the default files (compose.yaml… here or above, with the override beside
 * it); COMPOSE_FILE, COMPOSE_PATH_SEPARATOR, COMPOSE_PROFILES, COMPOSE_PROJECT_NAME,
 * COMPOSE_ENV_FILES and COMPOSE_DISABLE_ENV_FILE from the environment or the .env file; flags
 * over environment over defaults, as `docker compose` has them.
 *
 * The cases marked "compose-go" are transcribed from compose-go's cli/options_test.go (its
 * testdata reproduced here in a scratch directory), with `docker compose` as the program that
 * applies the options: the process environment and the .env file are always read, as the CLI
 * reads them (compose-go's tests opt into WithOsEnv / WithDotEnv case by case).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { dockyard, dockyardThroughShebang, Run, scratch } from "./run";

/** What a plan (`render --target docker --plan --json`) says of the project. */
interface Seen {
    readonly app: string;
    /** Service names, sorted. */
    readonly services: string[];
    /** Image of each service. */
    readonly images: Record<string, string>;
    /** Environment of each service's first container, as NAME=value. */
    readonly envs: Record<string, string[]>;
    /** Published ports of each service's first container. */
    readonly ports: Record<string, number[]>;
}

interface Plan {
    app: string;
    names: { services: Record<string, string[]> };
    resources: { key: string; args: { name?: string; envs?: string[]; ports?: { external?: number }[] } }[];
}

function seen(r: Run): Seen {
    assert.strictEqual(r.code, 0, `exit ${r.code}: ${r.stderr}`);
    const plan = JSON.parse(r.stdout) as Plan;
    const services = Object.keys(plan.names.services).sort();
    const arg = (key: string) => plan.resources.find((x) => x.key === key)?.args;
    return {
        app: plan.app,
        services,
        images: Object.fromEntries(services.map((s) => [s, arg(`image/${s}`)?.name ?? ""])),
        envs: Object.fromEntries(services.map((s) => [s, arg(`container/${s}/1`)?.envs ?? []])),
        ports: Object.fromEntries(services.map((s) => [s, (arg(`container/${s}/1`)?.ports ?? []).map((p) => p.external ?? 0)])),
    };
}

/** The test runner's environment without any COMPOSE_* variable, plus `env`. */
function environment(env: Record<string, string> = {}): NodeJS.ProcessEnv {
    return { ...Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith("COMPOSE_"))), ...env };
}

const service = (name: string, body = "    image: nginx\n") => `  ${name}:\n${body}`;

/** compose-go's cli/testdata, and more. */
const FILES: Record<string, string> = {
    // compose-go cli/testdata/simple (its .env without COMPOSE_PROJECT_NAME: compose-go's tests that name the project after the directory do not read it).
    "simple/compose.yaml": `services:\n${service("simple")}`,
    "simple/compose-with-overrides.yaml": `services:\n${service("simple", "    image: haproxy\n")}`,
    "simple/compose-name.yaml": `name: test-\${TEST}-test\nservices:\n${service("simple")}`,
    "simple/compose-with-variables.yaml": `services:\n${service("simple", "    image: nginx\n    ports:\n    - \${PUBLIC_PORT}:80\n")}`,
    "simple/.env": "PUBLIC_PORT=8000\n",
    "UNNORMALIZED PATH/compose.yaml": `services:\n${service("simple")}`,
    // compose-go cli/testdata/env-file
    "env-file/.env": "COMPOSE_FILE=compose-with-env-file.yaml\nCOMPOSE_PROJECT_NAME=my_project_from_dot_env\nPORT=8000\n",
    "env-file/compose-with-env-file.yaml": `services:\n${service("simple", "    image: nginx\n    env_file: ./simple-env\n    ports:\n    - \${PORT}:80\n")}`,
    "env-file/compose-with-env-files.yaml": `services:\n${service("simple", "    image: nginx\n    env_file:\n      - ./simple-env\n      - ./second-env\n    ports:\n    - \${PORT}:80\n")}`,
    "env-file/simple-env": "DEFAULT_PORT=8080\n",
    "env-file/second-env": "DEFAULT_PORT=9090\n",
    "env-file/override.env": "PORT=9000\n",
    // compose-go TestEnvVariablePrecedence: a .env whose second variable uses the first.
    "precedence/.env": "FOO=foo\nBAR=${FOO}\n",
    "precedence/compose.yaml": `services:\n${service("web", "    image: nginx\n    environment:\n      FOO: \${FOO}\n      BAR: \${BAR}\n")}`,
    // Default files: compose.yaml before docker-compose.yml, the override beside it, found from a subdirectory.
    "found/compose.yaml": `services:\n${service("web")}${service("debug", "    image: busybox\n    profiles: [debug]\n")}${service("tools", "    image: alpine\n    profiles: [tools]\n")}`,
    "found/docker-compose.yml": `services:\n${service("legacy")}`,
    "found/compose.override.yml": `services:\n${service("web", "    image: nginx:1.28\n")}`,
    "found/compose.prod.yaml": `services:\n${service("web", "    image: nginx:1.29\n")}`,
    "found/deep/er/.keep": "",
    "dc/docker-compose.yaml": `services:\n${service("yaml")}`,
    "dc/docker-compose.yml": `services:\n${service("yml")}`,
    "dc/docker-compose.override.yaml": `services:\n${service("yml", "    image: nginx:override\n")}`,
    // COMPOSE_FILE, COMPOSE_PROFILES, COMPOSE_ENV_FILES and COMPOSE_PROJECT_NAME in a .env.
    "vars/.env": "COMPOSE_FILE=base.yaml:extra.yaml\nCOMPOSE_PROFILES=tools\nCOMPOSE_PROJECT_NAME=from_dot_env\nTAG=dotenv\n",
    "vars/base.yaml": `name: from_name\nservices:\n${service("web", "    image: nginx:\${TAG:-none}\n")}${service("tools", "    image: alpine\n    profiles: [tools]\n")}${service("debug", "    image: busybox\n    profiles: [debug]\n")}`,
    "vars/extra.yaml": `services:\n${service("extra")}`,
    "vars/other.yaml": `services:\n${service("other")}`,
    "vars/a.env": "TAG=a\n",
    "vars/b.env": "TAG=b\n",
    // Compose file version 1: services at the top level.
    "v1/docker-compose.yml": "web:\n  image: nginx\n  net: host\n  links: [db]\ndb:\n  image: postgres\n",
    // A working directory whose .env names the files of another directory, with a .env of its own.
    "outer/.env": "COMPOSE_FILE=../outer-project/compose.yaml\nCOMPOSE_PROJECT_NAME=from_outer\n",
    "outer-project/.env": "COMPOSE_PROJECT_NAME=from_inner\nTAG=inner\n",
    "outer-project/compose.yaml": `services:\n${service("web", "    image: nginx:\${TAG}\n")}`,
    "named/compose.yaml": `name: from_name\nservices:\n${service("web")}`,
    "named/.env": "COMPOSE_PROJECT_NAME=from_dot_env\n",
};

/** One command line, where it runs, with which COMPOSE_* variables, and what it must show. */
interface Case {
    readonly name: string;
    readonly args: string[];
    readonly cwd?: string;
    readonly env?: Record<string, string>;
    readonly check: (r: Run) => void;
}

const plan = (...args: string[]) => ["render", "--target", "docker", "--plan", "--json", ...args];

function usageError(...parts: string[]): (r: Run) => void {
    return (r) => {
        assert.strictEqual(r.code, 2, `exit ${r.code}: ${r.stderr}`);
        for (const p of parts) assert.ok(r.stderr.includes(p), `stderr ${JSON.stringify(r.stderr)} should contain ${p}`);
    };
}

function inputError(...parts: string[]): (r: Run) => void {
    return (r) => {
        assert.strictEqual(r.code, 1, `exit ${r.code}: ${r.stderr}`);
        assert.strictEqual(r.stdout, "");
        for (const p of parts) assert.ok(r.stderr.includes(p), `stderr ${JSON.stringify(r.stderr)} should contain ${p}`);
    };
}

const CASES: Case[] = [
    // compose-go TestProjectName
    { name: "compose-go: by name (-p)", args: plan("-f", "simple/compose.yaml", "-p", "my_project"), check: (r) => assert.strictEqual(seen(r).app, "my_project") },
    { name: "compose-go: by name starting with a number", args: plan("-f", "simple/compose.yaml", "--project-name", "42my_project_num"), check: (r) => assert.strictEqual(seen(r).app, "42my_project_num") },
    { name: "compose-go: by COMPOSE_PROJECT_NAME starting with a number", args: plan("-f", "simple/compose.yaml"), env: { COMPOSE_PROJECT_NAME: "42my_project_env" }, check: (r) => assert.strictEqual(seen(r).app, "42my_project_env") },
    ...["-my_project", "_my_project", "www.my.project", "MY_PROJECT"].map((name) => ({
        name: `compose-go: -p ${name} is an invalid project name`,
        args: plan("-f", "simple/compose.yaml", `--project-name=${name}`),
        check: usageError(`invalid project name "${name}"`),
    })),
    ...["-my_project", "_my_project", "www.my.project", "MY_PROJECT"].map((name) => ({
        name: `compose-go: COMPOSE_PROJECT_NAME=${name} is refused`,
        args: plan("-f", "simple/compose.yaml"),
        env: { COMPOSE_PROJECT_NAME: name },
        check: inputError(`"${name}"`),
    })),
    { name: "compose-go: by the Compose file's directory", args: plan("-f", "simple/compose.yaml"), check: (r) => assert.strictEqual(seen(r).app, "simple") },
    { name: "compose-go: by the Compose file's directory, normalized", args: plan("-f", "UNNORMALIZED PATH/compose.yaml"), check: (r) => assert.strictEqual(seen(r).app, "unnormalizedpath") },
    { name: "compose-go: by COMPOSE_PROJECT_NAME", args: plan("-f", "simple/compose.yaml"), env: { COMPOSE_PROJECT_NAME: "my_project_from_env" }, check: (r) => assert.strictEqual(seen(r).app, "my_project_from_env") },
    {
        name: "compose-go: by .env (COMPOSE_FILE and COMPOSE_PROJECT_NAME in the working directory's .env)",
        args: plan(),
        cwd: "env-file",
        check: (r) => {
            const s = seen(r);
            assert.deepStrictEqual([s.app, s.services, s.ports.simple, s.envs.simple], ["my_project_from_dot_env", ["simple"], [8000], ["DEFAULT_PORT=8080"]]);
        },
    },
    { name: "compose-go: by name in compose.yaml with a variable", args: plan("-f", "simple/compose-name.yaml"), env: { TEST: "expected" }, check: (r) => assert.strictEqual(seen(r).app, "test-expected-test") },
    // compose-go TestProjectFromSetOfFiles, TestProjectComposefilesFromSetOfFiles, TestProjectWithDotEnv, TestProjectWithMultipleEnvFile
    { name: "compose-go: -f twice, the second overrides", args: plan("-f", "simple/compose.yaml", "-f", "simple/compose-with-overrides.yaml", "-p", "my_project"), check: (r) => assert.deepStrictEqual(seen(r).images, { simple: "haproxy" }) },
    {
        name: "compose-go: no file given, compose.yaml of the working directory",
        args: plan("-p", "my_project"),
        cwd: "simple",
        check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).images], ["my_project", { simple: "nginx" }]),
    },
    { name: "compose-go: the .env beside the file interpolates it", args: plan("-f", "compose-with-variables.yaml", "-p", "my_project"), cwd: "simple", check: (r) => assert.deepStrictEqual(seen(r).ports, { simple: [8000] }) },
    {
        name: "compose-go: --env-file twice, the later wins; env_file files are still read",
        args: plan("-f", "env-file/compose-with-env-files.yaml", "--env-file", "env-file/.env", "--env-file", "env-file/override.env"),
        check: (r) => {
            const s = seen(r);
            assert.deepStrictEqual([s.ports.simple, s.envs.simple], [[9000], ["DEFAULT_PORT=9090"]]);
        },
    },
    // compose-go TestEnvVariablePrecedence
    { name: "compose-go: a .env variable uses one before it", args: plan(), cwd: "precedence", check: (r) => assert.deepStrictEqual(seen(r).envs.web, ["FOO=foo", "BAR=foo"]) },
    { name: "compose-go: the process environment wins over .env, also where .env uses it", args: plan(), cwd: "precedence", env: { FOO: "zot" }, check: (r) => assert.deepStrictEqual(seen(r).envs.web, ["FOO=zot", "BAR=zot"]) },

    // Default files
    {
        name: "no file: compose.yaml before docker-compose.yml (with a warning), and compose.override.yml beside it",
        args: plan(),
        cwd: "found",
        check: (r) => {
            const s = seen(r);
            assert.deepStrictEqual([s.app, s.services, s.images.web], ["found", ["web"], "nginx:1.28"]);
            assert.match(r.stderr, /warning: found several Compose files: .*found\/compose\.yaml, .*found\/docker-compose\.yml; using .*found\/compose\.yaml/);
        },
    },
    { name: "no file: found in the nearest directory above", args: plan(), cwd: "found/deep/er", check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).services], ["found", ["web"]]) },
    {
        name: "no file: docker-compose.yml before docker-compose.yaml, docker-compose.override.yaml beside it",
        args: plan(),
        cwd: "dc",
        check: (r) => assert.deepStrictEqual([seen(r).services, seen(r).images.yml], [["yml"], "nginx:override"]),
    },
    { name: "-f wins over the default files (no override then)", args: plan("-f", "compose.yaml"), cwd: "found", check: (r) => assert.deepStrictEqual(seen(r).images, { web: "nginx" }) },
    { name: "files given as arguments work as -f files", args: plan("compose.yaml", "compose.override.yml"), cwd: "found", check: (r) => assert.deepStrictEqual(seen(r).images, { web: "nginx:1.28" }) },
    { name: "-f and files as arguments together are refused", args: plan("-f", "compose.yaml", "compose.override.yml"), cwd: "found", check: usageError("Compose files go after -f or as arguments, not both") },

    // COMPOSE_FILE and COMPOSE_PATH_SEPARATOR
    { name: "COMPOSE_FILE from .env, split on ':'; COMPOSE_PROFILES and COMPOSE_PROJECT_NAME from .env", args: plan(), cwd: "vars", check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).services, seen(r).images.web], ["from_dot_env", ["extra", "tools", "web"], "nginx:dotenv"]) },
    { name: "COMPOSE_FILE from the environment wins over .env's", args: plan(), cwd: "vars", env: { COMPOSE_FILE: "other.yaml" }, check: (r) => assert.deepStrictEqual(seen(r).services, ["other"]) },
    { name: "COMPOSE_PATH_SEPARATOR", args: plan(), cwd: "vars", env: { COMPOSE_FILE: "base.yaml,other.yaml", COMPOSE_PATH_SEPARATOR: "," }, check: (r) => assert.deepStrictEqual(seen(r).services, ["other", "tools", "web"]) },
    {
        name: "COMPOSE_FILE relative to the working directory; the project's .env, beside the file, is read then",
        args: plan(),
        env: { COMPOSE_FILE: "vars/other.yaml" },
        check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).services], ["from_dot_env", ["other"]]),
    },
    {
        name: "the working directory's .env and the project's are both read, the first winning (compose-go reads .env twice)",
        args: plan(),
        cwd: "outer",
        check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).images.web], ["from_outer", "nginx:inner"]),
    },
    { name: "-f wins over COMPOSE_FILE", args: plan("-f", "other.yaml"), cwd: "vars", env: { COMPOSE_FILE: "base.yaml" }, check: (r) => assert.deepStrictEqual(seen(r).services, ["other"]) },
    { name: "COMPOSE_FILE naming a missing file is an input error", args: plan(), cwd: "vars", env: { COMPOSE_FILE: "base.yaml:missing.yaml" }, check: inputError("COMPOSE_FILE names missing.yaml, which does not exist") },

    // Profiles
    { name: "--profile wins over COMPOSE_PROFILES (.env's)", args: plan("--profile", "debug"), cwd: "vars", check: (r) => assert.deepStrictEqual(seen(r).services, ["debug", "extra", "web"]) },
    { name: "--profile, repeated", args: plan("--profile", "debug", "--profile", "tools"), cwd: "found", check: (r) => assert.deepStrictEqual(seen(r).services, ["debug", "tools", "web"]) },
    { name: "COMPOSE_PROFILES from the environment, comma-separated", args: plan(), cwd: "found", env: { COMPOSE_PROFILES: "debug, tools" }, check: (r) => assert.deepStrictEqual(seen(r).services, ["debug", "tools", "web"]) },
    { name: "COMPOSE_PROFILES from the environment wins over .env's", args: plan(), cwd: "vars", env: { COMPOSE_PROFILES: "debug" }, check: (r) => assert.deepStrictEqual(seen(r).services, ["debug", "extra", "web"]) },

    // Project name
    { name: "-p wins over COMPOSE_PROJECT_NAME", args: plan("-p", "from_flag"), cwd: "named", env: { COMPOSE_PROJECT_NAME: "from_env" }, check: (r) => assert.strictEqual(seen(r).app, "from_flag") },
    { name: "COMPOSE_PROJECT_NAME of the environment wins over .env's", args: plan(), cwd: "named", env: { COMPOSE_PROJECT_NAME: "from_env" }, check: (r) => assert.strictEqual(seen(r).app, "from_env") },
    { name: "COMPOSE_PROJECT_NAME of .env wins over name:", args: plan(), cwd: "named", check: (r) => assert.strictEqual(seen(r).app, "from_dot_env") },
    { name: "name: wins over the directory", args: plan(), cwd: "named", env: { COMPOSE_DISABLE_ENV_FILE: "1" }, check: (r) => assert.strictEqual(seen(r).app, "from_name") },

    // Env files
    { name: "--env-file replaces .env", args: plan("--env-file", "a.env", "-f", "base.yaml"), cwd: "vars", check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).images.web, seen(r).services], ["from_name", "nginx:a", ["web"]]) },
    { name: "COMPOSE_ENV_FILES, comma-separated, replaces .env; the later file wins", args: plan("-f", "base.yaml"), cwd: "vars", env: { COMPOSE_ENV_FILES: "a.env,b.env" }, check: (r) => assert.strictEqual(seen(r).images.web, "nginx:b") },
    { name: "--env-file wins over COMPOSE_ENV_FILES", args: plan("-f", "base.yaml", "--env-file", "a.env"), cwd: "vars", env: { COMPOSE_ENV_FILES: "b.env" }, check: (r) => assert.strictEqual(seen(r).images.web, "nginx:a") },
    { name: "COMPOSE_DISABLE_ENV_FILE=true: no .env", args: plan("-f", "base.yaml"), cwd: "vars", env: { COMPOSE_DISABLE_ENV_FILE: "true" }, check: (r) => assert.deepStrictEqual([seen(r).app, seen(r).images.web], ["from_name", "nginx:none"]) },
    { name: "a missing --env-file is an input error", args: plan("-f", "base.yaml", "--env-file", "missing.env"), cwd: "vars", check: inputError("missing.env", "not found") },

    // Compose v1
    {
        name: "a version 1 file says it is the old format and how to convert it",
        args: plan(),
        cwd: "v1",
        check: inputError("docker-compose.yml:1:", "old version 1 format", '("web", "db")', 'under a top-level "services:" key', '"net: x" becomes "network_mode: x"'),
    },

    // With --stack, the Compose options are usage errors
    ...[
        ["-f", "compose.yaml", "file"],
        ["-p", "shop", "project-name"],
        ["--profile", "debug", "profile"],
        ["--env-file", ".env", "env-file"],
    ].map(([flag, value, name]) => ({
        name: `--stack with ${flag} is refused`,
        args: ["render", "--stack", "dev", flag, value],
        check: usageError(`--${name} goes with --target`),
    })),
];

/** Runs `cases` at most `width` at a time (each is a Node process). */
async function runAll(cases: readonly Case[], dir: string, width: number): Promise<Run[]> {
    const results: Run[] = new Array<Run>(cases.length);
    let next = 0;
    const worker = async () => {
        for (let i = next++; i < cases.length; i = next++) {
            const c = cases[i];
            results[i] = await dockyard(c.args, { cwd: path.join(dir, c.cwd ?? ""), env: environment(c.env) });
        }
    };
    await Promise.all(Array.from({ length: width }, worker));
    return results;
}

describe("cli: the Compose command line (-f, -p, --profile, --env-file, COMPOSE_*)", () => {
    let work: ReturnType<typeof scratch>;
    let results: Run[] = [];
    before(async function () {
        this.timeout(600_000);
        work = scratch(FILES);
        results = await runAll(CASES, work.dir, 3);
    });
    after(() => work.remove());

    CASES.forEach((c, i) => {
        it(c.name, () => c.check(results[i]));
    });

    it("no file given, none set, none found here or above: a usage error that says where it looked", async function () {
        const empty = scratch({ ".keep": "" });
        try {
            // A compose.yaml above the scratch directory (in the temporary directory, say) would be found, as docker compose finds it.
            for (let dir = empty.dir; path.dirname(dir) !== dir; dir = path.dirname(dir)) {
                if (["compose.yaml", "compose.yml", "docker-compose.yml", "docker-compose.yaml"].some((f) => fs.existsSync(path.join(path.dirname(dir), f)))) this.skip();
            }
            const r = await dockyard(plan(), { cwd: empty.dir, env: environment() });
            usageError("no Compose file", "-f", "COMPOSE_FILE", "compose.yaml", empty.dir)(r);
        } finally {
            empty.remove();
        }
    });

    it("an installed dockyard (run through its #! line) reads a missing --env-file itself: exit 1, not Node's exit 9", async () => {
        const r = await dockyardThroughShebang(plan("-f", "base.yaml", "--env-file", "missing.env"), { cwd: path.join(work.dir, "vars"), env: environment() });
        inputError("missing.env", "not found")(r);
        assert.match(r.stderr, /^dockyard: /);
    });

    it("diff: one file is compared with the project without it; -f files are shared by two sides", async () => {
        const [override, shared] = await Promise.all([
            dockyard(["diff", "--target", "docker", "--json", "compose.prod.yaml"], { cwd: path.join(work.dir, "found"), env: environment() }),
            dockyard(["diff", "--target", "docker", "--json", "-f", "base.yaml", "extra.yaml", "other.yaml"], { cwd: path.join(work.dir, "vars"), env: environment() }),
        ]);
        assert.strictEqual(override.code, 1, override.stderr);
        const o = JSON.parse(override.stdout) as { from: string; to: string; resources: { op: string; changes?: { property: string; new?: unknown }[] }[] };
        assert.deepStrictEqual([o.from, o.to], ["compose.yaml + compose.override.yml on docker", "compose.yaml + compose.override.yml + compose.prod.yaml on docker"]);
        assert.ok(o.resources.some((x) => x.op === "update" && x.changes?.some((c) => c.new === "nginx:1.29")), override.stdout);
        assert.strictEqual(shared.code, 1, shared.stderr);
        const s = JSON.parse(shared.stdout) as { from: string; to: string; summary: { create: number; delete: number } };
        assert.deepStrictEqual([s.from, s.to], ["base.yaml + extra.yaml on docker", "base.yaml + other.yaml on docker"]);
        assert.ok(s.summary.create > 0 && s.summary.delete > 0, shared.stdout);
    });
});
