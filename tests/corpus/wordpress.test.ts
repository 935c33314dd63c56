/**
 * Issue 3: "loading the wordpress-mysql corpus app through App.fromCompose produces the same
 * resources as the hand-written dev stack". Both are rendered on a Docker host; everything under
 * the App "wordpress" must be the same — resources, Docker names, mounts, networks, restart
 * policies, labels — except the inputs listed in DIFFERENCES, each with the reason it differs.
 */
import * as assert from "assert";
import * as path from "path";
import { renderStack } from "../../cli/dockyard";
import { App } from "../../components/app";
import { render, RenderedResource, SECRET } from "../../components/render";
import { DockerTarget } from "../../components/targets/docker";
import { describeWithCorpus, REPO_ROOT } from "../harness";
import { CORPUS_DIR } from "./apps";

const CORPUS_FILE = path.join(CORPUS_DIR, "awesome-compose", "wordpress-mysql", "compose.yaml");
const APP = "wordpress";

/** An input (or `dependsOn`) of one resource that differs between the dev stack and the corpus app. */
interface Difference {
    readonly resource: string;
    readonly key: string;
    readonly why: string;
}

const PASSWORD = "password: the dev stack delivers the password as a secret file (uploads to /run/secrets/db_password, " +
    "*_FILE variables, a random root password) so it is never in plain text; the corpus has it in plain environment variables";
const HEALTH = "healthcheck + wait: the dev stack's WordPress depends on a healthy db, so the db gets a healthcheck and " +
    "Pulumi waits for it to pass; the corpus has neither a healthcheck nor depends_on";

const DIFFERENCES: readonly Difference[] = [
    { resource: "wordpress-image-db", key: "name", why: "image: the dev stack runs MySQL (mysql:8.4) as issue 3 asks; the corpus runs MariaDB, for arm64" },
    { resource: "wordpress-image-wordpress", key: "name", why: "image tag: the dev stack pins wordpress:6.8-apache so every `pulumi up` gets the same image; the corpus uses wordpress:latest" },
    {
        resource: "wordpress-db-1",
        key: "command",
        why: "the corpus starts the db with --default-authentication-plugin=mysql_native_password, which MySQL 8.4 removed " +
            "(mysqld refuses to start with it); it follows from the image choice",
    },
    { resource: "wordpress-db-1", key: "envs", why: PASSWORD },
    { resource: "wordpress-db-1", key: "uploads", why: PASSWORD },
    { resource: "wordpress-db-1", key: "dependsOn", why: `${PASSWORD} (the container waits for the generated RandomPassword)` },
    { resource: "wordpress-db-1", key: "healthcheck", why: HEALTH },
    { resource: "wordpress-db-1", key: "wait", why: HEALTH },
    { resource: "wordpress-db-1", key: "waitTimeout", why: HEALTH },
    { resource: "wordpress-wordpress-1", key: "envs", why: PASSWORD },
    { resource: "wordpress-wordpress-1", key: "uploads", why: PASSWORD },
    { resource: "wordpress-wordpress-1", key: "dependsOn", why: `${HEALTH}; and ${PASSWORD}` },
    { resource: "wordpress-wordpress-1", key: "ports", why: "port: the dev stack publishes 8080 (wordpressPort) so it does not need port 80; the corpus publishes 80" },
];

/** Variables that carry the password (or say where it is); every other variable must be the same. */
const PASSWORD_VARIABLES = ["MYSQL_ROOT_PASSWORD", "MYSQL_RANDOM_ROOT_PASSWORD", "MYSQL_PASSWORD", "MYSQL_PASSWORD_FILE", "WORDPRESS_DB_PASSWORD", "WORDPRESS_DB_PASSWORD_FILE"];

/** The App "wordpress" and its children, by name. */
function underApp(resources: RenderedResource[]): Map<string, RenderedResource> {
    return new Map(resources.filter((r) => r.name === APP || r.parent === APP).map((r) => [r.name, r]));
}

function envMap(r: RenderedResource): Record<string, string> {
    return Object.fromEntries((r.inputs.envs as string[]).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

/** Keys of `a` and `b` (inputs, plus `dependsOn`) whose values differ. */
function differingKeys(a: RenderedResource, b: RenderedResource): string[] {
    const keys = [...new Set([...Object.keys(a.inputs), ...Object.keys(b.inputs)])].sort();
    const differ = keys.filter((k) => JSON.stringify(a.inputs[k]) !== JSON.stringify(b.inputs[k]));
    if (JSON.stringify([...a.dependsOn].sort()) !== JSON.stringify([...b.dependsOn].sort())) differ.push("dependsOn");
    return differ;
}

describeWithCorpus("corpus/wordpress-mysql matches the dev stack", () => {
    let dev: Map<string, RenderedResource>;
    let corpus: Map<string, RenderedResource>;
    before(async () => {
        dev = underApp(await renderStack("dev", REPO_ROOT));
        corpus = underApp(
            await render(() => {
                App.fromCompose(APP, { files: [CORPUS_FILE], projectName: APP, env: {}, onWarning: () => undefined, target: new DockerTarget() });
            }),
        );
    });
    const get = (m: Map<string, RenderedResource>, name: string): RenderedResource => {
        const r = m.get(name);
        assert.ok(r, `no ${name} under the App (have ${[...m.keys()].join(", ")})`);
        return r;
    };

    it("has the same resources under the App", () => {
        const kinds = (m: Map<string, RenderedResource>) => [...m.values()].map((r) => `${r.type} ${r.name}`).sort();
        assert.deepStrictEqual(kinds(corpus), kinds(dev));
        assert.deepStrictEqual(kinds(dev), [
            "docker:index/container:Container wordpress-db-1",
            "docker:index/container:Container wordpress-wordpress-1",
            "docker:index/network:Network wordpress-network-default",
            "docker:index/remoteImage:RemoteImage wordpress-image-db",
            "docker:index/remoteImage:RemoteImage wordpress-image-wordpress",
            "docker:index/volume:Volume wordpress-volume-db_data",
            "dockyard:index:App wordpress",
        ]);
    });

    it("gives the containers, network and volume the same Docker names", () => {
        for (const name of ["wordpress-db-1", "wordpress-wordpress-1", "wordpress-network-default", "wordpress-volume-db_data"]) {
            assert.strictEqual(get(corpus, name).inputs.name, get(dev, name).inputs.name, name);
        }
        assert.deepStrictEqual([...dev.values()].filter((r) => r.type !== "docker:index/remoteImage:RemoteImage" && r.type !== "dockyard:index:App").map((r) => r.inputs.name).sort(), [
            "wordpress-db-1", "wordpress-wordpress-1", "wordpress_db_data", "wordpress_default",
        ]);
    });

    it("gives the containers the same mounts, networks, restart policies and labels", () => {
        for (const name of ["wordpress-db-1", "wordpress-wordpress-1"]) {
            for (const key of ["mounts", "networksAdvanced", "restart", "labels", "image"]) {
                assert.deepStrictEqual(get(corpus, name).inputs[key], get(dev, name).inputs[key], `${name}.${key}`);
            }
        }
        assert.deepStrictEqual(get(dev, "wordpress-db-1").inputs.mounts, [{ readOnly: false, source: "wordpress_db_data", target: "/var/lib/mysql", type: "volume" }]);
        assert.strictEqual(get(dev, "wordpress-db-1").inputs.restart, "always");
    });

    it("differs only in the documented inputs", () => {
        const actual = [...dev.keys()].flatMap((name) => differingKeys(get(dev, name), get(corpus, name)).map((key) => `${name} ${key}`)).sort();
        const documented = DIFFERENCES.map((d) => `${d.resource} ${d.key}`).sort();
        assert.deepStrictEqual(actual, documented, "an undocumented difference appeared, or a documented one went away");
    });

    it("differs in the documented ways", () => {
        const dbImage = String(get(dev, "wordpress-image-db").inputs.name);
        assert.ok(dbImage.startsWith("mysql:"), `dev db image ${dbImage}`);
        assert.ok(String(get(corpus, "wordpress-image-db").inputs.name).startsWith("mariadb:"));
        assert.deepStrictEqual(get(corpus, "wordpress-db-1").inputs.command, ["--default-authentication-plugin=mysql_native_password"]);
        assert.deepStrictEqual(get(dev, "wordpress-wordpress-1").inputs.ports, [{ external: 8080, internal: 80, protocol: "tcp" }]);
        assert.deepStrictEqual(get(corpus, "wordpress-wordpress-1").inputs.ports, [{ external: 80, internal: 80, protocol: "tcp" }]);
        for (const name of ["wordpress-db-1", "wordpress-wordpress-1"]) {
            const withoutPasswords = (r: RenderedResource) => Object.entries(envMap(r)).filter(([k]) => !PASSWORD_VARIABLES.includes(k));
            assert.deepStrictEqual(withoutPasswords(get(dev, name)), withoutPasswords(get(corpus, name)), `${name}: variables other than the password`);
            assert.deepStrictEqual(get(dev, name).inputs.uploads, [{ content: SECRET, file: "/run/secrets/db_password", permissions: "0444" }]);
            assert.ok(Object.keys(envMap(get(dev, name))).every((k) => !PASSWORD_VARIABLES.includes(k) || k.endsWith("_FILE") || k === "MYSQL_RANDOM_ROOT_PASSWORD"));
        }
        assert.strictEqual(get(dev, "wordpress-db-1").inputs.wait, true);
        assert.ok(get(dev, "wordpress-wordpress-1").dependsOn.includes("wordpress-db-1"));
        assert.ok(!get(corpus, "wordpress-wordpress-1").dependsOn.includes("wordpress-db-1"));
    });
});
