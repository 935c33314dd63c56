/**
 * A real private registry for the real tests: Debian's `docker-registry` (the CNCF distribution
 * registry) on loopback, with basic auth (a bcrypt htpasswd) and TLS from a throw-away CA. The
 * engine is told to trust that CA the way an operator would (/etc/docker/certs.d/<host:port>/ca.crt),
 * and the Pulumi process (the docker provider asks the registry for digests itself) gets a CA
 * bundle with it through SSL_CERT_FILE. `stop()` removes exactly what `start` made, by name.
 */
import { spawn } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { freePort } from "./checks";
import { run, waitFor } from "./engine";

/** The system's CA bundle (Debian's ca-certificates); Go's default list, in this order. */
const SYSTEM_BUNDLES = ["/etc/ssl/certs/ca-certificates.crt", "/etc/pki/tls/certs/ca-bundle.crt", "/etc/ssl/cert.pem"];

export interface TestRegistry {
    /** `127.0.0.1:<port>`: the registry host images are named with. */
    readonly address: string;
    readonly username: string;
    readonly password: string;
    /** Environment for the `pulumi` process: SSL_CERT_FILE, the system CAs plus the test CA. */
    readonly env: NodeJS.ProcessEnv;
    /** Logs in the docker CLI of this machine (for checks), with its own config directory. */
    readonly dockerConfig: string;
    stop(): void;
}

/** Whether the registry's tools are installed (scripts/install-system-deps.sh installs them). */
export function registryToolsMissing(): string[] {
    return ["docker-registry", "htpasswd", "openssl", "curl"].filter((t) => run("sh", ["-c", `command -v ${t}`], { allowFail: true }).status !== 0);
}

export async function startRegistry(): Promise<TestRegistry> {
    const missing = registryToolsMissing();
    if (missing.length) throw new Error(`the registry tests need ${missing.join(", ")}: run scripts/install-system-deps.sh (Debian: docker-registry apache2-utils openssl curl)`);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-registry-"));
    const port = await freePort();
    const address = `127.0.0.1:${port}`;
    const certsD = path.join("/etc/docker/certs.d", address);
    const username = "e2e";
    const password = `pw-${process.pid}-${Date.now()}`;
    const f = (name: string) => path.join(dir, name);
    let pid: number | undefined;
    const stop = () => {
        if (pid !== undefined) {
            try {
                process.kill(pid, "SIGTERM");
            } catch {
                // already gone
            }
            waitFor(() => {
                try {
                    process.kill(pid!, 0);
                    return false;
                } catch {
                    return true;
                }
            }, 10_000, 200);
        }
        removeImagesOf(address);
        fs.rmSync(certsD, { recursive: true, force: true });
        fs.rmSync(dir, { recursive: true, force: true });
    };
    try {
        // A CA, and a server certificate for 127.0.0.1 (and localhost) signed by it.
        const ssl = (args: string[]) => run("openssl", args, { cwd: dir, timeoutMs: 60_000 });
        ssl(["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2", "-subj", "/CN=dockyard e2e registry CA"]);
        ssl(["req", "-newkey", "rsa:2048", "-nodes", "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=127.0.0.1"]);
        fs.writeFileSync(f("ext.cnf"), "subjectAltName=IP:127.0.0.1,DNS:localhost\nextendedKeyUsage=serverAuth\n");
        ssl(["x509", "-req", "-in", "server.csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.crt", "-days", "2", "-extfile", "ext.cnf"]);
        fs.writeFileSync(f("htpasswd"), run("htpasswd", ["-Bbn", username, password]).stdout);
        fs.mkdirSync(f("data"));
        fs.writeFileSync(f("config.yml"), [
            "version: 0.1",
            "log:",
            "  level: warn",
            "storage:",
            "  filesystem:",
            `    rootdirectory: ${f("data")}`,
            "  delete:",
            "    enabled: true",
            "http:",
            `  addr: ${address}`,
            `  secret: ${password}`,
            "  tls:",
            `    certificate: ${f("server.crt")}`,
            `    key: ${f("server.key")}`,
            "auth:",
            "  htpasswd:",
            "    realm: dockyard-e2e",
            `    path: ${f("htpasswd")}`,
            "",
        ].join("\n"));
        const log = fs.openSync(f("registry.log"), "w");
        const child = spawn("docker-registry", ["serve", f("config.yml")], { detached: true, stdio: ["ignore", log, log] });
        fs.closeSync(log);
        child.unref();
        pid = child.pid;
        // The engine trusts the registry's CA as an operator would set it up.
        fs.mkdirSync(certsD, { recursive: true });
        fs.copyFileSync(f("ca.crt"), path.join(certsD, "ca.crt"));
        const answers = () => run("curl", ["-s", "-o", "/dev/null", "-w", "%{http_code}", "--cacert", f("ca.crt"), `https://${address}/v2/`], { allowFail: true, timeoutMs: 10_000 }).stdout === "401";
        if (!waitFor(answers, 30_000, 250)) throw new Error(`the registry did not answer on ${address} within 30 s:\n${fs.readFileSync(f("registry.log"), "utf8")}`);
        const system = SYSTEM_BUNDLES.find((b) => fs.existsSync(b));
        fs.writeFileSync(f("bundle.pem"), (system ? fs.readFileSync(system, "utf8") + "\n" : "") + fs.readFileSync(f("ca.crt"), "utf8"));
        const dockerConfig = f("docker-config");
        fs.mkdirSync(dockerConfig);
        run("docker", ["--config", dockerConfig, "login", "--username", username, "--password-stdin", address], { input: password, timeoutMs: 60_000 });
        return { address, username, password, env: { SSL_CERT_FILE: f("bundle.pem") }, dockerConfig, stop };
    } catch (e) {
        stop();
        throw e;
    }
}

/**
 * Removes every reference the engine holds to images of the registry at `address` (tags and the
 * digests pushes and pulls recorded): an image that only the test's registry named goes with them.
 */
export function removeImagesOf(address: string): void {
    const refs = run("docker", ["images", "--digests", "--format", "{{.Repository}}\t{{.Tag}}\t{{.Digest}}"]).stdout.split("\n")
        .map((l) => l.split("\t"))
        .filter(([repo]) => repo !== undefined && repo.startsWith(`${address}/`))
        .flatMap(([repo, tag, digest]) => [...(tag && tag !== "<none>" ? [`${repo}:${tag}`] : []), ...(digest && digest !== "<none>" ? [`${repo}@${digest}`] : [])]);
    for (const ref of new Set(refs)) run("docker", ["rmi", ref], { allowFail: true });
}

/** The digest the registry holds for `repository:tag` (as the Docker-Content-Digest header), or undefined. */
export function registryDigest(r: TestRegistry, repository: string, tag: string): string | undefined {
    const out = run("curl", [
        "-s", "-I", "-u", `${r.username}:${r.password}`, "--cacert", String(r.env.SSL_CERT_FILE),
        "-H", "Accept: application/vnd.docker.distribution.manifest.v2+json",
        "-H", "Accept: application/vnd.oci.image.manifest.v1+json",
        "-H", "Accept: application/vnd.docker.distribution.manifest.list.v2+json",
        "-H", "Accept: application/vnd.oci.image.index.v1+json",
        `https://${r.address}/v2/${repository}/manifests/${tag}`,
    ], { allowFail: true, timeoutMs: 30_000 }).stdout;
    return /^docker-content-digest:\s*(\S+)/im.exec(out)?.[1];
}
