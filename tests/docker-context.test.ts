/**
 * DockerHost without a host follows the docker CLI: DOCKER_HOST (TLS from DOCKER_CERT_PATH), else
 * the current context (DOCKER_CONTEXT, else config.json's currentContext, in DOCKER_CONFIG), else
 * the local socket. The context store's layout is docker/cli's: meta/<sha256(name)>/meta.json.
 */
import * as assert from "assert";
import { createHash } from "crypto";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { defaultDockerEndpoint, LOCAL_SOCKET } from "../components/docker-context";
import { DockerHost, dockerHostSettings } from "../components/docker-host";
import { render } from "../components/render";
import { assertSpecError } from "./harness";

function dockerConfig(files: Record<string, string>): string {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-docker-config-"));
    for (const [rel, text] of Object.entries(files)) {
        fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
        fs.writeFileSync(path.join(dir, rel), text);
    }
    return dir;
}

const id = (name: string) => createHash("sha256").update(name).digest("hex");
const PEM = { "ca.pem": "CA", "cert.pem": "CERT", "key.pem": "KEY" };

describe("Docker endpoint by default, as the docker CLI chooses it", () => {
    it("is the local socket with no DOCKER_HOST and no context", () => {
        const dir = dockerConfig({});
        assert.deepStrictEqual(defaultDockerEndpoint({ env: { DOCKER_CONFIG: dir } }), { host: LOCAL_SOCKET, from: "default" });
        const named = dockerConfig({ "config.json": JSON.stringify({ currentContext: "default" }) });
        assert.strictEqual(defaultDockerEndpoint({ env: { DOCKER_CONFIG: named } }).host, LOCAL_SOCKET);
    });

    it("follows DOCKER_HOST, with the TLS files of DOCKER_CERT_PATH when DOCKER_TLS_VERIFY is set", () => {
        assert.deepStrictEqual(defaultDockerEndpoint({ env: { DOCKER_HOST: "ssh://ops@build" } }), { host: "ssh://ops@build", from: "DOCKER_HOST" });
        const certs = dockerConfig(PEM);
        assert.deepStrictEqual(defaultDockerEndpoint({ env: { DOCKER_HOST: "tcp://10.0.0.5:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: certs } }),
            { host: "tcp://10.0.0.5:2376", tls: { ca: "CA", cert: "CERT", key: "KEY" }, from: "DOCKER_HOST" });
        assertSpecError(() => defaultDockerEndpoint({ env: { DOCKER_HOST: "tcp://x:2376", DOCKER_TLS_VERIFY: "1", DOCKER_CERT_PATH: dockerConfig({}) } }), "dockerHost.tls", "DOCKER_TLS_VERIFY");
    });

    it("follows the current context of config.json, or DOCKER_CONTEXT, with the context's TLS material", () => {
        const dir = dockerConfig({
            "config.json": JSON.stringify({ currentContext: "remote" }),
            [`contexts/meta/${id("remote")}/meta.json`]: JSON.stringify({ Name: "remote", Endpoints: { docker: { Host: "tcp://10.0.0.9:2376", SkipTLSVerify: false } } }),
            ...Object.fromEntries(Object.entries(PEM).map(([f, t]) => [`contexts/tls/${id("remote")}/docker/${f}`, t])),
            [`contexts/meta/${id("build")}/meta.json`]: JSON.stringify({ Name: "build", Endpoints: { docker: { Host: "ssh://ops@build" } } }),
        });
        assert.deepStrictEqual(defaultDockerEndpoint({ env: { DOCKER_CONFIG: dir } }), { host: "tcp://10.0.0.9:2376", tls: { ca: "CA", cert: "CERT", key: "KEY" }, from: 'context "remote"' });
        assert.deepStrictEqual(defaultDockerEndpoint({ env: { DOCKER_CONFIG: dir, DOCKER_CONTEXT: "build" } }), { host: "ssh://ops@build", from: 'context "build"' });
        // DOCKER_HOST wins over the context, as for the docker CLI.
        assert.strictEqual(defaultDockerEndpoint({ env: { DOCKER_CONFIG: dir, DOCKER_HOST: "unix:///run/user/1000/docker.sock" } }).host, "unix:///run/user/1000/docker.sock");
        assertSpecError(() => defaultDockerEndpoint({ env: { DOCKER_CONFIG: dir, DOCKER_CONTEXT: "gone" } }), "dockerHost.host", 'context "gone" does not exist');
    });

    it("DockerHost without host uses it; an explicit host still wins", async () => {
        const saved = { ...process.env };
        process.env.DOCKER_HOST = "tcp://127.0.0.1:2375";
        try {
            assert.strictEqual(dockerHostSettings({}).host, "tcp://127.0.0.1:2375");
            assert.strictEqual(dockerHostSettings({ host: "unix:///var/run/docker.sock" }).host, "unix:///var/run/docker.sock");
            const rs = await render(() => new DockerHost("h"));
            assert.strictEqual(rs.find((r) => r.type === "pulumi:providers:docker")?.inputs.host, "tcp://127.0.0.1:2375");
        } finally {
            for (const k of Object.keys(process.env)) if (!(k in saved)) delete process.env[k];
            Object.assign(process.env, saved);
        }
    });
});
