/**
 * Every object the Kubernetes converters produce is checked against the Kubernetes OpenAPI schema
 * by kubernetes-models (not by hand), for the rich fixture and for every awesome-compose app.
 * The schema does not check name formats, so names and labels are checked here as well, with
 * regular expressions written from the Kubernetes API conventions (independent of names.ts).
 */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { loadCompose } from "../../../components/compose";
import { AppSpec } from "../../../components/spec/types";
import { KubernetesTargetArgs, convertApp, toConfigMap, toSecret } from "../../../components/targets/kubernetes";
import { assertSpecError, CORPUS_DIR, describeWithCorpus } from "../../harness";
import { richApp, richAppWith } from "./fixture";
import { withStandIns } from "../../corpus/apps";

type Model = new (data: object) => { validate(): void };

// kubernetes-models is ESM-only; a real dynamic import (not compiled to require) loads it.
const importEsm = new Function("specifier", "return import(specifier)") as (specifier: string) => Promise<Record<string, Model>>;

const MODELS: Record<string, [string, string]> = {
    "v1/Namespace": ["kubernetes-models/v1/Namespace", "Namespace"],
    "v1/Secret": ["kubernetes-models/v1/Secret", "Secret"],
    "v1/ConfigMap": ["kubernetes-models/v1/ConfigMap", "ConfigMap"],
    "v1/PersistentVolumeClaim": ["kubernetes-models/v1/PersistentVolumeClaim", "PersistentVolumeClaim"],
    "v1/Service": ["kubernetes-models/v1/Service", "Service"],
    "apps/v1/Deployment": ["kubernetes-models/apps/v1/Deployment", "Deployment"],
    "apps/v1/DaemonSet": ["kubernetes-models/apps/v1/DaemonSet", "DaemonSet"],
    "apps/v1/StatefulSet": ["kubernetes-models/apps/v1/StatefulSet", "StatefulSet"],
    "batch/v1/Job": ["kubernetes-models/batch/v1/Job", "Job"],
    "batch/v1/CronJob": ["kubernetes-models/batch/v1/CronJob", "CronJob"],
    "networking.k8s.io/v1/NetworkPolicy": ["kubernetes-models/networking.k8s.io/v1/NetworkPolicy", "NetworkPolicy"],
    "networking.k8s.io/v1/Ingress": ["kubernetes-models/networking.k8s.io/v1/Ingress", "Ingress"],
    "autoscaling/v2/HorizontalPodAutoscaler": ["kubernetes-models/autoscaling/v2/HorizontalPodAutoscaler", "HorizontalPodAutoscaler"],
    "v1/ServiceAccount": ["kubernetes-models/v1/ServiceAccount", "ServiceAccount"],
    "rbac.authorization.k8s.io/v1/ClusterRole": ["kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRole", "ClusterRole"],
    "rbac.authorization.k8s.io/v1/ClusterRoleBinding": ["kubernetes-models/rbac.authorization.k8s.io/v1/ClusterRoleBinding", "ClusterRoleBinding"],
};

const models: Record<string, Model> = {};

before(async () => {
    for (const [key, [specifier, name]] of Object.entries(MODELS)) models[key] = (await importEsm(specifier))[name];
});

interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; labels?: Record<string, string> };
}

/** Every object the target would create for `spec`, secrets and configs with placeholder content. */
function allObjects(spec: AppSpec, args: KubernetesTargetArgs = {}): KubeObject[] {
    const p = convertApp(spec, args);
    const out: object[] = [];
    if (p.namespace) out.push(p.namespace);
    for (const s of Object.values(spec.secrets)) if (!s.external) out.push(toSecret(p.ctx, s, "content"));
    for (const c of Object.values(spec.configs)) if (!c.external) out.push(toConfigMap(p.ctx, c, "content"));
    out.push(...p.claims.map((c) => c.object), ...p.policies.map((n) => n.object), ...p.bindConfigMaps.map((c) => c.object));
    for (const w of p.workloads) {
        out.push(w.object);
        if (w.services.service) out.push(w.services.service);
        if (w.services.public) out.push(w.services.public);
        out.push(...w.aliases.map((a) => a.object));
        if (w.ingress) out.push(w.ingress);
        if (w.hpa) out.push(w.hpa);
        if (w.rbac) out.push(w.rbac.serviceAccount, w.rbac.clusterRole, w.rbac.clusterRoleBinding);
    }
    return out as KubeObject[];
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;
const LABEL_NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;

function checkNames(o: KubeObject, where: string): void {
    const name = o.metadata.name;
    const label = o.kind === "Namespace" || o.kind === "Service";
    assert.ok(label ? DNS_LABEL.test(name) && name.length <= 63 : DNS_SUBDOMAIN.test(name), `${where}: bad name ${name}`);
    const labelMaps = [o.metadata.labels ?? {}];
    const tmpl = (o as { spec?: { template?: { metadata?: { labels?: Record<string, string> } } } }).spec?.template?.metadata?.labels;
    if (tmpl) labelMaps.push(tmpl);
    for (const labels of labelMaps) {
        for (const [k, v] of Object.entries(labels)) {
            const [prefix, key] = k.includes("/") ? [k.slice(0, k.lastIndexOf("/")), k.slice(k.lastIndexOf("/") + 1)] : [undefined, k];
            assert.ok(prefix === undefined || DNS_SUBDOMAIN.test(prefix), `${where}: bad label prefix ${k}`);
            assert.ok(key.length <= 63 && LABEL_NAME.test(key), `${where}: bad label key ${k}`);
            assert.ok(v === "" || (v.length <= 63 && LABEL_NAME.test(v)), `${where}: bad label value ${k}=${v}`);
        }
    }
    const json = JSON.stringify(o);
    for (const m of json.matchAll(/"name":"([^"]*)","(?:containerPort|port)"/g)) {
        assert.ok(m[1].length <= 15 && DNS_LABEL.test(m[1]) && /[a-z]/.test(m[1]), `${where}: bad port name ${m[1]}`);
    }
}

function validateAll(objects: KubeObject[], where: string): void {
    assert.ok(objects.length > 0);
    for (const o of objects) {
        const Model = models[`${o.apiVersion}/${o.kind}`];
        assert.ok(Model, `${where}: no model for ${o.apiVersion}/${o.kind}`);
        try {
            new Model(o).validate();
        } catch (e) {
            assert.fail(`${where}: ${o.kind} ${o.metadata.name} is invalid: ${(e as Error).message}`);
        }
        checkNames(o, `${where} ${o.kind} ${o.metadata.name}`);
    }
}

describe("kubernetes validity: rich fixture", () => {
    it("the validator catches a broken object (so a pass means something)", () => {
        const d = allObjects(richApp()).find((o) => o.kind === "Deployment") as unknown as { spec: { template: { spec: { containers: { ports: unknown[] }[] } } } };
        d.spec.template.spec.containers[0].ports = [{ containerPort: "80" }];
        assert.throws(() => validateAll([d as unknown as KubeObject], "broken"), /containerPort must be integer/);
    });

    it("the validator catches a broken ClusterRole too", () => {
        const role = allObjects(richApp()).find((o) => o.kind === "ClusterRole") as unknown as { rules: { verbs?: string[] }[] };
        delete role.rules[0].verbs;
        assert.throws(() => validateAll([role as unknown as KubeObject], "broken"), /verbs/);
    });

    it("every object is valid (Deployment, DaemonSet, Job, Services, claims, Secrets, ConfigMap, NetworkPolicy, RBAC)", () => {
        const objects = allObjects(richApp());
        validateAll(objects, "rich");
        assert.deepStrictEqual([...new Set(objects.map((o) => o.kind))].sort(), [
            "ClusterRole", "ClusterRoleBinding", "ConfigMap", "DaemonSet", "Deployment", "Job", "Namespace", "NetworkPolicy", "PersistentVolumeClaim",
            "Secret", "Service", "ServiceAccount",
        ]);
    });

    it("is valid with stable storage, NodePort, autoscaling, a volume size, more replicas and an existing namespace", () => {
        const prod = richAppWith({
            services: { api: { replicas: 4 }, web: { "x-kubernetes": { autoscaling: { minReplicas: 2, maxReplicas: 10, cpuUtilization: 70 } } } },
            volumes: { pgdata: { "x-kubernetes": { size: "20Gi" } } },
        });
        const objects = allObjects(prod, { stableStorage: true, serviceType: "NodePort", namespace: "prod", storageClass: "fast" });
        validateAll(objects, "rich/prod");
        const kinds = objects.map((o) => o.kind);
        assert.ok(kinds.includes("StatefulSet") && kinds.includes("HorizontalPodAutoscaler") && !kinds.includes("Namespace"));
    });

    it("is valid with an Ingress, network aliases, headless Services, a fixed node port and a traffic policy", () => {
        const exposed = richAppWith({
            services: {
                web: {
                    networks: { front: {}, back: { aliases: ["shop-web", "storefront"] } },
                    ports: ["127.0.0.1:8080:80", { target: 443, published: 30443, protocol: "tcp", name: "https" }],
                    "x-kubernetes": {
                        ingress: { host: ["shop.example.com", "*.shop.example.com"], path: "/", port: 80, tlsSecret: "shop-tls", className: "nginx", annotations: { "a.example.com/b": "c" } },
                        nodePort: 30444,
                        externalTrafficPolicy: "Local",
                    },
                },
                api: { "x-kubernetes": { headless: true, ingress: {} } },
            },
        });
        const objects = allObjects(exposed);
        validateAll(objects, "rich/exposed");
        assert.deepStrictEqual(objects.filter((o) => o.kind === "Ingress").map((o) => o.metadata.name), ["web", "api"]);
        assert.ok(["shop-web", "storefront"].every((name) => objects.some((o) => o.kind === "Service" && o.metadata.name === name)));
    });

    it("is valid with a schedule, placement, HTTP/TCP probes, pull settings, an existing account and memory autoscaling (issue 13)", () => {
        const spec = richAppWith({
            services: {
                migrate: { "x-kubernetes": { schedule: "0 3 * * *", concurrencyPolicy: "Forbid", timeZone: "Etc/UTC" } },
                web: {
                    deploy: {
                        replicas: 3,
                        resources: { reservations: { cpus: 0.25, memory: "128m" } },
                        placement: { constraints: ["node.labels.disk != hdd", "node.role == manager"], preferences: [{ spread: "node.labels.zone" }], maxReplicasPerNode: 1 },
                    },
                    "x-kubernetes": {
                        autoscaling: { maxReplicas: 6, memoryUtilization: 75, cpuUtilization: 70 },
                        probes: { readiness: { httpGet: { path: "/ready", port: "https", scheme: "HTTPS" }, periodSeconds: 5 }, liveness: { tcpSocket: { port: 80 } } },
                        imagePullPolicy: "IfNotPresent",
                        imagePullSecrets: "regcred",
                        fsGroup: 2000,
                        serviceAccountName: "web-reader",
                    },
                },
            },
        });
        const objects = allObjects(spec);
        validateAll(objects, "rich/issue-13");
        assert.ok(objects.some((o) => o.kind === "CronJob"));
    });
});

/** Corpus apps that cannot run on Kubernetes without allowHostPath: the bind mount of an absolute host path a user sees named, and the path. */
const NEEDS_HOST_PATH: Record<string, [string, string]> = {
    "pihole-cloudflared-DoH": ["services.pihole.volumes[0]", "/etc/pihole"],
    "plex": ["services.plex.volumes[0]", "/srv/media"],
    "portainer": ["services.portainer.volumes[0]", "/var/run/docker.sock"],
    "traefik-golang": ["services.frontend.volumes[0]", "/var/run/docker.sock"],
    "wireguard": ["services.wireguard.volumes[0]", "/usr/share/appdata/wireguard/config"],
};

/**
 * Corpus apps that bind files of the project, which the corpus does not hold (it has the Compose
 * files only): the first bind mount a user sees named, and its source. They fail, whatever
 * allowHostPath says, until the files exist; with stand-ins in a copy of the project they become ConfigMaps.
 */
const PROJECT_FILES: Record<string, [string, string]> = {
    "angular": ["services.web.volumes[0]", "./angular"],
    "apache-php": ["services.web.volumes[0]", "./app"],
    "elasticsearch-logstash-kibana": ["services.logstash.volumes[0]", "./logstash/pipeline/logstash-nginx.config"],
    "minecraft": ["services.minecraft.volumes[0]", "~/minecraft_data"],
    "nginx-flask-mongo": ["services.web.volumes[0]", "./nginx/nginx.conf"],
    "nginx-golang": ["services.proxy.volumes[0]", "./proxy/nginx.conf"],
    "nginx-golang-mysql": ["services.proxy.volumes[0]", "./proxy/nginx.conf"],
    "nginx-golang-postgres": ["services.proxy.volumes[0]", "./proxy/nginx.conf"],
    "nginx-wsgi-flask": ["services.nginx-proxy.volumes[0]", "./nginx/default.conf"],
    "prometheus-grafana": ["services.prometheus.volumes[0]", "./prometheus"],
    "react-express-mongodb": ["services.frontend.volumes[0]", "./frontend"],
    "react-express-mysql": ["services.backend.volumes[0]", "./backend/src"],
    "react-java-mysql": ["services.frontend.volumes[0]", "./frontend/src"],
    "react-rust-postgres": ["services.frontend.volumes[0]", "./frontend/src"],
    "vuejs": ["services.web.volumes[0]", "./vuejs"],
    "wasmedge-kafka-mysql": ["services.redpanda.volumes[0]", "./kafka"],
    "wasmedge-mysql-nginx": ["services.frontend.volumes[0]", "./frontend"],
};

/** Variables a corpus file needs to load at all (plex has no default for its media path). */
const CORPUS_ENV: Record<string, string> = { PLEX_MEDIA_PATH: "/srv/media" };

const CORPUS = path.join(CORPUS_DIR, "awesome-compose");
const COMPOSE_FILES = ["compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"];

function corpusApps(): { name: string; dir: string; file: string }[] {
    return fs
        .readdirSync(CORPUS)
        .filter((name) => fs.statSync(path.join(CORPUS, name)).isDirectory())
        .sort()
        .map((name) => {
            const dir = path.join(CORPUS, name);
            const file = COMPOSE_FILES.map((f) => path.join(dir, f)).find((f) => fs.existsSync(f));
            return { name, dir, file: file ?? "" };
        });
}

describeWithCorpus("kubernetes validity: awesome-compose corpus", () => {
    const apps = corpusApps();
    let home: string;
    before(() => {
        home = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-home-"));
    });
    const copies: string[] = [];
    after(() => {
        for (const dir of [home, ...copies]) fs.rmSync(dir, { recursive: true, force: true });
    });

    it("has the corpus and a Compose file in every app", () => {
        assert.ok(apps.length >= 39, `found ${apps.length} apps in ${CORPUS}`);
        for (const a of apps) assert.ok(a.file, `${a.name} has no Compose file`);
        for (const name of [...Object.keys(NEEDS_HOST_PATH), ...Object.keys(PROJECT_FILES)]) assert.ok(apps.some((a) => a.name === name), `table names unknown app ${name}`);
    });

    for (const a of apps) {
        const load = (file = a.file): AppSpec => loadCompose(file, { env: CORPUS_ENV, homeDir: home, onWarning: () => undefined });
        const hostPath = NEEDS_HOST_PATH[a.name];
        const projectFile = PROJECT_FILES[a.name];
        if (hostPath) {
            it(`${a.name}: fails without allowHostPath, naming the bind mount`, () => {
                const [where, source] = hostPath;
                assertSpecError(() => convertApp(load(), {}), where, `host path ${source}`, "allowHostPath: true");
            });
        }
        if (projectFile) {
            it(`${a.name}: fails while a file of the project is missing, even with allowHostPath, naming the bind mount`, () => {
                const [where, source] = projectFile;
                const resolved = source.startsWith("~") ? path.join(home, source.slice(1)) : path.resolve(a.dir, source);
                assertSpecError(() => convertApp(load(), { allowHostPath: true }), where, resolved, "does not exist");
            });
        }
        it(`${a.name}: every object is valid${hostPath ? " with allowHostPath" : ""}${projectFile ? " (with stand-ins for the project's files)" : ""}`, () => {
            let spec = load();
            if (projectFile) spec = load(withStandIns(a.dir, a.file, spec, copies, home));
            // A home path is the deployer's, outside any project: never carried into the cluster.
            if (projectFile?.[1].startsWith("~")) {
                assertSpecError(() => convertApp(spec, {}), projectFile[0], "lies outside the project directory");
                return;
            }
            const objects = allObjects(spec, { allowHostPath: hostPath !== undefined });
            validateAll(objects, a.name);
            if (projectFile) assert.ok(objects.some((o) => o.kind === "ConfigMap" && o.metadata.name.includes("-bind-")), `${a.name}: no ConfigMap of a bind`);
        });
    }
});
