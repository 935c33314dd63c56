/**
 * Stand-in images. No registry can be reached from the test machines, so every image a real test
 * deploys is built here from Debian's static busybox (tests/e2e/standin) and tagged with the name
 * the stack or Compose file asks for; the docker provider then finds it locally and pulls nothing.
 * A stand-in answers HTTP on the ports its image is known for, after a short start-up delay.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { docker, run } from "./engine";

const BASE = "dockyard-standin:base";
const STANDIN_LABEL = "dev.dockyard.standin";

/** Ports the real image serves on, and how long it takes to become ready, by repository name. */
const KNOWN: ReadonlyArray<{ match: RegExp; ports: number[]; readyAfter?: number }> = [
    { match: /(^|\/)(mysql|mariadb)$/, ports: [3306], readyAfter: 4 },
    { match: /(^|\/)postgres$/, ports: [5432], readyAfter: 3 },
    { match: /(^|\/)redis$/, ports: [6379] },
    { match: /(^|\/)mongo$/, ports: [27017] },
    { match: /(^|\/)wordpress$/, ports: [80] },
    { match: /(^|\/)(nginx|httpd|php)$/, ports: [80] },
    { match: /^prom\/prometheus$/, ports: [9090] },
    { match: /^prom\/alertmanager$/, ports: [9093] },
    { match: /^prom\/node-exporter$/, ports: [9100] },
    { match: /^grafana\/grafana(-oss)?$/, ports: [3000] },
    { match: /cadvisor$/, ports: [8080] },
    { match: /^portainer\/portainer-ce$/, ports: [9000, 9443] },
    { match: /^gitea\/gitea$/, ports: [3000] },
    { match: /^dpage\/pgadmin4$/, ports: [80] },
    { match: /^nextcloud$/, ports: [80] },
    { match: /^e2e\/api$/, ports: [8080] },
];

function standinFor(image: string): { ports: number[]; readyAfter: number } {
    const repo = image.replace(/@.*$/, "").replace(/:[^/:]*$/, "");
    const known = KNOWN.find((k) => k.match.test(repo));
    return { ports: known?.ports ?? [], readyAfter: known?.readyAfter ?? 0 };
}

/** The busybox binary the stand-ins are made of (Debian's busybox-static). */
function busybox(): string {
    for (const p of ["/bin/busybox", "/usr/bin/busybox"]) if (fs.existsSync(p)) return p;
    throw new Error("busybox is not installed: scripts/e2e.sh installs Debian's busybox-static");
}

/**
 * Debian's busybox-static is static glibc, which still loads the name-service modules at run time
 * to resolve any host name, 127.0.0.1 and the other containers' names included; without them wget
 * and nslookup crash. They are copied from this machine, whose glibc is the one busybox was built
 * with, to the same paths.
 */
function copyNameServiceLibraries(into: string): void {
    const wanted = ["libnss_files.so.2", "libnss_dns.so.2", "libresolv.so.2", "libc.so.6", "ld-linux-x86-64.so.2", "ld-linux-aarch64.so.1"];
    const cache = run("ldconfig", ["-p"]).stdout;
    for (const line of cache.split("\n")) {
        const m = /^\s*(\S+) \(([^)]*)\) => (\S+)$/.exec(line);
        if (!m || !wanted.includes(m[1]) || !/x86-64|AArch64/.test(m[2])) continue;
        const target = path.join(into, m[3]);
        fs.mkdirSync(path.dirname(target), { recursive: true });
        fs.copyFileSync(fs.realpathSync(m[3]), target);
    }
    fs.mkdirSync(path.join(into, "etc"), { recursive: true });
    fs.writeFileSync(path.join(into, "etc", "nsswitch.conf"), "hosts: files dns\n");
}

let baseBuilt = false;

function buildBase(): void {
    if (baseBuilt) return;
    const ctx = fs.mkdtempSync(path.join(os.tmpdir(), "standin-"));
    try {
        for (const f of ["Dockerfile", "standin", "probe"]) {
            fs.copyFileSync(path.join(REPO_ROOT, "tests", "e2e", "standin", f), path.join(ctx, f));
        }
        fs.chmodSync(path.join(ctx, "standin"), 0o755);
        fs.chmodSync(path.join(ctx, "probe"), 0o755);
        fs.copyFileSync(busybox(), path.join(ctx, "busybox"));
        fs.chmodSync(path.join(ctx, "busybox"), 0o755);
        copyNameServiceLibraries(path.join(ctx, "nss"));
        docker(["build", "-q", "--label", `${STANDIN_LABEL}=base`, "-t", BASE, ctx], { timeoutMs: 120_000 });
        baseBuilt = true;
    } finally {
        fs.rmSync(ctx, { recursive: true, force: true });
    }
}

/** Builds (once per run) a stand-in for each image and tags it with the image's name. */
export function ensureStandins(images: Iterable<string>): void {
    buildBase();
    for (const image of new Set(images)) {
        const { ports, readyAfter } = standinFor(image);
        const dockerfile = [
            `FROM ${BASE}`,
            `ENV STANDIN_IMAGE=${image} STANDIN_PORTS="${ports.join(" ")}" STANDIN_READY_AFTER=${readyAfter}`,
            ...(ports.length ? [`EXPOSE ${ports.join(" ")}`] : []),
            `LABEL ${STANDIN_LABEL}=${JSON.stringify(image)}`,
        ].join("\n");
        run("docker", ["build", "-q", "-t", image, "-"], { input: dockerfile, timeoutMs: 60_000 });
    }
}
