/**
 * Hostile and careless Compose input (issue 11): every class the fuzzer found, one regression
 * test or more each. Every input ends in a result or in an error naming the file, the path and
 * the value: never a bare JavaScript error, a hang, a blown heap, or a secret in a message.
 */
import * as assert from "assert";
import { execFileSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { composeProgram, TARGET_KINDS } from "../../cli/compose-program";
import { App } from "../../components/app";
import { ComposeError, loadCompose, parseComposeYaml } from "../../components/compose";
import { render } from "../../components/render";
import { SpecError } from "../../components/spec/errors";
import { readRegularFile } from "../../components/spec/files";
import { autoscalingOf, serviceExtension } from "../../components/targets/kubernetes/options";
import { Target } from "../../components/targets/target";
import { assertSpecError } from "../harness";
import { loadProject, writeProject } from "./project";

/** Loads `files` as a project; returns the error it fails with (a SpecError, else the test fails). */
function failure(files: Record<string, string>, options: Parameters<typeof loadProject>[1] = {}): SpecError {
    return assertSpecError(() => loadProject(files, options));
}

/** Renders a project's compose.yaml on every target; returns the resources by target. */
async function renderAll(dir: string, options = {}): Promise<Record<string, { type: string; name: string; inputs: Record<string, unknown> }[]>> {
    const out: Record<string, { type: string; name: string; inputs: Record<string, unknown> }[]> = {};
    for (const kind of TARGET_KINDS) {
        out[kind] = await render(composeProgram(kind, [path.join(dir, "compose.yaml")], { env: {}, onWarning: () => undefined, ...options }));
    }
    return out;
}

const service = (body: string) => `services:\n  web:\n    image: nginx\n${body}`;

describe("compose/hostile input", () => {
    describe("names that are object built-ins", () => {
        it("services, networks, volumes, secrets and configs named constructor, hasOwnProperty, toString, valueOf deploy on every target", async function () {
            this.timeout(60_000);
            for (const name of ["constructor", "hasOwnProperty", "toString", "valueOf"]) {
                const dir = writeProject({
                    "compose.yaml": `services:
  ${name}:
    image: nginx
    ports: ["8080:80"]
    networks: [${name}]
    volumes: ["${name}:/data"]
    secrets: [${name}]
    configs: [${name}]
    labels: { ${name}: x }
    depends_on: { isPrototypeOf: { condition: service_started, required: false } }
  other:
    image: nginx
    depends_on: [${name}]
networks:
  ${name}: { driver_opts: { ${name}: "1" } }
volumes:
  ${name}: { driver_opts: { ${name}: "1" } }
secrets:
  ${name}: { file: ./s.txt }
configs:
  ${name}: { file: ./s.txt }
`,
                    "s.txt": "x\n",
                });
                const byTarget = await renderAll(dir);
                for (const [kind, resources] of Object.entries(byTarget)) {
                    const text = JSON.stringify(resources);
                    assert.ok(resources.length > 3, `${name} on ${kind}`);
                    // Not Object.prototype's members standing in for undefined entries.
                    assert.ok(!/"Object"|function |\[native code\]/.test(text), `${name} on ${kind}: ${text.slice(0, 300)}`);
                }
                const network = byTarget.docker.find((r) => r.type === "docker:index/network:Network" && String(r.inputs.name).endsWith(`_${name}`));
                assert.ok(network, `a network for ${name}`);
            }
        });
        it("__proto__ is a key like any other: kept through interpolation, merging and normalizing", () => {
            const { spec } = loadProject({
                "compose.yaml": `services:
  web:
    image: nginx
    networks: [__proto__]
    environment: { __proto__: x }
networks:
  __proto__: {}
`,
            });
            assert.ok(Object.prototype.hasOwnProperty.call(spec.networks, "__proto__"));
            assert.deepStrictEqual(spec.services.web.networks, [{ network: "__proto__", aliases: [] }]);
            assert.strictEqual(Object.getPrototypeOf(spec.networks), Object.prototype);
            assert.strictEqual(Object.getOwnPropertyDescriptor(spec.services.web.environment, "__proto__")?.value, "x");
        });
        it("a dependency, an extends or a variable named after a built-in is undefined, not Object.prototype's", () => {
            assert.match(failure({ "compose.yaml": service("    depends_on: [constructor]\n") }).message, /depends on undefined service "constructor"/);
            assert.match(failure({ "compose.yaml": service("    extends: hasOwnProperty\n") }).message, /cannot extend service "hasOwnProperty": no such service/);
            assert.match(failure({ "compose.yaml": service("    extends: __proto__\n") }).message, /cannot extend service "__proto__": no such service/);
            const { spec } = loadProject({ "compose.yaml": service("    environment: { A: \"${constructor}\", B: \"${toString:-unset}\" }\n") });
            assert.deepStrictEqual(spec.services.web.environment, { A: "", B: "unset" });
        });
        it("the profiles check does not take a built-in for a service left out by a profile", () => {
            const e = failure({ "compose.yaml": service("    depends_on: [valueOf]\n  debug:\n    image: x\n    profiles: [debug]\n") });
            assert.match(e.message, /undefined service "valueOf"/);
        });
        it("the Kubernetes per-service settings: a service called constructor gets no autoscaler nor extension it was not given", async () => {
            const { spec } = loadProject({ "compose.yaml": "services:\n  constructor:\n    image: nginx\n  toString:\n    image: nginx\n" });
            const service = (name: string) => spec.services[name];
            assert.strictEqual(autoscalingOf(service("constructor")), undefined);
            assert.deepStrictEqual(serviceExtension(service("toString")), {});
            const resources = (await renderAll(writeProject({ "compose.yaml": "services:\n  constructor:\n    image: nginx\n" }))).kubernetes;
            assert.deepStrictEqual(resources.filter((r) => r.type.includes("HorizontalPodAutoscaler")), []);
        });
    });

    describe("recursion", () => {
        it("a self-referencing alias is an error naming the file and line", () => {
            for (const yaml of ["x-a: &a [*a]\n", "x-a: &a {b: *a}\n", "x-a: &a\n  <<: *a\n"]) {
                const e = failure({ "compose.yaml": `${yaml}services:\n  web:\n    image: nginx\n` });
                assert.ok(e instanceof ComposeError && e.line !== undefined, e.message);
                assert.match(e.message, /compose\.yaml:[12]: .*inside the value its anchor &a names/);
            }
        });
        it("3000 nested ${A:-…} is an error, not a stack overflow", () => {
            const image = "${A:-".repeat(3000) + "x" + "}".repeat(3000);
            assert.match(failure({ "compose.yaml": service(`    command: "${image}"\n`) }).message, /compose\.yaml:4: services\.web\.command: variable expressions nest deeper than 32 levels/);
        });
        it("deep nesting is an error naming the file", () => {
            const e = failure({ "compose.yaml": service(`    labels: ${"[".repeat(20000)}${"]".repeat(20000)}\n`) });
            assert.match(e.message, /compose\.yaml:4: .*nests mappings and sequences deeper than 64 levels/);
            const block = Array.from({ length: 2000 }, (_, i) => `${" ".repeat(i)}k${i}:`).join("\n");
            assert.match(failure({ "compose.yaml": `x-deep:\n${block}\n` + service("") }).message, /compose\.yaml.*deeper than 64 levels/);
        });
        it("a 2000-service extends chain loads (each service resolved once), and a cycle in it is named briefly", function () {
            this.timeout(30_000);
            let yaml = "services:\n  s0:\n    image: nginx\n    environment: [A=0]\n";
            for (let i = 1; i < 2000; i++) yaml += `  s${i}:\n    extends: s${i - 1}\n    environment: [V${i % 3}=${i}]\n`;
            const { spec } = loadProject({ "compose.yaml": yaml });
            assert.deepStrictEqual(spec.services.s1999.environment, { A: "0", V0: "1998", V1: "1999", V2: "1997" });
            const cyclic = yaml.replace("  s0:\n    image: nginx\n", "  s0:\n    image: nginx\n    extends: s1999\n");
            const e = failure({ "compose.yaml": cyclic });
            assert.match(e.message, /services extend each other in a cycle: s0 -> s1999 -> s1998 -> s1997 -> … \(1994 more\) … -> s2 -> s1 -> s0/);
        });
        it("any unexpected exception while loading becomes an error naming the file", () => {
            const env = new Proxy({}, { has: () => { throw new TypeError("boom"); }, get: () => { throw new TypeError("boom"); }, getOwnPropertyDescriptor: () => { throw new TypeError("boom"); } });
            const dir = writeProject({ "compose.yaml": service("    environment: [X=$X]\n") });
            const e = assertSpecError(() => loadCompose(path.join(dir, "compose.yaml"), { env, onWarning: () => undefined }), path.join(dir, "compose.yaml"), "internal error while loading", "boom");
            assert.ok(e instanceof ComposeError);
        });
        it("any unexpected exception while converting for a target becomes an error naming the file", async () => {
            const dir = writeProject({ "compose.yaml": service("") });
            const target = { kind: "docker", plan: () => { throw new RangeError("Maximum call stack size exceeded"); } } as unknown as Target;
            let error: unknown;
            await render(() => {
                try {
                    App.fromCompose("app", { files: path.join(dir, "compose.yaml"), target, env: {}, onWarning: () => undefined });
                } catch (e) {
                    error = e;
                }
            });
            assert.ok(error instanceof ComposeError, String(error));
            assert.match(error.message, new RegExp(`^${path.join(dir, "compose.yaml")}: internal error while converting for the target: RangeError`));
        });
    });

    describe("expansion bombs", () => {
        const bomb = (tag: string) => {
            const lines = [`x-b0: &b0 ${tag}[a, b, c, d, e, f, g, h, i]`];
            for (let i = 1; i <= 9; i++) lines.push(`x-b${i}: &b${i} [${Array(9).fill(`*b${i - 1}`).join(", ")}]`);
            return `${lines.join("\n")}\n${service("")}`;
        };
        it("an alias bomb, with or without !reset tags, is refused before it is expanded", () => {
            assert.match(failure({ "compose.yaml": bomb("") }).message, /compose\.yaml:\d+: .*more than 250000 values once its aliases are expanded/);
            assert.match(failure({ "compose.yaml": bomb("!reset ") }).message, /more than 250000 values/);
            const tagged = ["x-b0: &b0 {k: !reset [a]}"];
            for (let i = 1; i <= 9; i++) tagged.push(`x-b${i}: &b${i} [${Array(9).fill(`*b${i - 1}`).join(", ")}]`);
            assert.match(failure({ "compose.yaml": `${tagged.join("\n")}\n${service("")}` }).message, /more than 250000 values/);
        });
        it("port ranges and replica counts are bounded with a clear message", () => {
            assertSpecError(() => loadProject({ "compose.yaml": service("    ports: ['1-65535:1-65535']\n") }), "compose.yaml:4", "services.web.ports[0]", "port range 1-65535 covers 65535 ports; a range may cover at most 1000");
            assertSpecError(() => loadProject({ "compose.yaml": service("    expose: ['1-65535']\n") }), "services.web.expose[0]", "at most 1000");
            assertSpecError(() => loadProject({ "compose.yaml": service("    deploy: { replicas: 1000000000 }\n") }), "services.web.deploy.replicas", "replicas must be at most 1000");
            assert.strictEqual(loadProject({ "compose.yaml": service("    ports: ['8000-8999:8000-8999']\n") }).spec.services.web.ports.length, 1000);
        });
    });

    describe("special files", () => {
        it("an env_file, secret, config or include that is a FIFO or a device is refused, not read forever", () => {
            const dir = writeProject({ "compose.yaml": "" });
            execFileSync("mkfifo", [path.join(dir, "fifo")]);
            fs.symlinkSync("/dev/zero", path.join(dir, "zero"));
            const cases: [string, RegExp][] = [
                [service("    env_file: ./fifo\n"), /services\.web\.env_file\[0\]: env file .*fifo is a FIFO \(named pipe\), not a regular file/],
                [service("    secrets: [s]\nsecrets:\n  s: { file: ./fifo }\n"), /compose\.yaml:6: secrets\.s\.file: secret file .*fifo is a FIFO/],
                [service("    configs: [c]\nconfigs:\n  c: { file: ./fifo }\n"), /configs\.c\.file: config file .*fifo is a FIFO/],
                ["include: [./fifo]\n" + service(""), /include\[0\]: included Compose file .*fifo is not a regular file/],
                [service("    env_file: ./zero\n"), /env file .*zero resolves to \/dev\/zero, which is under \/dev/],
            ];
            for (const [yaml, expected] of cases) {
                fs.writeFileSync(path.join(dir, "compose.yaml"), yaml);
                const e = assertSpecError(() => loadCompose(path.join(dir, "compose.yaml"), { env: {}, onWarning: () => undefined }));
                assert.match(e.message, expected);
            }
            // Allowed by the deployer, a device is still not a file.
            fs.writeFileSync(path.join(dir, "compose.yaml"), service("    env_file: /dev/urandom\n"));
            assert.throws(() => loadCompose(path.join(dir, "compose.yaml"), { env: {}, allowedPaths: ["/dev"], onWarning: () => undefined }), /\/dev\/urandom is a character device, not a regular file/);
        });
        it("files are read up to a size limit", () => {
            const dir = writeProject({ "compose.yaml": service("    secrets: [s]\nsecrets:\n  s: { file: ./big }\n") });
            fs.writeFileSync(path.join(dir, "big"), "");
            fs.truncateSync(path.join(dir, "big"), 2 * 1024 * 1024);
            assert.throws(() => loadCompose(path.join(dir, "compose.yaml"), { env: {}, onWarning: () => undefined }), /secret file .*big is larger than 1 MiB/);
            // /proc files claim a size of 0: they are counted while read.
            assert.ok(readRegularFile("/proc/self/status", 1024 * 1024).includes("Pid:"));
            assert.throws(() => readRegularFile("/proc/self/status", 16), /larger than/);
        });
    });

    describe("secrets", () => {
        const SECRET = "hunter2-s3cret";
        it("a bad env-file line is named by its line, never printed", () => {
            for (const line of [`DB PASSWORD=${SECRET}`, `${SECRET} x`, `=${SECRET}`, `X=\${${SECRET}`, `'${SECRET}`]) {
                const e = failure({ "compose.yaml": service("    env_file: ./e.env\n"), "e.env": `OK=1\n${line}\n` });
                assert.ok(!e.message.includes(SECRET), e.message);
                assert.match(e.message, /e\.env:2: /);
            }
        });
        it("including a file that is not Compose does not print it", () => {
            const e = failure({ "compose.yaml": "include: [./pw.txt]\n" + service(""), "pw.txt": `${SECRET}\n` });
            assert.ok(!e.message.includes(SECRET), e.message);
            assert.match(e.message, /pw\.txt:1: a Compose file must be a mapping .*this file is a single string value/);
            assert.match(failure({ "compose.yaml": "include: [/etc/passwd]\n" + service("") }).message, /included Compose file \/etc\/passwd is under \/etc, where a Compose file may not read/);
        });
        it("a secret's content, or a variable named like a password, is not printed in a type error", () => {
            const e1 = failure({ "compose.yaml": service(`    secrets: [s]\nsecrets:\n  s: { content: { pw: ${SECRET} } }\n`) });
            assert.ok(!e1.message.includes(SECRET) && /secrets\.s\.content/.test(e1.message), e1.message);
            // A mis-indented content: its keys are unknown keys of the secret, still not shown.
            const e3 = failure({ "compose.yaml": service(`    secrets: [s]\nsecrets:\n  s:\n    pw: ${SECRET}\n`) });
            assert.ok(!e3.message.includes(SECRET) && /secrets\.s\.pw: unknown key "pw"/.test(e3.message), e3.message);
            const e4 = failure({ "compose.yaml": service(`    secrets: [s]\nsecrets:\n  s: [${SECRET}]\n`) });
            assert.ok(!e4.message.includes(SECRET) && /secrets\.s: must be object/.test(e4.message), e4.message);
            const e2 = failure({ "compose.yaml": service(`    environment: { DB_PASSWORD: [${SECRET}] }\n`) });
            assert.ok(!e2.message.includes(SECRET) && /got a list, not shown: it may be a secret/.test(e2.message), e2.message);
        });
        it("env, secret and config files outside the project, or under /proc, /sys, /dev, /etc, need allowedPaths", () => {
            assert.match(failure({ "compose.yaml": service("    env_file: /proc/self/environ\n") }).message, /env file \/proc\/self\/environ resolves to \/proc\/\d+\/environ, which is under \/proc/);
            const dir = writeProject({ "compose.yaml": service("    secrets: [s]\nsecrets:\n  s: { file: ./link }\n"), "../outside.txt": "x\n" });
            fs.symlinkSync(path.join(dir, "..", "outside.txt"), path.join(dir, "link"));
            const load = (allowedPaths?: string[]) => loadCompose(path.join(dir, "compose.yaml"), { env: {}, onWarning: () => undefined, ...(allowedPaths ? { allowedPaths } : {}) });
            assert.throws(() => load(), /secret file .*link resolves to .*outside\.txt, which is outside the project directory/);
            assert.strictEqual(load([path.dirname(dir)]).secrets.s.file, path.join(dir, "link"));
            // Listing / does not open the system directories.
            fs.writeFileSync(path.join(dir, "compose.yaml"), service("    env_file: /etc/hostname\n"));
            assert.throws(() => load(["/"]), /is under \/etc/);
        });
        it("the deployer's Pulumi credentials never reach a Compose file", () => {
            const env = { PULUMI_CONFIG_PASSPHRASE: SECRET };
            const { spec, warnings } = loadProject({ "compose.yaml": service("    environment: [PULUMI_CONFIG_PASSPHRASE, \"X=${PULUMI_CONFIG_PASSPHRASE}\"]\n") }, { env });
            assert.deepStrictEqual(spec.services.web.environment, { X: "" });
            assert.ok(warnings.some((w) => /PULUMI_CONFIG_PASSPHRASE is the deployer's Pulumi credential/.test(w)), warnings.join("\n"));
            assert.match(failure({ "compose.yaml": service("    secrets: [s]\nsecrets:\n  s: { environment: PULUMI_CONFIG_PASSPHRASE }\n") }, { env }).message,
                /secrets\.s\.environment: PULUMI_CONFIG_PASSPHRASE is the deployer's Pulumi credential/);
        });
        it("a literal value for a PASSWORD, SECRET, TOKEN or KEY variable is warned about, pointing to secrets: and *_FILE", () => {
            const { warnings } = loadProject({
                "compose.yaml": service("    environment:\n      MYSQL_PASSWORD: pw\n      MYSQL_PASSWORD_FILE: /run/secrets/pw\n      MYSQL_ALLOW_EMPTY_PASSWORD: 'yes'\n      API_TOKEN: t\n      KEYCLOAK_URL: http://k\n"),
            });
            const secretWarnings = warnings.filter((w) => /plain environment variable/.test(w));
            assert.strictEqual(secretWarnings.length, 2, secretWarnings.join("\n"));
            assert.match(secretWarnings[0], /compose\.yaml: services\.web\.environment\.MYSQL_PASSWORD: .*top-level secrets:.*MYSQL_PASSWORD_FILE=\/run\/secrets\/<name>/);
            assert.ok(!secretWarnings.join("").includes(": pw"), "the value is not shown");
        });
    });

    describe("numbers and addresses", () => {
        it("CPUs, sizes and durations beyond what the runtimes hold are errors", () => {
            assertSpecError(() => loadProject({ "compose.yaml": service("    cpus: 1e308\n") }), "services.web.cpus", "cpus must be at most 4096");
            assertSpecError(() => loadProject({ "compose.yaml": service("    cpus: 0.0000001\n") }), "services.web.cpus", "at least 0.001");
            assertSpecError(() => loadProject({ "compose.yaml": service("    mem_limit: 99999999999999999999g\n") }), "services.web.mem_limit", "at most 8 PiB");
            assertSpecError(() => loadProject({ "compose.yaml": service("    stop_grace_period: 99999999999999999h\n") }), "services.web.stop_grace_period", "at most 2562047h");
            assertSpecError(() => loadProject({ "compose.yaml": service("    ulimits: { nofile: 1e300 }\n") }), "services.web.ulimits.nofile", "whole number");
            assertSpecError(() => loadProject({ "compose.yaml": service("    healthcheck: { test: 'true', retries: 1e300 }\n") }), "services.web.healthcheck.retries", "at most 9007199254740991");
        });
        it("host addresses must be IP addresses", () => {
            assertSpecError(() => loadProject({ "compose.yaml": service("    ports: ['80:80:80']\n") }), "services.web.ports[0]", 'host address "80" is not an IPv4 address');
            assertSpecError(() => loadProject({ "compose.yaml": service("    ports: [{ target: 80, published: 80, host_ip: 'not an ip' }]\n") }), "services.web.ports[0].host_ip", "is not an IP address");
            assertSpecError(() => loadProject({ "compose.yaml": service("    ports: ['[zz]:80:80']\n") }), "host address [zz] is not an IPv6 address");
            const { spec } = loadProject({ "compose.yaml": service("    ports: ['127.0.0.1:80:80', '[::1]:81:80']\n") });
            assert.deepStrictEqual(spec.services.web.ports.map((p) => p.hostIp), ["127.0.0.1", "::1"]);
        });
        it("two services on one host port are refused when loading; other addresses or protocols are not a clash", () => {
            const two = (a: string, b: string) => `services:\n  a:\n    image: x\n    ports: ['${a}']\n  b:\n    image: x\n    ports: ['${b}']\n`;
            assertSpecError(() => loadProject({ "compose.yaml": two("8080:80", "8080:81") }), "compose.yaml:7", "services.b.ports", 'host port 8080/tcp is published by services "a" and "b"');
            assertSpecError(() => loadProject({ "compose.yaml": two("127.0.0.1:8080:80", "8080:81") }), 'services "a" and "b"');
            loadProject({ "compose.yaml": two("127.0.0.1:8080:80", "127.0.0.2:8080:80") });
            loadProject({ "compose.yaml": two("8080:80", "8080:80/udp") });
        });
    });

    describe("messages", () => {
        it("Windows drive-letter paths get a message that says so", () => {
            assert.match(failure({ "compose.yaml": service("    volumes: ['C:\\data:/data']\n") }).message, /services\.web\.volumes\[0\]: a Windows path/);
            assert.match(failure({ "compose.yaml": service("    volumes: [{ type: bind, source: 'c:/data', target: /data }]\n") }).message, /services\.web\.volumes\[0\]\.source: a Windows path/);
            assert.match(failure({ "compose.yaml": service("    env_file: 'C:\\x.env'\n") }).message, /compose\.yaml:4: services\.web\.env_file\[0\]: a Windows path/);
            assert.match(failure({ "compose.yaml": service("    secrets: [s]\nsecrets:\n  s: { file: 'C:\\s.txt' }\n") }).message, /secrets\.s\.file: a Windows path/);
            assert.match(failure({ "compose.yaml": "include: ['D:\\x\\compose.yaml']\n" + service("") }).message, /include\[0\]: a Windows path/);
            // `d:/d` alone is still volume d mounted at /d.
            assert.deepStrictEqual(loadProject({ "compose.yaml": service("    volumes: ['d:/d']\nvolumes:\n  d: {}\n") }).spec.services.web.mounts[0], { type: "volume", source: "d", target: "/d", readOnly: false });
        });
        it("YAML errors are told in Compose terms with the right line, a duplicate key named", () => {
            const parse = (text: string) => assertSpecError(() => parseComposeYaml(text, "/p/compose.yaml"));
            assert.match(parse("services:\n  web:\n    image: a\n    image: b\n").message, /^\/p\/compose\.yaml:4: services\.web\.image: invalid YAML: duplicate key "image"/);
            assert.match(parse("services:\n\tweb: {}\n").message, /compose\.yaml:2: .*a tab is used for indentation; YAML indents with spaces only/);
            assert.match(parse("services: {}\n---\nx: 1\n").message, /compose\.yaml:2: .*holds one YAML document/);
            assert.match(parse("services:\n  web:\n    image: a: b\n").message, /compose\.yaml:3: .*a key must fit on one line/);
        });
        it("a missing secret or env file says not found, with the line of the reference", () => {
            assert.match(failure({ "compose.yaml": service("    secrets: [s]\nsecrets:\n  s:\n    file: ./nope.txt\n") }).message, /compose\.yaml:7: secrets\.s\.file: secret file .*nope\.txt not found \(got "\.\/nope\.txt"\)/);
            assert.match(failure({ "compose.yaml": service("    env_file:\n      - ./nope.env\n") }).message, /compose\.yaml:5: services\.web\.env_file\[0\]: env file .*nope\.env not found/);
            assert.ok(!/ENOENT/.test(failure({ "compose.yaml": "include: [./nope.yaml]\n" + service("") }).message));
        });
    });
});
