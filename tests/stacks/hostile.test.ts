/**
 * Careless stack settings (issue 11): every value a stack file can hold ends in an environment
 * or in an error naming the stack file and the key (`stacks/Pulumi.dev.yaml: dockyard:wordpressMemory`),
 * never the field of the app it ends up in; passwords are never printed.
 */
import * as assert from "assert";
import * as path from "path";
import { readStackFiles } from "../../cli/stack-files";
import { render } from "../../components/render";
import { checkKnownKeys, checkSecretKeys, readStackConfig } from "../../stacks/config";
import { assertSpecError, REPO_ROOT } from "../harness";

const get = (values: Record<string, string>) => (key: string) => values[key];
const docker = (values: Record<string, string>) => get({ runtime: "docker", ...values });

describe("stacks/hostile settings", () => {
    it("resource settings are checked when read, and named by their key and file", () => {
        assertSpecError(() => readStackConfig(docker({ wordpressMemory: "lots" }), "dev"), "stacks/Pulumi.dev.yaml: dockyard:wordpressMemory", "not a size", '"lots"');
        assertSpecError(() => readStackConfig(docker({ wordpressCpus: "1e308" }), "dev"), "stacks/Pulumi.dev.yaml: dockyard:wordpressCpus", "at most 4096");
        assertSpecError(() => readStackConfig(docker({ dbMemory: "99999999999999999999g" }), "dev"), "dockyard:dbMemory", "at most 8 PiB");
        assertSpecError(() => readStackConfig(docker({ dbCpus: "1", dbCpuReservation: "2" }), "dev"), "dockyard:dbCpuReservation", "larger than dockyard:dbCpus");
        assertSpecError(() => readStackConfig(docker({ wordpressMemory: "256m", wordpressMemoryReservation: "1g" }), "dev"), "dockyard:wordpressMemoryReservation", "larger than dockyard:wordpressMemory");
        assertSpecError(() => readStackConfig(docker({ retention: "-1d" }), "dev"), "dockyard:retention", "not a Prometheus duration");
        assertSpecError(() => readStackConfig(docker({ retention: "" }), "dev"), "dockyard:retention", "not a Prometheus duration");
        assertSpecError(() => readStackConfig(docker({ retentionSize: "1.5p" }), "dev"), "dockyard:retentionSize", '"10GB"');
        assertSpecError(() => readStackConfig(get({ runtime: "kubernetes", dbVolumeSize: "lots" }), "prod"), "stacks/Pulumi.prod.yaml: dockyard:dbVolumeSize", "Kubernetes quantity");
        assertSpecError(() => readStackConfig(get({ runtime: "kubernetes", prometheusVolumeSize: "lots" }), "prod"), "stacks/Pulumi.prod.yaml: dockyard:prometheusVolumeSize", "Kubernetes quantity");
        // A retention larger than the volume it must fit in, both given: the keys and both values are named.
        assertSpecError(() => readStackConfig(get({ runtime: "kubernetes", retentionSize: "50GB", prometheusVolumeSize: "1Gi" }), "prod"),
            "stacks/Pulumi.prod.yaml: dockyard:retentionSize", '"50GB"', "larger than dockyard:prometheusVolumeSize (1Gi)", "at least 63Gi");
        readStackConfig(get({ runtime: "kubernetes", retentionSize: "50GB", prometheusVolumeSize: "64Gi" }), "prod");
        assertSpecError(() => readStackConfig(docker({ wordpressImage: "word press" }), "dev"), "dockyard:wordpressImage", "image reference");
        assertSpecError(() => readStackConfig(docker({ dockerHost: "http://engine:2375" }), "dev"), "dockyard:dockerHost", 'unsupported Docker host scheme "http"');
        // Empty means unset for the optional ones.
        readStackConfig(docker({ wordpressMemory: "", dbCpus: "" }), "dev");
    });
    it("a registry setting is checked when read: the address, and a login of a user and a password for a registry", () => {
        assertSpecError(() => readStackConfig(docker({ registry: "https://r.example.com" }), "dev"), "stacks/Pulumi.dev.yaml: dockyard:registry", "without a scheme", '"https://r.example.com"');
        assertSpecError(() => readStackConfig(docker({ registry: "myregistry" }), "dev"), "dockyard:registry", "Docker Hub organisation");
        assertSpecError(() => readStackConfig(docker({ registryUsername: "ci" }), "dev"), "dockyard:registryUsername", "needs dockyard:registry");
        assertSpecError(() => readStackConfig(docker({ registry: "r.example.com", registryUsername: "ci" }), "dev"), "dockyard:registryUsername", "pulumi config set --secret registryPassword");
        const e = assertSpecError(() => readStackConfig(docker({ registry: "r.example.com", registryPassword: "tok3n-value" }), "dev"), "dockyard:registryPassword", "needs a user");
        assert.ok(!e.message.includes("tok3n"), e.message);
        assertSpecError(() => readStackConfig(docker({ registryPassword: "tok3n-value" }), "dev"), "dockyard:registryPassword", "needs dockyard:registry");
        const ok = readStackConfig(docker({ registry: "127.0.0.1:5000/team", registryUsername: "ci", registryPassword: "tok3n-value" }), "dev");
        assert.deepStrictEqual([ok.registry, ok.registryUsername], ["127.0.0.1:5000/team", "ci"]);
        assert.ok(!("registryPassword" in ok), "the password is read as a secret by the program, never as a value");
        readStackConfig(docker({ registry: "r.example.com" }), "dev"); // anonymous
    });
    it("two applications of the stack on one host port are refused", () => {
        assertSpecError(() => readStackConfig(docker({ monitoring: "true", grafanaPort: "8080" }), "dev"), "dockyard:grafanaPort", "port 8080 is already dockyard:wordpressPort's");
        assertSpecError(() => readStackConfig(docker({ portainer: "true", portainerPort: "8080" }), "dev"), "dockyard:portainerPort", "already dockyard:wordpressPort's");
        // Prometheus is published only when its port is set; a disabled app takes no port.
        readStackConfig(docker({ monitoring: "true", prometheusPort: "0" }), "dev");
        readStackConfig(docker({ grafanaPort: "8080" }), "dev");
    });
    it("a misspelled namespace is an error, with the key it probably meant; the providers' namespaces pass", () => {
        assertSpecError(() => checkKnownKeys(["dockyrd:runtime"], "dev"), "stacks/Pulumi.dev.yaml: dockyrd:runtime", 'unknown config namespace "dockyrd"', "did you mean dockyard:runtime?");
        assertSpecError(() => checkKnownKeys(["foo:wordpressPort"], "dev"), "did you mean dockyard:wordpressPort?");
        assertSpecError(() => checkKnownKeys(["runtime"], "dev"), 'unknown config namespace ""');
        checkKnownKeys(["docker:host", "kubernetes:context", "pulumi:tags", "dockyard:runtime"], "dev");
    });
    it("secure: on a key that is not a secret is refused with the way to set it", () => {
        assertSpecError(() => checkSecretKeys(["dockyard:runtime", "dockyard:wordpressPort"], (k) => k === "dockyard:wordpressPort", "dev"),
            "stacks/Pulumi.dev.yaml: dockyard:wordpressPort", "is set as a secret (secure:) but is not a secret setting", "pulumi config set wordpressPort <value> --stack dev");
    });
    it("an empty or one-character password is refused, and never printed", () => {
        for (const value of ["", "x", "       "]) {
            const e = assertSpecError(() => readStackConfig(docker({ dbPassword: value }), "dev"), "stacks/Pulumi.dev.yaml: dockyard:dbPassword", "too short to be a password");
            assert.ok(!/\(got /.test(e.message), e.message);
        }
        assertSpecError(() => readStackConfig(docker({ portainerPassword: "abc" }), "dev"), "dockyard:portainerPassword", "at least 8 characters");
        readStackConfig(docker({ dbPassword: "long enough" }), "dev");
    });
    it("through the program: a bad setting stops it with the stack key, before any infrastructure", async () => {
        const files = readStackFiles(REPO_ROOT, "dev");
        const program = require(path.join(REPO_ROOT, "bin", "index.js")) as () => unknown;
        for (const [config, secretKeys, expected] of [
            [{ "dockyard:wordpressMemory": "lots" }, [], /stacks\/Pulumi\.dev\.yaml: dockyard:wordpressMemory: not a size/],
            [{ "dockyrd:runtime": "docker" }, [], /dockyrd:runtime: unknown config namespace/],
            [{ "dockyard:wordpressPort": "8080" }, ["dockyard:wordpressPort"], /dockyard:wordpressPort: is set as a secret/],
            [{ "dockyard:dbPassword": "x" }, ["dockyard:dbPassword"], /dockyard:dbPassword: is too short to be a password/],
        ] as [Record<string, string>, string[], RegExp][]) {
            let error: unknown;
            const resources = await render(() => {
                try {
                    program();
                } catch (e) {
                    error = e;
                }
            }, { project: files.project, stack: "dev", config: { ...files.config, ...config }, secretKeys: [...files.secretKeys, ...secretKeys] });
            assert.match(String(error), expected);
            assert.deepStrictEqual(resources.filter((r) => !r.type.startsWith("random:")), []);
        }
    });
});
