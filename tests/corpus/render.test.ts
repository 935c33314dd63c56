/**
 * Every Compose application of the shared corpus, on every target, through the same path as
 * `dockyard render --target <kind> <file>`: it renders (one workload per service, every child
 * under the App, no stringified objects in the inputs), or it fails with the error a user should
 * see, listed with the reason in EXPECTED_FAILURES. An empty environment keeps the results
 * independent of the machine (unset variables become blanks, with a warning, as in Compose).
 */
import * as assert from "assert";
import * as os from "os";
import * as path from "path";
import { COMPOSE_APP_NAME, composeProgram, TARGET_KINDS, TargetKindName } from "../../cli/compose-program";
import { App } from "../../components/app";
import { loadCompose } from "../../components/compose";
import { render, RenderedResource } from "../../components/render";
import { LABEL_SERVICE } from "../../components/spec/labels";
import { SpecError } from "../../components/spec/errors";
import { AppSpec } from "../../components/spec/types";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { describeWithCorpus } from "../harness";
import { corpusApps, CorpusApp } from "./apps";

/** An (app, target) that must fail, the parts of the message that make it the right failure, and why. */
interface ExpectedFailure {
    readonly app: string;
    readonly target: TargetKindName;
    /** Substrings of the error message: where (path), what (value), and the advice. */
    readonly message: readonly string[];
    readonly why: string;
    /** A file of the project (missing from the corpus, which holds the Compose files only), not a host path. */
    readonly project?: true;
}

// Shared reasons, so the table stays readable; each row still names its own service and path.
const SOURCE_TREE = "a bind mount of the project's own files (source tree for live reload, static pages, sample data); " +
    "a cluster's nodes do not have the checkout — build the files into the image or put them in a volume";
const CONFIG_FILE = "a configuration file bind-mounted from the project, which becomes a ConfigMap on Kubernetes; the corpus holds the Compose files only, so it is missing";
const HOST_DATA = "data kept in a directory of the host; on Kubernetes that is a named volume (a claim), a pod may run on any node";
const HOST_SYSTEM = "it needs the node itself (the Docker socket, /proc); only sensible on a single-node cluster, which is what allowHostPath: true is for";
/** What every bind-mount failure on Kubernetes must say: it is a host path, and the way out. */
const HOST_PATH_ADVICE = ["bind-mounts the host path", "pods cannot rely on a node's files", "allowHostPath: true"];
/** What a missing file of the project must say on Kubernetes: it is carried as a ConfigMap, so it must exist. */
const PROJECT_FILE_ADVICE = ["binds the project path", "does not exist", "becomes a ConfigMap"];

const EXPECTED_FAILURES: readonly ExpectedFailure[] = [
    ...TARGET_KINDS.map((target): ExpectedFailure => ({
        app: "plex",
        target,
        message: ["plex/compose.yaml:10", "services.plex.volumes[0]", "is a variable before ':' unset?", '":/media/"'],
        why: "the volume is ${PLEX_MEDIA_PATH}:/media/; with the variable unset it is \":/media/\", which Compose rejects too " +
            "(empty section between colons) — the loader fails before any target is involved",
    })),
    {
        app: "dockprom-exporters",
        target: "swarm",
        message: ["docker-compose.exporters.yml:16: services.nodeexporter.network_mode", "Swarm services cannot use network_mode", '"host"'],
        why: "network_mode: host has no Swarm equivalent (docker stack deploy ignores it and the exporter would see the " +
            "overlay network instead of the host's); failing beats silently deploying a different network",
    },
    { app: "angular", target: "kubernetes", message: ["services.web.volumes[0]", "angular/angular at /project"], why: SOURCE_TREE, project: true },
    { app: "apache-php", target: "kubernetes", message: ["services.web.volumes[0]", "apache-php/app at /var/www/html,"], why: SOURCE_TREE, project: true },
    {
        app: "elasticsearch-logstash-kibana",
        target: "kubernetes",
        message: ["services.logstash.volumes[0]", "logstash/pipeline/logstash-nginx.config at /usr/share/logstash/pipeline/logstash-nginx.config"],
        why: CONFIG_FILE,
        project: true,
    },
    { app: "minecraft", target: "kubernetes", message: ["services.minecraft.volumes[0]", "minecraft_data at /data"], why: HOST_DATA, project: true },
    { app: "nginx-flask-mongo", target: "kubernetes", message: ["services.web.volumes[0]", "nginx/nginx.conf at /tmp/nginx.conf"], why: CONFIG_FILE, project: true },
    { app: "nginx-golang", target: "kubernetes", message: ["services.proxy.volumes[0]", "proxy/nginx.conf at /etc/nginx/conf.d/default.conf"], why: CONFIG_FILE, project: true },
    { app: "nginx-golang-mysql", target: "kubernetes", message: ["services.proxy.volumes[0]", "proxy/nginx.conf at /etc/nginx/conf.d/default.conf"], why: CONFIG_FILE, project: true },
    { app: "nginx-golang-postgres", target: "kubernetes", message: ["services.proxy.volumes[0]", "proxy/nginx.conf at /etc/nginx/conf.d/default.conf"], why: CONFIG_FILE, project: true },
    { app: "nginx-wsgi-flask", target: "kubernetes", message: ["services.nginx-proxy.volumes[0]", "nginx/default.conf at /tmp/default.conf"], why: CONFIG_FILE, project: true },
    { app: "pihole-cloudflared-DoH", target: "kubernetes", message: ["services.pihole.volumes[0]", "/etc/pihole at /etc/pihole;"], why: HOST_DATA },
    { app: "portainer", target: "kubernetes", message: ["services.portainer.volumes[0]", "/var/run/docker.sock at /var/run/docker.sock"], why: HOST_SYSTEM },
    { app: "prometheus-grafana", target: "kubernetes", message: ["services.prometheus.volumes[0]", "prometheus-grafana/prometheus at /etc/prometheus"], why: CONFIG_FILE, project: true },
    { app: "react-express-mongodb", target: "kubernetes", message: ["services.frontend.volumes[0]", "react-express-mongodb/frontend at /usr/src/app"], why: SOURCE_TREE, project: true },
    { app: "react-express-mysql", target: "kubernetes", message: ["services.backend.volumes[0]", "backend/src at /code/src"], why: SOURCE_TREE, project: true },
    { app: "react-java-mysql", target: "kubernetes", message: ["services.frontend.volumes[0]", "frontend/src at /code/src"], why: SOURCE_TREE, project: true },
    { app: "react-rust-postgres", target: "kubernetes", message: ["services.frontend.volumes[0]", "frontend/src at /code/src"], why: SOURCE_TREE, project: true },
    { app: "traefik-golang", target: "kubernetes", message: ["services.frontend.volumes[0]", "/var/run/docker.sock at /var/run/docker.sock"], why: HOST_SYSTEM },
    { app: "vuejs", target: "kubernetes", message: ["services.web.volumes[0]", "vuejs/vuejs at /project"], why: SOURCE_TREE, project: true },
    { app: "wasmedge-kafka-mysql", target: "kubernetes", message: ["services.redpanda.volumes[0]", "wasmedge-kafka-mysql/kafka at /app"], why: SOURCE_TREE, project: true },
    { app: "wasmedge-mysql-nginx", target: "kubernetes", message: ["services.frontend.volumes[0]", "wasmedge-mysql-nginx/frontend at /usr/share/nginx/html"], why: SOURCE_TREE, project: true },
    { app: "wireguard", target: "kubernetes", message: ["services.wireguard.volumes[0]", "/usr/share/appdata/wireguard/config at /config"], why: HOST_DATA },
    // Its ./prometheus folder is in the corpus and becomes a ConfigMap; node-exporter's /proc is what stops it.
    { app: "dockprom", target: "kubernetes", message: ["services.nodeexporter.volumes[0]", "/proc at /host/proc"], why: HOST_SYSTEM },
    { app: "dockprom-exporters", target: "kubernetes", message: ["services.nodeexporter.volumes[0]", "/proc at /host/proc"], why: HOST_SYSTEM },
];

/** Kubernetes failures that are only about bind mounts: with allowHostPath they must render. */
const HOST_PATH_ONLY = EXPECTED_FAILURES.filter((f) => f.target === "kubernetes" && f.app !== "plex" && !f.project);

const WORKLOAD_TYPES: Record<TargetKindName, readonly string[]> = {
    docker: ["docker:index/container:Container"],
    swarm: ["docker:index/service:Service"],
    kubernetes: ["kubernetes:apps/v1:Deployment", "kubernetes:apps/v1:DaemonSet", "kubernetes:apps/v1:StatefulSet", "kubernetes:batch/v1:Job"],
};

interface Rendered {
    readonly resources: RenderedResource[];
    /** Loader and target warnings, as a user would see them in `pulumi preview`. */
    readonly warnings: string[];
}

/**
 * Renders `program` and collects its warnings instead of printing them: loader warnings through
 * `onWarning`, target warnings from `pulumi.log.warn`, which writes to console.warn without an engine.
 */
async function renderCollecting(program: (onWarning: (w: { message: string }) => void) => () => unknown): Promise<Rendered> {
    const warnings: string[] = [];
    const original = console.warn;
    console.warn = (...args: unknown[]) => warnings.push(args.map(String).join(" "));
    try {
        const resources = await render(program((w) => warnings.push(w.message)));
        return { resources, warnings };
    } finally {
        console.warn = original;
    }
}

/**
 * A home directory that does not exist, so that `~/…` binds (minecraft's) fail the same way on every
 * machine, whatever the real home holds.
 */
const NO_HOME = path.join(os.tmpdir(), `dockyard-corpus-no-home-${process.pid}`);

function renderOn(kind: TargetKindName, file: string): Promise<Rendered> {
    return renderCollecting((onWarning) => composeProgram(kind, [file], { env: {}, homeDir: NO_HOME, onWarning }));
}

function loadSpec(file: string): AppSpec {
    return loadCompose(file, { env: {}, homeDir: NO_HOME, onWarning: () => undefined });
}

/** Every string in `value`, with its path, for the "no stringified objects" check. */
function strings(value: unknown, at = ""): [string, string][] {
    if (typeof value === "string") return [[at, value]];
    if (Array.isArray(value)) return value.flatMap((v, i) => strings(v, `${at}[${i}]`));
    if (value !== null && typeof value === "object") return Object.entries(value).flatMap(([k, v]) => strings(v, `${at}.${k}`));
    return [];
}

/** Checks what holds on every target: the App, its children, sane inputs. */
function checkCommon(resources: RenderedResource[]): void {
    const app = resources.filter((r) => r.type === "dockyard:index:App");
    assert.deepStrictEqual(app.map((r) => r.name), [COMPOSE_APP_NAME], "one App component");
    for (const r of resources) {
        if (r === app[0]) continue;
        // The swarm target's manager provider is made by the caller (defaultTarget), outside the App.
        if (r.type.startsWith("pulumi:providers:")) continue;
        assert.strictEqual(r.parent, COMPOSE_APP_NAME, `${r.type} ${r.name} is not parented to the App`);
    }
    const urns = resources.map((r) => `${r.type}::${r.name}`);
    assert.strictEqual(new Set(urns).size, urns.length, "resource names are unique per type");
    for (const r of resources) {
        for (const [at, s] of strings(r.inputs)) {
            assert.ok(!s.includes("[object Object]") && s !== "undefined" && s !== "NaN", `${r.name}${at} is ${JSON.stringify(s)}`);
        }
    }
}

/** One workload per service (a container per replica on a Docker host), named as the target promises. */
function checkWorkloads(kind: TargetKindName, spec: AppSpec, resources: RenderedResource[]): void {
    const workloads = resources.filter((r) => WORKLOAD_TYPES[kind].includes(r.type));
    const services = Object.values(spec.services);
    switch (kind) {
        case "docker": {
            // container_name (one replica, enforced by the loader) replaces Compose's generated name.
            const expected = services.flatMap((s) =>
                Array.from({ length: s.mode === "global" ? 1 : s.replicas }, (_, i) => s.containerName ?? `${spec.name}-${s.name}-${i + 1}`));
            assert.deepStrictEqual(workloads.map((w) => w.inputs.name).sort(), expected.sort(), "one container per replica");
            const images = resources.filter((r) => r.type === "docker:index/remoteImage:RemoteImage").map((r) => r.inputs.name);
            assert.deepStrictEqual(images.sort(), services.map((s) => s.image).sort(), "one image per service");
            break;
        }
        case "swarm": {
            assert.deepStrictEqual(workloads.map((w) => w.inputs.name).sort(), services.map((s) => `${spec.name}_${s.name}`).sort(), "one Swarm service per service");
            for (const w of workloads) {
                const s = spec.services[String(w.inputs.name).slice(spec.name.length + 1)];
                const mode = s.mode === "global" ? { global: true } : { replicated: { replicas: s.replicas } };
                assert.deepStrictEqual(w.inputs.mode, mode, `${w.name} mode`);
            }
            break;
        }
        case "kubernetes": {
            const meta = (r: RenderedResource) => r.inputs.metadata as { name: string; namespace?: string; labels: Record<string, string> };
            assert.deepStrictEqual(workloads.map((w) => meta(w).labels[LABEL_SERVICE]).sort(), services.map((s) => s.name).sort(), "one workload per service");
            const namespaces = resources.filter((r) => r.type === "kubernetes:core/v1:Namespace").map((r) => meta(r).name);
            assert.strictEqual(namespaces.length, 1, "one namespace");
            for (const r of resources.filter((x) => x.type.startsWith("kubernetes:") && x.type !== "kubernetes:core/v1:Namespace")) {
                assert.strictEqual(meta(r).namespace, namespaces[0], `${r.name} is in the app's namespace`);
            }
            break;
        }
    }
}

/** Images are never built on Swarm or Kubernetes: every service with `build:` must say so. */
function checkBuildWarnings(kind: TargetKindName, spec: AppSpec, warnings: string[]): void {
    if (kind === "docker") return;
    for (const s of Object.values(spec.services).filter((x) => x.build)) {
        const said = warnings.some((w) => w.includes(`services.${s.name}.build`) && w.includes(s.image));
        assert.ok(said, `no warning that ${s.name}'s image ${s.image} is not built on ${kind}:\n${warnings.join("\n")}`);
    }
}

describeWithCorpus("corpus/render", () => {
    const apps = corpusApps();

    it("covers the whole corpus: the 39 awesome-compose apps, dockprom and dockprom's exporters", () => {
        assert.strictEqual(apps.length, 41);
        assert.ok(apps.some((a) => a.app === "wordpress-mysql") && apps.some((a) => a.app === "dockprom-exporters"));
    });

    it("lists each expected failure once, for a corpus app and a target", () => {
        const keys = EXPECTED_FAILURES.map((f) => `${f.app} ${f.target}`);
        assert.strictEqual(new Set(keys).size, keys.length, "duplicate rows");
        for (const f of EXPECTED_FAILURES) assert.ok(apps.some((a) => a.app === f.app), `no corpus app ${f.app}`);
    });

    for (const a of apps) {
        describe(a.app, () => {
            for (const kind of TARGET_KINDS) {
                const expected = EXPECTED_FAILURES.find((f) => f.app === a.app && f.target === kind);
                if (expected) {
                    it(`fails on ${kind}: ${expected.message[0]}`, async () => {
                        await assert.rejects(renderOn(kind, a.file), (e: unknown) => {
                            assert.ok(e instanceof SpecError, `expected a SpecError, got ${String(e)}`);
                            // Whoever refuses the app (loader or target), the message points at the file.
                            assert.ok(e.message.startsWith(`${a.file}`), `${JSON.stringify(e.message)} should start with the file ${a.file}`);
                            const advice = expected.project ? PROJECT_FILE_ADVICE : HOST_PATH_ADVICE;
                            const parts = kind === "kubernetes" && a.app !== "plex" ? [...expected.message, ...advice] : expected.message;
                            for (const p of parts) assert.ok(e.message.includes(p), `${JSON.stringify(e.message)} should contain ${JSON.stringify(p)}`);
                            return true;
                        });
                    });
                } else {
                    it(`renders on ${kind}`, async () => {
                        const spec = loadSpec(a.file);
                        const { resources, warnings } = await renderOn(kind, a.file);
                        checkCommon(resources);
                        checkWorkloads(kind, spec, resources);
                        checkBuildWarnings(kind, spec, warnings);
                    });
                }
            }
        });
    }

    describe("keys that used to be ignored reach the targets", () => {
        const dockprom = () => apps.find((x) => x.app === "dockprom")!.file;
        it("dockprom's cAdvisor gets /dev/kmsg and its container_name on a Docker host", async () => {
            const { resources, warnings } = await renderOn("docker", dockprom());
            const cadvisor = resources.find((r) => r.type === "docker:index/container:Container" && r.name === `${COMPOSE_APP_NAME}-cadvisor-1`)!;
            assert.deepStrictEqual([cadvisor.inputs.name, cadvisor.inputs.devices], ["cadvisor", [{ hostPath: "/dev/kmsg", containerPath: "/dev/kmsg", permissions: "rwm" }]]);
            assert.deepStrictEqual(warnings.filter((w) => /container_name|devices/.test(w)), [], "no warning about container_name or devices");
        });
        it("on Swarm the device is reported as ignored", async () => {
            const { warnings } = await renderOn("swarm", dockprom());
            assert.ok(warnings.some((w) => w.includes("services.cadvisor.devices") && w.includes("/dev/kmsg")), warnings.join("\n"));
        });
        it("on Swarm a container_name stays reachable as a network alias (elasticsearch is also \"es\")", async () => {
            const file = apps.find((x) => x.app === "elasticsearch-logstash-kibana")!.file;
            const { resources } = await renderOn("swarm", file);
            const es = resources.find((r) => r.type === "docker:index/service:Service" && String(r.inputs.name).endsWith("_elasticsearch"))!;
            const attachments = (es.inputs.taskSpec as { networksAdvanceds: { aliases: string[] }[] }).networksAdvanceds;
            assert.deepStrictEqual(attachments.map((a) => a.aliases), [["elasticsearch", "es"]]);
        });
        it("wasmedge services keep their platform and runtime on a Docker host", async () => {
            const file = apps.find((x) => x.app === "wasmedge-mysql-nginx")!.file;
            const { resources } = await renderOn("docker", file);
            const server = resources.find((r) => r.type === "docker:index/container:Container" && r.name === `${COMPOSE_APP_NAME}-backend-1`)!;
            const image = resources.find((r) => r.type === "docker:index/remoteImage:RemoteImage" && r.name === `${COMPOSE_APP_NAME}-image-backend`)!;
            assert.deepStrictEqual([server.inputs.platform, server.inputs.runtime], ["wasi/wasm", "io.containerd.wasmedge.v1"]);
            assert.deepStrictEqual([image.inputs.platform, (image.inputs.build as { platform: string }).platform], ["wasi/wasm", "wasi/wasm"]);
        });
    });

    describe("on Kubernetes, bind mounts are the only obstacle: with allowHostPath: true these render", () => {
        for (const f of HOST_PATH_ONLY) {
            it(f.app, async () => {
                const app = apps.find((x): x is CorpusApp => x.app === f.app)!;
                const { resources } = await renderCollecting((onWarning) => () => {
                    App.fromCompose(COMPOSE_APP_NAME, { files: [app.file], env: {}, onWarning, target: new KubernetesTarget({ allowHostPath: true }) });
                });
                checkCommon(resources);
                checkWorkloads("kubernetes", loadSpec(app.file), resources);
                const hostPaths = resources.filter((r) => JSON.stringify(r.inputs).includes('"hostPath":'));
                assert.ok(hostPaths.length > 0, "the bind mount became a hostPath volume");
            });
        }
    });
});
