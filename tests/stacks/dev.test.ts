import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { renderStack } from "../../cli/dockyard";
import { readStackFiles } from "../../cli/stack-files";
import { render, RenderedResource, SECRET } from "../../components/render";
import { CONFIG_KEYS, checkKnownKeys, checkSecretKeys, readStackConfig, SECRET_KEYS } from "../../stacks/config";
import { assertSpecError, REPO_ROOT, resourceNamed } from "../harness";

const byName = resourceNamed;

describe("stacks/dev", () => {
    let resources: RenderedResource[];
    before(async () => {
        resources = await renderStack("dev", REPO_ROOT);
    });

    it("deploys WordPress and MySQL on the local engine, with their network, volume and images", () => {
        const app = resources.filter((r) => r.parent === "wordpress").map((r) => `${r.type} ${r.name}`).sort();
        assert.deepStrictEqual(app, [
            "docker:index/container:Container wordpress-db-1",
            "docker:index/container:Container wordpress-wordpress-1",
            "docker:index/network:Network wordpress-network-default",
            "docker:index/remoteImage:RemoteImage wordpress-image-db",
            "docker:index/remoteImage:RemoteImage wordpress-image-wordpress",
            "docker:index/volume:Volume wordpress-volume-db_data",
        ].sort());
        assert.strictEqual(byName(resources, "host-provider").inputs.host, "unix:///var/run/docker.sock");
        assert.strictEqual(byName(resources, "db-password").type, "random:index/randomPassword:RandomPassword");
    });

    it("adds monitoring and Portainer on the same engine, Grafana, Prometheus and Portainer published", () => {
        const containers = resources.filter((r) => r.type === "docker:index/container:Container").map((r) => r.name).sort();
        assert.deepStrictEqual(containers, [
            "monitoring-alertmanager-1", "monitoring-cadvisor-1", "monitoring-grafana-1", "monitoring-node-exporter-1", "monitoring-prometheus-1",
            "portainer-portainer-1", "wordpress-db-1", "wordpress-wordpress-1",
        ]);
        const published = (name: string) => ((byName(resources, name).inputs.ports ?? []) as { external?: number }[]).map((p) => p.external);
        assert.deepStrictEqual(published("monitoring-grafana-1"), [3000]);
        assert.deepStrictEqual(published("monitoring-prometheus-1"), [9090]);
        assert.deepStrictEqual(published("portainer-portainer-1"), [9443]);
        assert.deepStrictEqual(published("monitoring-cadvisor-1"), []);
    });

    it("publishes WordPress on 8080 with restart always, and keeps MySQL data on the named volume", () => {
        const wp = byName(resources, "wordpress-wordpress-1");
        assert.deepStrictEqual(wp.inputs.ports, [{ external: 8080, internal: 80, protocol: "tcp" }]);
        assert.strictEqual(wp.inputs.restart, "always");
        assert.strictEqual(wp.parent, "wordpress");
        const db = byName(resources, "wordpress-db-1");
        assert.deepStrictEqual(db.inputs.mounts, [{ readOnly: false, source: "wordpress_db_data", target: "/var/lib/mysql", type: "volume" }]);
        assert.strictEqual(db.inputs.restart, "always");
        assert.strictEqual(byName(resources, "wordpress-volume-db_data").inputs.name, "wordpress_db_data");
    });

    it("never puts the password in plain text: files from a secret, *_FILE variables", () => {
        for (const name of ["wordpress-db-1", "wordpress-wordpress-1"]) {
            const c = byName(resources, name);
            // The file is listed; only its content is masked.
            assert.deepStrictEqual(c.inputs.uploads, [{ content: SECRET, file: "/run/secrets/db_password", permissions: "0444" }]);
            const envs = c.inputs.envs as string[];
            assert.ok(envs.every((e) => !/^(MYSQL_PASSWORD|MYSQL_ROOT_PASSWORD|WORDPRESS_DB_PASSWORD)=/.test(e)), `${name} has a password variable: ${envs.join(" ")}`);
            assert.ok(envs.some((e) => e.endsWith("_PASSWORD_FILE=/run/secrets/db_password")));
        }
        assert.ok(!JSON.stringify(resources).includes("hunter"), "no plain password anywhere");
    });

    it("creates WordPress after the database is healthy", () => {
        const wp = byName(resources, "wordpress-wordpress-1");
        assert.ok(wp.dependsOn.includes("wordpress-db-1"));
        const db = byName(resources, "wordpress-db-1");
        assert.strictEqual(db.inputs.wait, true);
    });
});

describe("stacks/config", () => {
    const get = (values: Record<string, string>) => (k: string) => values[k];

    it("applies defaults and parses types", () => {
        const c = readStackConfig(get({ runtime: "docker", wordpressPort: "9090" }), "dev");
        assert.strictEqual(c.wordpressPort, 9090);
        assert.strictEqual(c.runtime, "docker");
        assert.strictEqual(c.wordpressCpus, "", "an unset optional string stays empty");
    });
    it("stops on a missing required key, saying how to set it", () => {
        assertSpecError(() => readStackConfig(get({}), "qa"), "stacks/Pulumi.qa.yaml", "dockyard:runtime", "required key is not set",
            "pulumi config set dockyard:runtime <docker|swarm|kubernetes> --stack qa");
    });
    it("names the key, the value and the stack file of a wrong value", () => {
        assertSpecError(() => readStackConfig(get({ runtime: "docker", wordpressPort: "eighty" }), "dev"), "stacks/Pulumi.dev.yaml", "dockyard:wordpressPort", '"eighty"');
        assertSpecError(() => readStackConfig(get({ runtime: "docker", wordpressPort: "70000" }), "dev"), "dockyard:wordpressPort", "between 1 and 65535");
        assertSpecError(() => readStackConfig(get({ runtime: "nomad" }), "dev"), "dockyard:runtime", '"nomad"');
        assertSpecError(() => readStackConfig(get({ runtime: "docker", wordpressReplicas: "3" }), "dev"), "dockyard:wordpressReplicas", "one WordPress replica");
    });
    it("rejects unknown keys, suggesting the right one", () => {
        assertSpecError(() => checkKnownKeys(["dockyard:wordpressport"], "dev"), "dockyard:wordpressport", "did you mean dockyard:wordpressPort");
        checkKnownKeys(["docker:host", "dockyard:runtime"], "dev");
    });
    it("stops the program with the key's name when a stack file holds a bad value", async () => {
        const dir = fs.mkdtempSync(path.join(REPO_ROOT, "bin", "stack-"));
        // dockyard's project, its program the compiled one (main: index.ts would be transpiled, the library with it).
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8").replace(/^main: index\.ts$/m, "main: bin/index.js"));
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.broken.yaml"), "config:\n  dockyard:runtime: docker\n  dockyard:wordpressPort: not-a-port\n");
        fs.mkdirSync(path.join(dir, "bin"));
        fs.writeFileSync(path.join(dir, "bin", "index.js"), `module.exports = require(${JSON.stringify(path.join(REPO_ROOT, "bin", "index.js"))});`);
        await assert.rejects(renderStack("broken", dir), /dockyard:wordpressPort.*whole number/);
        fs.rmSync(dir, { recursive: true });
    });
    it("Pulumi.yaml declares exactly the keys, types and defaults of CONFIG_KEYS, except the optional secrets", () => {
        const project = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8"));
        // Pulumi requires every declared key without a default: the optional secrets stay undeclared.
        const declared = Object.keys(CONFIG_KEYS).filter((k) => !(SECRET_KEYS as string[]).includes(k));
        assert.deepStrictEqual(Object.keys(project.config).sort(), declared.sort());
        for (const key of SECRET_KEYS) assert.ok(project.config[key] === undefined && (CONFIG_KEYS[key] as { default?: unknown }).default === undefined, key);
        for (const [key, spec] of Object.entries(CONFIG_KEYS).filter(([k]) => declared.includes(k))) {
            const decl = project.config[key];
            assert.strictEqual(decl.type, spec.type, key);
            assert.strictEqual(decl.default, (spec as { default?: unknown }).default, key);
            assert.strictEqual(decl.secret ?? false, (spec as { secret?: boolean }).secret ?? false, key);
            assert.ok(decl.description, `${key} has a description`);
        }
    });
    it("refuses a secret key set in plain text, naming the key and the stack file", () => {
        const keys = ["dockyard:runtime", "dockyard:dbPassword"];
        assert.throws(() => checkSecretKeys(keys, () => false, "dev"), /stacks\/Pulumi\.dev\.yaml.*dockyard:dbPassword.*--secret dbPassword/s);
        checkSecretKeys(keys, (k) => k === "dockyard:dbPassword", "dev");
        checkSecretKeys(["dockyard:runtime"], () => false, "dev");
    });
    it("every stack file uses known keys only", () => {
        for (const f of fs.readdirSync(path.join(REPO_ROOT, "stacks")).filter((f) => /^Pulumi\..+\.yaml$/.test(f))) {
            const stack = f.split(".")[1];
            checkKnownKeys(Object.keys(readStackFiles(REPO_ROOT, stack).config), stack);
        }
    });
    it("reads an encrypted value as a secret without decrypting it", () => {
        const dir = fs.mkdtempSync(path.join(REPO_ROOT, "bin", "stack-"));
        // dockyard's project, its program the compiled one (main: index.ts would be transpiled, the library with it).
        fs.writeFileSync(path.join(dir, "Pulumi.yaml"), fs.readFileSync(path.join(REPO_ROOT, "Pulumi.yaml"), "utf8").replace(/^main: index\.ts$/m, "main: bin/index.js"));
        fs.mkdirSync(path.join(dir, "stacks"));
        fs.writeFileSync(path.join(dir, "stacks", "Pulumi.s.yaml"), "config:\n  dockyard:dbPassword:\n    secure: v1:abc:def\n");
        const files = readStackFiles(dir, "s");
        assert.deepStrictEqual(files.secretKeys, ["dockyard:dbPassword"]);
        assert.ok(!Object.values(files.config).includes("v1:abc:def"));
        fs.rmSync(dir, { recursive: true });
    });
});

describe("dev with a private registry", () => {
    it("gives the provider the registry's credentials, the password as a secret", async () => {
        const files = readStackFiles(REPO_ROOT, "dev");
        const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
        const config = { ...files.config, "dockyard:registry": "127.0.0.1:5000/team", "dockyard:registryUsername": "ci", "dockyard:registryPassword": "tok3n-value" };
        const resources = await render(program, { project: files.project, stack: "dev", config, secretKeys: [...files.secretKeys, "dockyard:registryPassword"] });
        // The list holds the secret password, so Pulumi keeps all of it secret.
        assert.strictEqual(resourceNamed(resources, "host-provider").inputs.registryAuth, SECRET);
        const anonymous = await render(program, { project: files.project, stack: "dev", config: { ...files.config, "dockyard:registry": "127.0.0.1:5000/team" }, secretKeys: files.secretKeys });
        assert.ok(!("registryAuth" in resourceNamed(anonymous, "host-provider").inputs), "no credentials, no registryAuth");
        assert.ok(!JSON.stringify(resources).includes("tok3n"), "the password appears nowhere");
    });
});

describe("dockyard render of dev", () => {
    it("shows the generated monitoring files, masking only the secret ones", async () => {
        const resources = await renderStack("dev", REPO_ROOT);
        const uploads = (name: string) => resourceNamed(resources, name).inputs.uploads as { file: string; content: string }[];
        const grafana = Object.fromEntries(uploads("monitoring-grafana-1").map((u) => [u.file, u.content]));
        assert.strictEqual(grafana["/run/secrets/grafana-admin-password"], SECRET);
        assert.match(grafana["/etc/grafana/provisioning/datasources/prometheus.yml"], /^apiVersion: 1\n/);
        const prometheus = Object.fromEntries(uploads("monitoring-prometheus-1").map((u) => [u.file, u.content]));
        assert.match(prometheus["/etc/prometheus/prometheus.yml"], /job_name: cadvisor/);
        assert.match(prometheus["/etc/prometheus/rules/alerts.yml"], /alert: TargetDown/);
    });
});

describe("a bad setting creates nothing", () => {
    // What the program registered before it stopped: the engine would create those resources.
    async function registeredBeforeFailure(config: Record<string, string>): Promise<{ error: unknown; types: string[] }> {
        const files = readStackFiles(REPO_ROOT, "dev");
        const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
        let error: unknown;
        const resources = await render(() => {
            try {
                program();
            } catch (e) {
                error = e;
            }
        }, { project: files.project, stack: "dev", config: { ...files.config, ...config }, secretKeys: files.secretKeys });
        return { error, types: resources.map((r) => r.type) };
    }

    it("a monitoring retention of -1d stops the program before any infrastructure exists", async () => {
        const { error, types } = await registeredBeforeFailure({ "dockyard:retention": "-1d" });
        // Told in the stack's terms: the file and the key, not the app's field it ends up in.
        assert.ok(error instanceof Error && /stacks\/Pulumi\.dev\.yaml: dockyard:retention/.test(error.message) && /-1d/.test(error.message), String(error));
        // Generated passwords are values in state, not infrastructure.
        assert.deepStrictEqual(types.filter((t) => !t.startsWith("random:")), []);
    });

    it("a bad registry stops the program before any infrastructure exists", async () => {
        const { error, types } = await registeredBeforeFailure({ "dockyard:registry": "https://r.example.com" });
        assert.ok(error instanceof Error && /stacks\/Pulumi\.dev\.yaml: dockyard:registry/.test(error.message), String(error));
        assert.deepStrictEqual(types.filter((t) => !t.startsWith("random:")), []);
    });

    it("a bad Docker host URL stops the program before any infrastructure exists", async () => {
        const { error, types } = await registeredBeforeFailure({ "dockyard:dockerHost": "http://engine:2375" });
        assert.ok(error instanceof Error && /stacks\/Pulumi\.dev\.yaml: dockyard:dockerHost/.test(error.message), String(error));
        assert.deepStrictEqual(types.filter((t) => !t.startsWith("random:")), []);
    });
});
