/**
 * The support tables: every field of the model has a decision on every target (the compiler
 * checks it; this test checks it again on a described application, so that a field the
 * normalizer writes but the types do not name is caught too), and every field a target ignores or
 * refuses produces a finding when an application sets it.
 */
import * as assert from "assert";
import { AppInput, ServiceInput } from "../../components/spec/input";
import { defineApp } from "../../components/spec/normalize";
import { AppSpec, ServiceSpec } from "../../components/spec/types";
import { DOCKER_SUPPORT, dockerFindings } from "../../components/targets/docker/support";
import { KUBERNETES_SUPPORT, kubernetesFindings } from "../../components/targets/kubernetes/support";
import { Finding } from "../../components/targets/plan";
import {
    decisionsOf, fields, ignored, inherent, isSet, MAPPED, mapped, refused, ServiceSupport, SupportTable, supportFindings, Table,
} from "../../components/targets/support";
import { SWARM_SUPPORT, swarmFindings } from "../../components/targets/swarm/support";

const TARGETS: readonly { name: string; table: SupportTable; findings: (app: AppSpec) => Finding[] }[] = [
    { name: "docker", table: DOCKER_SUPPORT, findings: dockerFindings },
    { name: "swarm", table: SWARM_SUPPORT, findings: swarmFindings },
    { name: "kubernetes", table: KUBERNETES_SUPPORT, findings: kubernetesFindings },
];

const define = (input: AppInput) => defineApp(input, { projectDir: "/srv/shop", homeDir: "/home/u" });

/**
 * An application that sets every field of the model at least once, optional ones included
 * (fields that exclude each other are set on different services, networks or secrets).
 */
function kitchenSink(): AppSpec {
    return define({
        name: "shop",
        services: {
            web: {
                image: "web:1",
                build: { context: ".", dockerfile: "Dockerfile.web", args: { A: "1" }, target: "prod", labels: { b: "1" }, platforms: ["linux/arm64"] },
                pullPolicy: "build",
                entrypoint: ["/entry"],
                command: ["serve"],
                environment: { A: "1" },
                ports: [{ target: 80, published: 8080, hostIp: "127.0.0.1", protocol: "tcp", mode: "ingress", name: "http", appProtocol: "http" }, "9000-9010:81"],
                expose: [9000],
                volumes: [
                    { type: "volume", source: "data", target: "/data", readOnly: true, volume: { nocopy: true, subpath: "sub" } },
                    { type: "bind", source: "/srv/conf", target: "/conf", bind: { propagation: "rshared", createHostPath: true, selinux: "z" } },
                    { type: "tmpfs", target: "/cache", tmpfs: { size: "64m", mode: "1777" } },
                    // A file of the project (written relative): projectDir is set.
                    { type: "bind", source: "./nginx.conf", target: "/etc/nginx/nginx.conf", readOnly: true },
                ],
                tmpfs: ["/run:size=1m,mode=0700,uid=1000"],
                networks: { back: { aliases: ["w"], ipv4Address: "10.9.0.5", ipv6Address: "fd00::5", macAddress: "02:00:00:00:00:05", driverOpts: { "com.docker.network.endpoint.sysctls": "x" } } },
                dependsOn: { db: { condition: "service_started", required: true, restart: true } },
                healthcheck: { test: ["CMD", "true"], interval: "10s", timeout: "5s", retries: 3, startPeriod: "30s", startInterval: "1s" },
                restart: "on-failure:3",
                deploy: {
                    endpointMode: "vip",
                    labels: { team: "a" },
                    resources: { limits: { cpus: 1, memory: "1g", pids: 100 }, reservations: { cpus: 0.5, memory: "512m" } },
                    restartPolicy: { condition: "on-failure", delay: "5s", maxAttempts: 3, window: "60s" },
                    updateConfig: { parallelism: 1, delay: "10s", failureAction: "pause", monitor: "5s", maxFailureRatio: 0.1, order: "start-first" },
                    rollbackConfig: { parallelism: 1, delay: "10s", failureAction: "pause", monitor: "5s", maxFailureRatio: 0.1, order: "stop-first" },
                    placement: { constraints: ["node.role == manager"], preferences: [{ spread: "node.labels.zone" }], maxReplicasPerNode: 2 },
                },
                cpuShares: 512,
                cpuset: "0-1",
                memswapLimit: "2g",
                shmSize: "64m",
                user: "1000:1000",
                groupAdd: ["100"],
                workingDir: "/app",
                hostname: "web",
                domainname: "example.com",
                dns: ["1.1.1.1"],
                dnsSearch: ["example.com"],
                dnsOpt: ["ndots:1"],
                extraHosts: ["db.local:10.0.0.2"],
                labels: { role: "web" },
                logging: { driver: "json-file", options: { "max-size": "1m" } },
                readOnly: true,
                capAdd: ["NET_ADMIN"],
                capDrop: ["ALL"],
                securityOpt: ["no-new-privileges:true", "seccomp=unconfined"],
                privileged: true,
                init: true,
                stopSignal: "SIGINT",
                stopGracePeriod: "20s",
                ulimits: { nofile: 1024 },
                sysctls: { "net.core.somaxconn": "1024" },
                tty: true,
                stdinOpen: true,
                secrets: [{ source: "token", target: "/run/secrets/token", uid: "1000", gid: "1000", mode: 0o400 }],
                configs: [{ source: "site", target: "/etc/site.conf", uid: "0", gid: "0", mode: 0o444 }],
                containerName: "shop-web",
                devices: ["/dev/fuse:/dev/fuse:rwm"],
                platform: "linux/arm64/v8",
                pid: "host",
                ipc: "shareable",
                runtime: "runc",
                macAddress: "02:00:00:00:00:05",
                cgroupParent: "apps.slice",
                "x-kubernetes": { serviceType: "ClusterIP" },
            },
            db: { image: "db:1", networkMode: "host", healthcheck: { disable: true } },
        },
        networks: {
            back: {
                name: "shop-back",
                driver: "bridge",
                driverOpts: { mtu: "1400" },
                internal: true,
                attachable: true,
                enableIpv6: true,
                ipam: { driver: "default", config: [{ subnet: "10.9.0.0/24", gateway: "10.9.0.1", ipRange: "10.9.0.0/25", auxAddresses: { host1: "10.9.0.2" } }], options: { foo: "bar" } },
                labels: { a: "b" },
                external: false,
            },
        },
        volumes: { data: { name: "shop-data", driver: "local", driverOpts: { type: "none" }, labels: { a: "b" }, external: false, "x-kubernetes": { size: "2Gi" } } },
        secrets: {
            token: { name: "shop-token", content: "t", labels: { a: "b" } },
            key: { file: "/srv/shop/key" },
            env: { environment: "TOKEN" },
            ext: { external: true },
        },
        configs: { site: { content: "server {}" } },
    });
}

type AnyDecision = { kind: string; fields?: Record<string, unknown> };

/** Fails when the keys the samples have and the keys `table` decides differ, at any depth of a mapped structure. */
function assertComplete(table: Record<string, AnyDecision>, samples: object[], where: string): void {
    const seen = [...new Set(samples.flatMap((s) => Object.keys(s)))].sort();
    assert.deepStrictEqual(Object.keys(table).sort(), seen, `${where}: the table's fields and the model's differ (set every optional field in kitchenSink)`);
    for (const [key, d] of Object.entries(table)) {
        if (d.kind !== "mapped" || !d.fields) continue;
        const values = samples.flatMap((s) => {
            const v = (s as Record<string, unknown>)[key];
            return v === undefined ? [] : Array.isArray(v) ? v : [v];
        }) as object[];
        assert.ok(values.length > 0, `${where}.${key}: kitchenSink sets no ${key}`);
        const first = Object.values(d.fields)[0] as { kind?: unknown };
        if (typeof first.kind === "string") {
            assertComplete(d.fields as Record<string, AnyDecision>, values, `${where}.${key}`);
        } else {
            for (const [variant, vt] of Object.entries(d.fields)) {
                const ofVariant = values.filter((v) => (v as { type?: unknown }).type === variant);
                assert.ok(ofVariant.length > 0, `${where}.${key}: kitchenSink has no ${variant}`);
                assertComplete(vt as Record<string, AnyDecision>, ofVariant, `${where}.${key}.${variant}`);
            }
        }
    }
}

/** An application that sets one field, and where the finding about it is expected. */
interface Sample {
    readonly app: AppInput;
    readonly path: string;
}

const svc = (service: ServiceInput, rest: Partial<AppInput> = {}): AppInput => ({ name: "shop", services: { web: { image: "x", ...service } }, ...rest });
const at = (path: string, app: AppInput): Sample => ({ path, app });
const withBack = { networks: { back: {} } };

/**
 * For every field some target ignores or refuses, applications that set it (a target's `isSet`
 * may need a particular value; one of the samples must produce its finding).
 */
const SAMPLES: Record<string, readonly Sample[]> = {
    "services.ports.hostIp": [at("services.web.ports[0].hostIp", svc({ ports: ["127.0.0.1:8080:80"] }))],
    "services.ports.mode": [at("services.web.ports[0].mode", svc({ ports: [{ target: 80, published: 8080, mode: "host" }] }))],
    "services.ports.name": [at("services.web.ports[0].name", svc({ ports: [{ target: 80, published: 8080, name: "http" }] }))],
    "services.ports.publishedEnd": [at("services.web.ports[0].publishedEnd", svc({ ports: ["8080-8090:80"] }))],
    "services.ports.appProtocol": [at("services.web.ports[0].appProtocol", svc({ ports: [{ target: 80, published: 8080, appProtocol: "http" }] }))],
    "services.mounts.volume.subpath": [at("services.web.mounts[0].subpath", svc({ volumes: [{ type: "volume", source: "data", target: "/d", volume: { subpath: "s" } }] }, { volumes: { data: {} } }))],
    "services.mounts.bind.createHostPath": [
        at("services.web.mounts[0].createHostPath", svc({ volumes: ["./data:/data"] })),
        at("services.web.mounts[0].createHostPath", svc({ volumes: [{ type: "bind", source: "/srv/data", target: "/data" }] })),
        at("services.web.mounts[0].createHostPath", svc({ volumes: [{ type: "bind", source: "/srv/data", target: "/data", bind: { createHostPath: false } }] })),
    ],
    "services.mounts.bind.selinux": [at("services.web.mounts[0].selinux", svc({ volumes: ["/srv/data:/data:z"] }))],
    "services.mounts.tmpfs.mode": [at("services.web.mounts[0].mode", svc({ tmpfs: ["/run:mode=0700"] }))],
    "services.mounts.tmpfs.options": [at("services.web.mounts[0].options", svc({ tmpfs: ["/run:uid=1000"] }))],
    "services.networks.ipv4Address": [at("services.web.networks.back.ipv4Address", svc({ networks: { back: { ipv4Address: "10.9.0.5" } } }, withBack))],
    "services.networks.ipv6Address": [at("services.web.networks.back.ipv6Address", svc({ networks: { back: { ipv6Address: "fd00::5" } } }, withBack))],
    "services.networks.macAddress": [at("services.web.networks.back.macAddress", svc({ networks: { back: { macAddress: "02:00:00:00:00:05" } } }, withBack))],
    "services.networks.driverOpts": [at("services.web.networks.back.driverOpts", svc({ networks: { back: { driverOpts: { "com.docker.network.endpoint.sysctls": "x" } } } }, withBack))],
    "services.networkMode": [at("services.web.networkMode", svc({ networkMode: "host" }))],
    "services.dependsOn.restart": [at("services.web.dependsOn.db.restart", { name: "shop", services: { web: { image: "x", dependsOn: { db: { restart: true } } }, db: { image: "y" } } })],
    "services.healthcheck.startIntervalMs": [at("services.web.healthcheck.startIntervalMs", svc({ healthcheck: { test: "true", startInterval: "1s" } }))],
    "services.resources.limits.pids": [at("services.web.resources.limits.pids", svc({ pidsLimit: 10 }))],
    "services.resources.reservations.cpus": [at("services.web.resources.reservations.cpus", svc({ deploy: { resources: { reservations: { cpus: 0.5 } } } }))],
    "services.resources.cpuShares": [at("services.web.resources.cpuShares", svc({ cpuShares: 256 }))],
    "services.resources.cpuset": [at("services.web.resources.cpuset", svc({ cpuset: "0" }))],
    "services.resources.memorySwapBytes": [at("services.web.resources.memorySwapBytes", svc({ memLimit: "1g", memswapLimit: "2g" }))],
    "services.resources.shmSizeBytes": [at("services.web.resources.shmSizeBytes", svc({ shmSize: "64m" }))],
    "services.deploy.endpointMode": [at("services.web.deploy.endpointMode", svc({ deploy: { endpointMode: "vip" } }))],
    "services.deploy.placement.constraints": [at("services.web.deploy.placement.constraints", svc({ deploy: { placement: { constraints: ["node.role == manager"] } } }))],
    "services.deploy.placement.preferences": [at("services.web.deploy.placement.preferences", svc({ deploy: { placement: { preferences: [{ spread: "node.labels.zone" }] } } }))],
    "services.deploy.placement.maxReplicasPerNode": [at("services.web.deploy.placement.maxReplicasPerNode", svc({ deploy: { placement: { maxReplicasPerNode: 1 } } }))],
    "services.deploy.restartPolicy.delayMs": [at("services.web.deploy.restartPolicy.delayMs", svc({ deploy: { restartPolicy: { condition: "any", delay: "5s" } } }))],
    "services.deploy.restartPolicy.windowMs": [at("services.web.deploy.restartPolicy.windowMs", svc({ deploy: { restartPolicy: { condition: "any", window: "60s" } } }))],
    "services.deploy.updateConfig": [at("services.web.deploy.updateConfig", svc({ deploy: { updateConfig: { parallelism: 1 } } }))],
    "services.deploy.updateConfig.delayMs": [at("services.web.deploy.updateConfig.delayMs", svc({ deploy: { updateConfig: { delay: "10s" } } }))],
    "services.deploy.updateConfig.failureAction": [at("services.web.deploy.updateConfig.failureAction", svc({ deploy: { updateConfig: { failureAction: "pause" } } }))],
    "services.deploy.updateConfig.maxFailureRatio": [at("services.web.deploy.updateConfig.maxFailureRatio", svc({ deploy: { updateConfig: { maxFailureRatio: 0.1 } } }))],
    "services.deploy.rollbackConfig": [at("services.web.deploy.rollbackConfig", svc({ deploy: { rollbackConfig: { parallelism: 1 } } }))],
    "services.deploy.labels": [at("services.web.deploy.labels", svc({ deploy: { labels: { team: "a" } } }))],
    "services.domainname": [at("services.web.domainname", svc({ domainname: "example.com" }))],
    "services.logging": [at("services.web.logging", svc({ logging: { driver: "json-file" } }))],
    "services.securityOpt": [at("services.web.securityOpt", svc({ securityOpt: ["seccomp=unconfined"] }))],
    "services.noNewPrivileges": [at("services.web.noNewPrivileges", svc({ securityOpt: ["no-new-privileges:true"] }))],
    "services.privileged": [at("services.web.privileged", svc({ privileged: true }))],
    "services.init": [at("services.web.init", svc({ init: true }))],
    "services.stopSignal": [at("services.web.stopSignal", svc({ stopSignal: "SIGINT" }))],
    "services.ulimits": [at("services.web.ulimits", svc({ ulimits: { nofile: 1024 } }))],
    "services.tty": [at("services.web.tty", svc({ tty: true }))],
    "services.stdinOpen": [at("services.web.stdinOpen", svc({ stdinOpen: true }))],
    "services.secrets.uid": [at("services.web.secrets[0].uid", svc({ secrets: [{ source: "pw", uid: "1000" }] }, { secrets: { pw: { content: "x" } } }))],
    "services.secrets.gid": [at("services.web.secrets[0].gid", svc({ secrets: [{ source: "pw", gid: "1000" }] }, { secrets: { pw: { content: "x" } } }))],
    "services.configs.uid": [at("services.web.configs[0].uid", svc({ configs: [{ source: "site", uid: "1000" }] }, { configs: { site: { content: "x" } } }))],
    "services.configs.gid": [at("services.web.configs[0].gid", svc({ configs: [{ source: "site", gid: "1000" }] }, { configs: { site: { content: "x" } } }))],
    "services.containerName": [at("services.web.containerName", svc({ containerName: "web1" }))],
    "services.devices": [at("services.web.devices", svc({ devices: ["/dev/fuse"] }))],
    "services.pid": [at("services.web.pid", svc({ pid: "host" }))],
    "services.ipc": [at("services.web.ipc", svc({ ipc: "host" }))],
    "services.runtime": [at("services.web.runtime", svc({ runtime: "runsc" }))],
    "services.macAddress": [at("services.web.macAddress", svc({ macAddress: "02:00:00:00:00:01" }))],
    "services.cgroupParent": [at("services.web.cgroupParent", svc({ cgroupParent: "apps.slice" }))],
    "networks.driver": [at("networks.back.driver", svc({ networks: ["back"] }, { networks: { back: { driver: "macvlan" } } }))],
    "networks.driverOpts": [at("networks.back.driverOpts", svc({ networks: ["back"] }, { networks: { back: { driverOpts: { mtu: "1400" } } } }))],
    "networks.enableIpv6": [at("networks.back.enableIpv6", svc({ networks: ["back"] }, { networks: { back: { enableIpv6: true } } }))],
    "networks.ipam": [at("networks.back.ipam", svc({ networks: ["back"] }, { networks: { back: { ipam: { config: [{ subnet: "10.9.0.0/24" }] } } } }))],
    "networks.labels": [at("networks.back.labels", svc({ networks: ["back"] }, { networks: { back: { labels: { a: "b" } } } }))],
    "networks.ipam.options": [at("networks.back.ipam.options", svc({ networks: ["back"] }, { networks: { back: { ipam: { options: { foo: "bar" } } } } }))],
    "volumes.driver": [at("volumes.data.driver", svc({ volumes: ["data:/d"] }, { volumes: { data: { driver: "local" } } }))],
    "volumes.driverOpts": [at("volumes.data.driverOpts", svc({ volumes: ["data:/d"] }, { volumes: { data: { driverOpts: { type: "none" } } } }))],
    "secrets.labels": [at("secrets.pw.labels", svc({ secrets: ["pw"] }, { secrets: { pw: { content: "x", labels: { a: "b" } } } }))],
    "configs.labels": [at("configs.site.labels", svc({ configs: ["site"] }, { configs: { site: { content: "x", labels: { a: "b" } } } }))],
};

/** True when `f` is about `path`: at it, or at a field that holds it (a grouped warning). */
const about = (f: Finding, path: string) => f.path === path || path.startsWith(`${f.path}.`);

describe("targets/support", () => {
    describe("every field has a decision on every target", () => {
        for (const t of TARGETS) {
            it(`${t.name}: the table decides exactly the fields of the model`, () => {
                const app = kitchenSink();
                assertComplete(t.table.services as never, Object.values(app.services), "services");
                assertComplete(t.table.networks as never, Object.values(app.networks), "networks");
                assertComplete(t.table.volumes as never, Object.values(app.volumes), "volumes");
                assertComplete(t.table.secrets as never, Object.values(app.secrets), "secrets");
                assertComplete(t.table.configs as never, [...Object.values(app.configs), ...Object.values(app.secrets)], "configs");
            });
        }

        it("a table without a decision for a field, or with one for a field the model lacks, does not compile", () => {
            const { image, ...rest } = DOCKER_SUPPORT.services;
            assert.strictEqual(image.kind, "mapped");
            // @ts-expect-error `image` has no decision
            const missing: ServiceSupport = rest;
            // @ts-expect-error `colour` is no field of the model
            const extra: ServiceSupport = { ...DOCKER_SUPPORT.services, colour: MAPPED };
            // @ts-expect-error a structured field needs a table for its fields to be mapped
            const unstructured: ServiceSupport = { ...DOCKER_SUPPORT.services, resources: MAPPED };
            assert.ok(missing && extra && unstructured);
        });
    });

    describe("every field a target ignores or refuses produces a finding when set", () => {
        for (const t of TARGETS) {
            it(`${t.name}`, () => {
                const decided = decisionsOf(t.table).filter((d) => d.kind === "ignored" || d.kind === "refused");
                assert.ok(decided.length > 0);
                for (const d of decided) {
                    const samples = SAMPLES[d.field];
                    assert.ok(samples, `no sample application sets ${d.field}: add one to SAMPLES`);
                    const level = d.kind === "refused" ? "error" : "warning";
                    const found = samples.some((s) => t.findings(define(s.app)).some((f) => f.level === level && about(f, s.path)));
                    assert.ok(found, `${t.name}: ${d.field} is ${d.kind}, but no sample produces an ${level} at ${samples.map((s) => s.path).join(" or ")}`);
                }
            });
        }

        it("and every sample is about a field some target ignores or refuses", () => {
            const decided = new Set(TARGETS.flatMap((t) => decisionsOf(t.table).filter((d) => d.kind === "ignored" || d.kind === "refused").map((d) => d.field)));
            assert.deepStrictEqual(Object.keys(SAMPLES).filter((field) => !decided.has(field)), []);
        });

        it("and the kitchen sink's findings are all at paths of the model", () => {
            const app = kitchenSink();
            for (const t of TARGETS) {
                for (const f of t.findings(app)) {
                    assert.match(f.path, /^(services|networks|volumes|secrets|configs)\.[\w-]+(\.[A-Za-z]\w*|\[\d+\])*$/, `${t.name}: ${f.path}`);
                    assert.ok(!/^(docker|swarm|kubernetes):/.test(f.message) && !f.message.includes(f.path), `${t.name}: ${f.path}: ${f.message}`);
                }
            }
        });
    });

    describe("the machinery", () => {
        interface Thing {
            readonly name: string;
            readonly size?: number;
            readonly tags: string[];
            readonly parts: { readonly id: string; readonly colour?: string }[];
            readonly box: { readonly width: number; readonly depth?: number; readonly height?: number };
        }
        const things: Table<Thing> = {
            name: MAPPED,
            size: refused((size) => `size ${size} is too big`, (size) => size !== undefined && size > 10),
            tags: ignored("tags are ignored"),
            parts: fields({ id: MAPPED, colour: ignored((c, ctx) => `${ctx.owner.id} is ${c}, which is ignored`) }, { key: (p) => p.id }),
            box: fields({ width: mapped((w, c) => (w < 0 ? [c.error("negative", w)] : [])), depth: ignored("depth"), height: ignored("height") }, { group: (names) => `ignored: ${names.join(", ")}` }),
        };
        // The generic walker takes any table in the place of the services'.
        const table = { services: things, networks: {}, volumes: {}, secrets: {}, configs: {} } as unknown as SupportTable;
        const appOf = (services: Record<string, Thing>) => ({ name: "t", services, networks: {}, volumes: {}, secrets: {}, configs: {} }) as unknown as AppSpec;

        it("walks in description order, with paths in the model's terms, grouping what a structure asks to group", () => {
            const findings = supportFindings(appOf({
                a: { name: "a", size: 11, tags: ["x"], parts: [{ id: "p1", colour: "red" }, { id: "p2" }], box: { width: -1, depth: 2, height: 3 } },
                "b.c": { name: "b.c", size: 5, tags: [], parts: [], box: { width: 1 } },
            }), table);
            assert.deepStrictEqual(findings, [
                { path: "services.a.size", level: "error", message: "size 11 is too big", value: 11 },
                { path: "services.a.tags", level: "warning", message: "tags are ignored" },
                { path: "services.a.parts.p1.colour", level: "warning", message: "p1 is red, which is ignored" },
                { path: "services.a.box.width", level: "error", message: "negative", value: -1 },
                { path: "services.a.box", level: "warning", message: "ignored: depth, height" },
            ]);
        });

        it("counts a value as set unless undefined, false, an empty list or an empty map", () => {
            assert.deepStrictEqual([undefined, null, false, [], {}].map(isSet), [false, false, false, false, false]);
            assert.deepStrictEqual([0, "", true, ["a"], { a: 1 }].map(isSet), [true, true, true, true, true]);
        });

        it("lists the decisions of a table with the fields they are about", () => {
            const entries = decisionsOf(DOCKER_SUPPORT);
            assert.ok(entries.some((e) => e.field === "services.mounts.bind.selinux" && e.kind === "ignored"));
            assert.ok(entries.some((e) => e.field === "services.expose" && e.kind === "inherent" && e.about !== undefined));
            assert.ok(entries.some((e) => e.field === "networks.ipam.config.subnet" && e.kind === "mapped"));
            assert.strictEqual(new Set(entries.map((e) => e.field)).size, entries.length);
        });

        it("inherent decisions never produce a finding", () => {
            const t = { ...table, services: { ...things, tags: inherent("tags mean nothing here") } } as unknown as SupportTable;
            assert.deepStrictEqual(supportFindings(appOf({ a: { name: "a", tags: ["x"], parts: [], box: { width: 1 } } }), t), []);
        });
    });
});
