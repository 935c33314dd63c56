import * as assert from "assert";
import { DaemonConfig } from "../../components/daemon";
import { judgeRule, REMOTE_IMAGE } from "../../policy/judge";
import { CONTAINER_RULES, DAEMON_RULES, RULES, RULES_BY_ID, exposesDockerSocket, isRootUser, pinnedImage, sensitiveDir } from "../../policy/rules";
import { COMMAND, CONTAINER, DEPLOYMENT, SERVICE, SECURE_DAEMON, daemonCommand, deployment, dockerContainer, swarmService, violations } from "./fixtures";

type Case = { readonly what: string; readonly type: string; readonly props: Record<string, any>; readonly match?: RegExp };

/** One rule's cases: resources that must pass and resources that must fail (with the message expected). */
const CASES: Record<string, { pass: Case[]; fail: Case[] }> = {
    "4.1": {
        pass: [
            { what: "docker user by name", type: CONTAINER, props: dockerContainer({ user: "app" }) },
            { what: "kubernetes pod runAsNonRoot", type: DEPLOYMENT, props: deployment({}, { securityContext: { runAsNonRoot: true } }) },
            { what: "kubernetes container runAsUser", type: DEPLOYMENT, props: deployment({ securityContext: { runAsUser: 101, readOnlyRootFilesystem: true } }, { securityContext: {} }) },
        ],
        fail: [
            { what: "docker no user", type: CONTAINER, props: dockerContainer({ user: undefined }), match: /sets no user/ },
            { what: "docker root", type: CONTAINER, props: dockerContainer({ user: "root" }), match: /"root", which is root/ },
            { what: "docker uid 0 with a group", type: CONTAINER, props: dockerContainer({ user: "0:1000" }), match: /which is root/ },
            { what: "swarm no user", type: SERVICE, props: swarmService({ user: undefined }), match: /sets no user/ },
            { what: "kubernetes no security context", type: DEPLOYMENT, props: deployment({}, { securityContext: undefined }), match: /sets no user/ },
            { what: "kubernetes runAsNonRoot with uid 0", type: DEPLOYMENT, props: deployment({}, { securityContext: { runAsNonRoot: true, runAsUser: 0 } }), match: /"0", which is root/ },
        ],
    },
    "4.2": {
        pass: [
            { what: "swarm tag", type: SERVICE, props: swarmService({ image: "registry.lan:5000/acme/web:1.4" }) },
            { what: "kubernetes digest", type: DEPLOYMENT, props: deployment({ image: "nginx@sha256:" + "a".repeat(64) }) },
            { what: "a pulled image's name", type: REMOTE_IMAGE, props: { name: "mysql:8.4", keepLocally: true } },
        ],
        fail: [
            { what: "swarm latest", type: SERVICE, props: swarmService({ image: "nginx:latest" }), match: /"nginx:latest" is not pinned/ },
            { what: "kubernetes untagged, registry with a port", type: DEPLOYMENT, props: deployment({ image: "registry.lan:5000/acme/web" }), match: /not pinned/ },
            { what: "a pulled image without tag", type: REMOTE_IMAGE, props: { name: "redis" }, match: /"redis" is not pinned/ },
        ],
    },
    "5.4": {
        pass: [
            { what: "docker adds a default capability", type: CONTAINER, props: dockerContainer({ capabilities: { adds: ["CAP_NET_BIND_SERVICE"], drops: ["ALL"] } }) },
            { what: "kubernetes drops only", type: DEPLOYMENT, props: deployment({ securityContext: { readOnlyRootFilesystem: true, capabilities: { drop: ["ALL"] } } }) },
        ],
        fail: [
            { what: "docker SYS_ADMIN", type: CONTAINER, props: dockerContainer({ capabilities: { adds: ["SYS_ADMIN", "CHOWN"] } }), match: /adds capabilities SYS_ADMIN$/ },
            { what: "swarm ALL", type: SERVICE, props: swarmService({ capAdds: ["ALL"] }), match: /adds capabilities ALL/ },
            { what: "kubernetes NET_ADMIN", type: DEPLOYMENT, props: deployment({ securityContext: { readOnlyRootFilesystem: true, capabilities: { add: ["NET_ADMIN"] } } }), match: /NET_ADMIN/ },
        ],
    },
    "5.5": {
        pass: [{ what: "docker privileged false", type: CONTAINER, props: dockerContainer({ privileged: false }) }],
        fail: [
            { what: "docker privileged", type: CONTAINER, props: dockerContainer({ privileged: true }), match: /container shop-web-1: runs privileged/ },
            { what: "kubernetes privileged", type: DEPLOYMENT, props: deployment({ securityContext: { privileged: true, readOnlyRootFilesystem: true } }), match: /container web: runs privileged/ },
        ],
    },
    "5.6": {
        pass: [
            { what: "docker /etc/localtime read-only", type: CONTAINER, props: dockerContainer({ volumes: [{ hostPath: "/etc/localtime", containerPath: "/etc/localtime", readOnly: true }] }) },
            { what: "docker a named volume called etc", type: CONTAINER, props: dockerContainer({ mounts: [{ type: "volume", source: "etc", target: "/etc/app" }] }) },
            { what: "docker a data directory read-write", type: CONTAINER, props: dockerContainer({ mounts: [{ type: "bind", source: "/srv/shop", target: "/data" }] }) },
        ],
        fail: [
            { what: "docker /etc read-only", type: CONTAINER, props: dockerContainer({ volumes: [{ hostPath: "/etc", containerPath: "/host/etc", readOnly: true }] }), match: /mounts \/etc:\/host\/etc:ro: the host's \/etc$/ },
            { what: "docker inside /usr read-write", type: CONTAINER, props: dockerContainer({ mounts: [{ type: "bind", source: "/usr/local/bin", target: "/tools" }] }), match: /inside the host's \/usr read-write/ },
            { what: "docker / written with ..", type: CONTAINER, props: dockerContainer({ mounts: [{ type: "bind", source: "/srv/..", target: "/rootfs", readOnly: true }] }), match: /the host's \/$/ },
            { what: "swarm /sys", type: SERVICE, props: swarmService({ mounts: [{ type: "bind", source: "/sys", target: "/sys", readOnly: true }] }), match: /\/sys/ },
            {
                what: "kubernetes hostPath /proc",
                type: DEPLOYMENT,
                props: deployment({ volumeMounts: [{ name: "proc", mountPath: "/host/proc", readOnly: true }] }, { volumes: [{ name: "proc", hostPath: { path: "/proc" } }] }),
                match: /mounts \/proc:\/host\/proc:ro/,
            },
        ],
    },
    "5.8": {
        pass: [
            { what: "kubernetes containerPort 80 without hostPort", type: DEPLOYMENT, props: deployment() },
            { what: "docker not published", type: CONTAINER, props: dockerContainer({ ports: [{ internal: 80 }] }) },
        ],
        fail: [
            { what: "docker 80", type: CONTAINER, props: dockerContainer({ ports: [{ internal: 80, external: 80 }] }), match: /host port 80/ },
            { what: "swarm 443", type: SERVICE, props: swarmService({}, {}, { endpointSpec: { ports: [{ publishedPort: 443, targetPort: 8443 }] } }), match: /host port 443/ },
            { what: "kubernetes hostPort 22", type: DEPLOYMENT, props: deployment({ ports: [{ containerPort: 2222, hostPort: 22 }] }), match: /host port 22/ },
        ],
    },
    "5.10": {
        pass: [{ what: "docker bridge", type: CONTAINER, props: dockerContainer({ networkMode: "bridge" }) }],
        fail: [
            { what: "docker host", type: CONTAINER, props: dockerContainer({ networkMode: "host" }), match: /network namespace/ },
            { what: "swarm host network", type: SERVICE, props: swarmService({}, { networksAdvanceds: [{ name: "host" }] }), match: /network namespace/ },
            { what: "kubernetes hostNetwork", type: DEPLOYMENT, props: deployment({}, { hostNetwork: true }), match: /network namespace/ },
        ],
    },
    "5.11": {
        pass: [{ what: "kubernetes limit with a unit", type: DEPLOYMENT, props: deployment({ resources: { limits: { memory: "512Mi", cpu: "1" } } }) }],
        fail: [
            { what: "docker none", type: CONTAINER, props: dockerContainer({ memory: undefined }), match: /no memory limit/ },
            { what: "swarm reservation only", type: SERVICE, props: swarmService({}, { resources: { limits: { nanoCpus: 1e9 }, reservation: { memoryBytes: 1e8 } } }), match: /no memory limit/ },
            { what: "kubernetes requests only", type: DEPLOYMENT, props: deployment({ resources: { requests: { memory: "128Mi" }, limits: { cpu: "1" } } }), match: /no memory limit/ },
        ],
    },
    "5.12": {
        pass: [{ what: "docker CPU shares", type: CONTAINER, props: dockerContainer({ cpus: undefined, cpuShares: 512 }) }],
        fail: [
            { what: "docker none", type: CONTAINER, props: dockerContainer({ cpus: undefined }), match: /no CPU limit/ },
            { what: "swarm none", type: SERVICE, props: swarmService({}, { resources: { limits: { memoryBytes: 1e8 } } }), match: /no CPU limit/ },
            { what: "kubernetes none", type: DEPLOYMENT, props: deployment({ resources: { limits: { memory: "128Mi" } } }), match: /no CPU limit/ },
        ],
    },
    "5.13": {
        pass: [],
        fail: [
            { what: "docker", type: CONTAINER, props: dockerContainer({ readOnly: false }), match: /writable root filesystem/ },
            { what: "swarm", type: SERVICE, props: swarmService({ readOnly: undefined }), match: /writable root filesystem/ },
            { what: "kubernetes", type: DEPLOYMENT, props: deployment({ securityContext: {} }), match: /writable root filesystem/ },
        ],
    },
    "5.15": {
        pass: [
            { what: "docker no restart", type: CONTAINER, props: dockerContainer({ restart: "no", maxRetryCount: undefined }) },
            { what: "swarm condition none", type: SERVICE, props: swarmService({}, { restartPolicy: { condition: "none" } }) },
        ],
        fail: [
            { what: "docker always", type: CONTAINER, props: dockerContainer({ restart: "always", maxRetryCount: undefined }), match: /restarts "always" without a limit/ },
            { what: "docker unless-stopped", type: CONTAINER, props: dockerContainer({ restart: "unless-stopped" }), match: /"unless-stopped" without a limit/ },
            { what: "docker on-failure without a count", type: CONTAINER, props: dockerContainer({ maxRetryCount: undefined }), match: /on failure without a limit/ },
            { what: "docker on-failure 10", type: CONTAINER, props: dockerContainer({ maxRetryCount: 10 }), match: /up to 10 times, more than 5/ },
            { what: "swarm default condition", type: SERVICE, props: swarmService({}, { restartPolicy: undefined }), match: /condition any/ },
        ],
    },
    "5.16": {
        pass: [{ what: "docker private", type: CONTAINER, props: dockerContainer({ pidMode: "container:other" }) }],
        fail: [
            { what: "docker host", type: CONTAINER, props: dockerContainer({ pidMode: "host" }), match: /process namespace/ },
            { what: "kubernetes hostPID", type: DEPLOYMENT, props: deployment({}, { hostPID: true }), match: /process namespace/ },
        ],
    },
    "5.17": {
        pass: [{ what: "docker shareable", type: CONTAINER, props: dockerContainer({ ipcMode: "shareable" }) }],
        fail: [
            { what: "docker host", type: CONTAINER, props: dockerContainer({ ipcMode: "host" }), match: /IPC namespace/ },
            { what: "kubernetes hostIPC", type: DEPLOYMENT, props: deployment({}, { hostIPC: true }), match: /IPC namespace/ },
        ],
    },
    "5.21": {
        pass: [{ what: "docker host network (UTS stays private)", type: CONTAINER, props: dockerContainer({ networkMode: "host" }) }],
        fail: [{ what: "kubernetes hostNetwork", type: DEPLOYMENT, props: deployment({}, { hostNetwork: true }), match: /UTS namespace/ }],
    },
    "5.27": {
        pass: [
            { what: "kubernetes liveness only", type: DEPLOYMENT, props: deployment({ readinessProbe: undefined, livenessProbe: { tcpSocket: { port: 80 } } }) },
            { what: "kubernetes init container without probe", type: DEPLOYMENT, props: deployment({}, { initContainers: [{ name: "migrate", image: "acme/migrate:1", securityContext: { readOnlyRootFilesystem: true }, resources: { limits: { cpu: "1", memory: "1Gi" } } }] }) },
        ],
        fail: [
            { what: "docker none", type: CONTAINER, props: dockerContainer({ healthcheck: undefined }), match: /declares no healthcheck/ },
            { what: "docker NONE", type: CONTAINER, props: dockerContainer({ healthcheck: { tests: ["NONE"] } }), match: /disables its healthcheck/ },
            { what: "swarm none", type: SERVICE, props: swarmService({ healthcheck: undefined }), match: /no healthcheck/ },
            { what: "kubernetes no probe", type: DEPLOYMENT, props: deployment({ readinessProbe: undefined }), match: /no liveness or readiness probe/ },
        ],
    },
    "5.29": {
        pass: [],
        fail: [
            { what: "docker without nproc", type: CONTAINER, props: dockerContainer({ ulimits: [{ name: "nofile", soft: 1024, hard: 1024 }] }), match: /set ulimits.nproc instead/ },
            { what: "swarm, which cannot have one", type: SERVICE, props: swarmService(), match: /Swarm service cannot get one/ },
        ],
    },
    "5.32": {
        pass: [{ what: "docker /var/lib/docker/volumes", type: CONTAINER, props: dockerContainer({ volumes: [{ hostPath: "/var/lib/docker/volumes", containerPath: "/volumes" }] }) }],
        fail: [
            { what: "docker the socket", type: CONTAINER, props: dockerContainer({ volumes: [{ hostPath: "/var/run/docker.sock", containerPath: "/var/run/docker.sock" }] }), match: /which is the Docker socket/ },
            { what: "docker /var/run read-only", type: CONTAINER, props: dockerContainer({ mounts: [{ type: "bind", source: "/var/run", target: "/var/run", readOnly: true }] }), match: /which holds the Docker socket/ },
            { what: "swarm /run", type: SERVICE, props: swarmService({ mounts: [{ type: "bind", source: "/run", target: "/host/run", readOnly: true }] }), match: /holds the Docker socket/ },
            {
                what: "kubernetes a rootless engine's socket",
                type: DEPLOYMENT,
                props: deployment({ volumeMounts: [{ name: "sock", mountPath: "/var/run/docker.sock" }] }, { volumes: [{ name: "sock", hostPath: { path: "/run/user/1000/docker.sock" } }] }),
                match: /is the Docker socket/,
            },
        ],
    },
};

describe("policy/rules: containers and images", () => {
    it("every container rule has cases, and every case names a rule", () => {
        assert.deepStrictEqual(Object.keys(CASES).sort(), CONTAINER_RULES.map((r) => r.id).sort());
    });

    it("the compliant Docker container, Swarm service and Deployment break no rule (5.29 aside on Swarm)", () => {
        for (const rule of CONTAINER_RULES) {
            assert.deepStrictEqual(violations(rule.id, CONTAINER, dockerContainer()), [], `${rule.id} docker`);
            assert.deepStrictEqual(violations(rule.id, DEPLOYMENT, deployment()), [], `${rule.id} kubernetes`);
            if (rule.id !== "5.29") assert.deepStrictEqual(violations(rule.id, SERVICE, swarmService()), [], `${rule.id} swarm`);
        }
    });

    for (const [id, { pass, fail }] of Object.entries(CASES)) {
        const rule = RULES_BY_ID.get(id)!;
        describe(`${id} ${rule.title}`, () => {
            for (const c of pass) {
                it(`passes: ${c.what}`, () => assert.deepStrictEqual(violations(id, c.type, c.props), []));
            }
            for (const c of fail) {
                it(`fails: ${c.what}`, () => {
                    const v = violations(id, c.type, c.props);
                    assert.strictEqual(v.length, 1, JSON.stringify(v));
                    if (c.match) assert.match(v[0], c.match);
                });
                it(`opts out with a reason: ${c.what}`, () => {
                    const props = withOptOut(c.type, c.props, `dev.dockyard.cis.skip.${id}`, "the reason, in words");
                    const verdict = judgeRule(rule, c.type, props);
                    if (c.type === REMOTE_IMAGE) {
                        // A RemoteImage has no labels: its rule is set by the pack's configuration only.
                        assert.strictEqual(verdict.violations.length, 1);
                        return;
                    }
                    assert.deepStrictEqual(verdict.violations, []);
                    assert.strictEqual(verdict.skipped, "the reason, in words");
                });
            }
        });
    }

    it("5.15 and 5.29 are not judged on Kubernetes, and say why", () => {
        for (const id of ["5.15", "5.29"]) {
            const v = judgeRule(RULES_BY_ID.get(id)!, DEPLOYMENT, deployment());
            assert.deepStrictEqual(v.violations, []);
            assert.match(v.notJudged ?? "", id === "5.15" ? /back off without a count/ : /podPidsLimit/);
        }
    });

    it("each container of a pod is judged and named, init containers included", () => {
        const props = deployment({}, { initContainers: [{ name: "setup", image: "busybox:1.36", securityContext: { privileged: true } }] });
        assert.deepStrictEqual(violations("5.5", DEPLOYMENT, props), ["init container setup: runs privileged: every device and capability of the host"]);
    });

    it("every workload kind's pod template is found (CronJob's inside its job template)", () => {
        const template = (deployment({}, { hostPID: true }).spec as { template: unknown }).template;
        const kinds: Record<string, unknown> = {
            "kubernetes:apps/v1:StatefulSet": { spec: { template } },
            "kubernetes:apps/v1:DaemonSet": { spec: { template } },
            "kubernetes:batch/v1:Job": { spec: { template } },
            "kubernetes:batch/v1:CronJob": { spec: { schedule: "* * * * *", jobTemplate: { spec: { template } } } },
            "kubernetes:core/v1:Pod": template,
        };
        for (const [type, props] of Object.entries(kinds)) assert.strictEqual(violations("5.16", type, props as Record<string, unknown>).length, 1, type);
    });

    it("a container that is never started (dockyard's files holder) is not judged", () => {
        assert.deepStrictEqual(violations("5.5", CONTAINER, dockerContainer({ privileged: true, start: false })), []);
    });

    it("resources without containers are not looked at", () => {
        for (const rule of RULES) assert.strictEqual(judgeRule(rule, "docker:index/network:Network", { name: "n" }).applies, false, rule.id);
    });

    it("helpers: root users, pinned references, sensitive directories, the socket", () => {
        assert.deepStrictEqual(["root", "0", "0:0", "root:wheel", "1000", "app", "rooty"].map(isRootUser), [true, true, true, true, false, false, false]);
        assert.deepStrictEqual(["nginx", "nginx:latest", "nginx:1.27", "localhost:5000/x", "localhost:5000/x:2", "x@sha256:" + "f".repeat(64)].map(pinnedImage), [false, false, true, false, true, true]);
        assert.deepStrictEqual([sensitiveDir("/etc/", true), sensitiveDir("/etc/ssl", true), sensitiveDir("/etc/ssl", false), sensitiveDir("/srv", false), sensitiveDir("/", true)], ["/etc", undefined, "/etc", undefined, "/"]);
        assert.deepStrictEqual(["/var/run/docker.sock", "/var/run", "/var", "/", "/run", "/var/lib/docker", "/home/u/.docker/run/docker.sock"].map(exposesDockerSocket), [true, true, true, true, true, false, true]);
    });
});

/** The same resource with an opt-out label where its target reads them. */
function withOptOut(type: string, props: Record<string, any>, key: string, value: string): Record<string, any> {
    const p = structuredClone(props);
    if (type === CONTAINER) p.labels = [...(p.labels ?? []), { label: key, value }];
    else if (type === SERVICE) p.taskSpec.containerSpec.labels = [...(p.taskSpec.containerSpec.labels ?? []), { label: key, value }];
    else if (type === DEPLOYMENT) p.spec.template.metadata.annotations = { ...(p.spec.template.metadata.annotations ?? {}), [key]: value };
    return p;
}

describe("policy/rules: the daemon (daemon.json from components/daemon)", () => {
    const FAILS: Record<string, { config: DaemonConfig; match: RegExp }[]> = {
        "2.2": [{ config: { ...SECURE_DAEMON, icc: undefined }, match: /icc is not set \(dockerd's default is true\)/ }, { config: { ...SECURE_DAEMON, icc: true }, match: /icc is true/ }],
        "2.5": [{ config: { ...SECURE_DAEMON, insecureRegistries: ["registry.lan:5000"] }, match: /"registry.lan:5000"/ }],
        "2.7": [
            { config: { ...SECURE_DAEMON, tls: { verify: false } }, match: /tcp:\/\/0.0.0.0:2376 without TLS/ },
            { config: { ...SECURE_DAEMON, tls: { cert: "/etc/docker/tls/server.pem", key: "/etc/docker/tls/server-key.pem", verify: false } }, match: /with TLS but without client verification/ },
        ],
        "2.8": [{ config: { ...SECURE_DAEMON, defaultUlimits: undefined }, match: /default-ulimits is not set/ }],
        "2.9": [{ config: { ...SECURE_DAEMON, usernsRemap: undefined }, match: /userns-remap is not set/ }],
        "2.13": [{ config: { ...SECURE_DAEMON, logDriver: undefined, logOpts: undefined }, match: /not set \(dockerd's default is json-file\)/ }, { config: { ...SECURE_DAEMON, logDriver: "local", logOpts: undefined }, match: /"local": logs stay on the host/ }],
        "2.14": [{ config: { ...SECURE_DAEMON, noNewPrivileges: false }, match: /no-new-privileges is not true/ }],
        "2.15": [{ config: { ...SECURE_DAEMON, liveRestore: undefined }, match: /live-restore is not true/ }],
        "2.16": [{ config: { ...SECURE_DAEMON, userlandProxy: true }, match: /userland-proxy is true/ }],
    };

    it("every daemon rule has failing cases", () => {
        assert.deepStrictEqual(Object.keys(FAILS).sort(), DAEMON_RULES.map((r) => r.id).sort());
    });

    it("the secure configuration passes every daemon rule", () => {
        for (const rule of DAEMON_RULES) assert.deepStrictEqual(violations(rule.id, COMMAND, daemonCommand()), [], rule.id);
    });

    it("a unix socket only needs no TLS (2.7)", () => {
        assert.deepStrictEqual(violations("2.7", COMMAND, daemonCommand({ ...SECURE_DAEMON, hosts: ["unix:///var/run/docker.sock"], tls: undefined })), []);
    });

    for (const [id, cases] of Object.entries(FAILS)) {
        for (const { config, match } of cases) {
            it(`${id} fails: ${match.source}`, () => {
                const v = violations(id, COMMAND, daemonCommand(config));
                assert.strictEqual(v.length, 1, JSON.stringify(v));
                assert.match(v[0], /^daemon\.json: /);
                assert.match(v[0], match);
            });
            it(`${id} opts out through daemon.json labels`, () => {
                const labels = { ...config.labels, [`dev.dockyard.cis.skip.${id}`]: "a swarm node: live restore does not cover services" };
                const verdict = judgeRule(RULES_BY_ID.get(id)!, COMMAND, daemonCommand({ ...config, labels }));
                assert.deepStrictEqual(verdict.violations, []);
                assert.strictEqual(verdict.skipped, "a swarm node: live restore does not cover services");
            });
        }
    }

    it("only a command whose stdin is a daemon.json is judged", () => {
        const rule = RULES_BY_ID.get("2.2")!;
        assert.strictEqual(judgeRule(rule, COMMAND, { create: "echo hi", stdin: '{"name": "not a daemon"}' }).applies, false);
        assert.strictEqual(judgeRule(rule, COMMAND, { create: "echo hi", stdin: "icc=false" }).applies, false);
        assert.strictEqual(judgeRule(rule, COMMAND, { create: "echo hi" }).applies, false);
        assert.strictEqual(judgeRule(rule, "command:local:Command", { stdin: '{"icc": true}' }).violations.length, 1);
    });
});
