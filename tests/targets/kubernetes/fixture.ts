/** A rich application that uses every mapping of the Kubernetes target, for the converter and validity tests. */
import { AppInput, ServiceInput, VolumeInput } from "../../../components/spec/input";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";

export const RICH_INPUT: AppInput = {
    name: "shop",
    services: {
        web: {
            image: "nginx:1.27",
            entrypoint: ["/docker-entrypoint.sh"],
            command: ["nginx", "-g", "daemon off;"],
            workingDir: "/srv",
            environment: { MODE: "prod", EMPTY: null },
            ports: ["8080:80", { target: 443, published: 30443, protocol: "tcp", name: "https" }, "5353:53/udp"],
            expose: [9000],
            healthcheck: { test: ["CMD", "curl", "-f", "http://localhost"], interval: "10s", timeout: "1500ms", retries: 5, startPeriod: "20s" },
            deploy: {
                replicas: 3,
                resources: { limits: { cpus: "0.5", memory: "256m" }, reservations: { cpus: 0.25, memory: "128m" } },
                updateConfig: { parallelism: 2, order: "start-first", monitor: "15s" },
                labels: { tier: "front" },
            },
            user: "1000:2000",
            readOnly: true,
            capAdd: ["CAP_NET_BIND_SERVICE"],
            capDrop: ["ALL"],
            securityOpt: ["no-new-privileges:true"],
            stopGracePeriod: "1m30s",
            hostname: "web",
            extraHosts: ["db.local:10.0.0.5", "cache.local:10.0.0.5"],
            dns: ["1.1.1.1"],
            dnsSearch: ["example.com"],
            dnsOpt: ["ndots:2", "rotate"],
            sysctls: { "net.core.somaxconn": 1024 },
            tmpfs: ["/run:size=64m"],
            shmSize: "64m",
            tty: true,
            stdinOpen: true,
            labels: { "com.example.team": "shop", "traefik.http.routers.web.rule": "Host(`shop.example.com`)" },
            volumes: ["assets:/srv/assets:ro", "/cache"],
            secrets: ["db_password", { source: "api_key", target: "/etc/api/key", mode: 0o400 }],
            configs: [{ source: "nginx_conf", target: "/etc/nginx/nginx.conf" }],
            networks: ["front", "back"],
            dependsOn: { api: { condition: "service_healthy" } },
            "x-kubernetes": { serviceType: "NodePort", serviceAnnotations: { "example.com/lb": "internal" } },
        },
        api: {
            image: "registry.example.com/shop/api:2.1",
            command: "serve --port 8000",
            ports: ["8000"],
            healthcheck: { test: "wget -q -O- http://localhost:8000/health" },
            networks: ["back"],
            dependsOn: { migrate: { condition: "service_completed_successfully" } },
            "x-kubernetes": {
                clusterRoleRules: [
                    { apiGroups: [""], resources: ["configmaps"], resourceNames: ["feature-flags"], verbs: ["get", "watch"] },
                    { nonResourceURLs: ["/version"], verbs: ["get"] },
                ],
            },
        },
        migrate: {
            image: "registry.example.com/shop/api:2.1",
            command: ["migrate"],
            restart: "on-failure:3",
            networks: ["back"],
        },
        db: {
            image: "postgres:16",
            environment: { POSTGRES_PASSWORD_FILE: "/run/secrets/db_password" },
            expose: [5432],
            volumes: ["pgdata:/var/lib/postgresql/data"],
            secrets: ["db_password"],
            networks: ["back"],
            deploy: { endpointMode: "dnsrr" },
        },
        node_exporter: {
            image: "prom/node-exporter:v1.8.0",
            ports: ["9100:9100"],
            volumes: ["/proc:/host/proc:ro"],
            pid: "host",
            platform: "linux/amd64",
            runtime: "runsc",
            deploy: { mode: "global", updateConfig: { parallelism: 0 } },
            "x-kubernetes": { allowHostPath: true },
        },
    },
    networks: { front: {}, back: { internal: true } },
    volumes: { assets: {}, pgdata: { labels: { backup: "daily" } } },
    secrets: { db_password: { content: "s3cret" }, api_key: { environment: "SHOP_API_KEY" } },
    configs: { nginx_conf: { content: "events {}\nhttp {}\n" } },
};

export function richApp(): AppSpec {
    return defineApp(RICH_INPUT, { projectDir: "/project" });
}

/**
 * The rich app with some services and volumes changed: each given field replaces the input's,
 * except `x-kubernetes`, whose keys are added to the input's own.
 */
export function richAppWith(changes: { services?: Record<string, Partial<ServiceInput>>; volumes?: Record<string, VolumeInput> }): AppSpec {
    const merge = <T extends object>(base: T, change: object | undefined): T => {
        if (!change) return base;
        const ext = (o: object): unknown => (o as Record<string, unknown>)["x-kubernetes"];
        const isMap = (v: unknown): v is object => typeof v === "object" && v !== null && !Array.isArray(v);
        const [mine, theirs] = [ext(base), ext(change)];
        return { ...base, ...change, ...(isMap(mine) && isMap(theirs) ? { "x-kubernetes": { ...mine, ...theirs } } : {}) };
    };
    const services = Object.fromEntries(Object.entries(RICH_INPUT.services).map(([n, s]) => [n, merge(s, changes.services?.[n])]));
    const volumes = Object.fromEntries(Object.entries(RICH_INPUT.volumes ?? {}).map(([k, v]) => [k, merge(v ?? {}, changes.volumes?.[k])]));
    return defineApp({ ...RICH_INPUT, services, volumes }, { projectDir: "/project" });
}
