import * as assert from "assert";
import { daemonJson, DaemonConfig } from "../../components/daemon";
import { SpecError } from "../../components/spec/errors";
import { assertRefused as refused } from "../harness";

const bad = (config: unknown, path: string, value: unknown, reason?: RegExp, swarm?: boolean): SpecError =>
    refused(() => daemonJson(config as DaemonConfig, "daemon", { swarm }), path, value, reason);

const TLS = { cert: "/etc/docker/tls/server.pem", key: "/etc/docker/tls/server-key.pem", ca: "/etc/docker/tls/ca.pem" };

describe("daemon/config", () => {
    it("maps every setting to dockerd's key, keys sorted at every level", () => {
        const { json, findings } = daemonJson({
            liveRestore: true,
            icc: false,
            usernsRemap: "default",
            noNewPrivileges: true,
            logDriver: "json-file",
            logOpts: { "max-size": "10m", "max-file": 3, compress: true },
            userlandProxy: false,
            storageDriver: "overlay2",
            dataRoot: "/srv/docker",
            bip: "172.26.0.1/16",
            defaultAddressPools: [{ base: "10.10.0.0/16", size: 24 }],
            registryMirrors: ["https://mirror.example.com"],
            insecureRegistries: ["registry.lan:5000", "10.0.0.0/8"],
            tls: TLS,
            hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
            metricsAddr: "127.0.0.1:9323",
            labels: { zone: "b", role: "build" },
            defaultUlimits: { nproc: "1024:2048", nofile: { soft: 1024, hard: 4096 } },
            maxConcurrentDownloads: 6,
            shutdownTimeout: 30,
            experimental: false,
        });
        assert.deepStrictEqual(json, {
            bip: "172.26.0.1/16",
            "data-root": "/srv/docker",
            "default-address-pools": [{ base: "10.10.0.0/16", size: 24 }],
            "default-ulimits": { nofile: { Hard: 4096, Name: "nofile", Soft: 1024 }, nproc: { Hard: 2048, Name: "nproc", Soft: 1024 } },
            experimental: false,
            hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2376"],
            icc: false,
            "insecure-registries": ["registry.lan:5000", "10.0.0.0/8"],
            labels: ["role=build", "zone=b"],
            "live-restore": true,
            "log-driver": "json-file",
            "log-opts": { compress: "true", "max-file": "3", "max-size": "10m" },
            "max-concurrent-downloads": 6,
            "metrics-addr": "127.0.0.1:9323",
            "no-new-privileges": true,
            "registry-mirrors": ["https://mirror.example.com"],
            "shutdown-timeout": 30,
            "storage-driver": "overlay2",
            tls: true,
            tlscacert: "/etc/docker/tls/ca.pem",
            tlscert: "/etc/docker/tls/server.pem",
            tlskey: "/etc/docker/tls/server-key.pem",
            tlsverify: true,
            "userland-proxy": false,
            "userns-remap": "default",
        });
        assert.deepStrictEqual(Object.keys(json), Object.keys(json).slice().sort());
        assert.deepStrictEqual(findings.map((f) => f.path), ["daemon.icc", "daemon.hosts"]);
    });

    it("renders stable text: 2-space JSON, sorted keys, a final newline, the same whatever the order of the input", () => {
        const a = daemonJson({ logOpts: { "max-size": "10m", "max-file": "3" }, liveRestore: true, labels: { b: "2", a: "1" } });
        const b = daemonJson({ labels: { a: "1", b: "2" }, liveRestore: true, logOpts: { "max-file": 3, "max-size": "10m" } });
        const expected = '{\n  "labels": [\n    "a=1",\n    "b=2"\n  ],\n  "live-restore": true,\n  "log-opts": {\n    "max-file": "3",\n    "max-size": "10m"\n  }\n}\n';
        assert.strictEqual(a.text, expected);
        assert.strictEqual(b.text, expected);
        assert.strictEqual(daemonJson({}).text, "{}\n");
        assert.deepStrictEqual(daemonJson({}).findings, []);
    });

    it("leaves out what is not set and keeps false booleans", () => {
        assert.deepStrictEqual(daemonJson({ icc: true, userlandProxy: true, experimental: true, noNewPrivileges: false }).json, {
            experimental: true, icc: true, "no-new-privileges": false, "userland-proxy": true,
        });
    });

    it("refuses unknown settings and non-boolean flags", () => {
        bad({ live_restore: true }, "daemon.live_restore", true, /unknown daemon setting/);
        bad({ liveRestore: "yes" }, "daemon.liveRestore", "yes");
        bad({ icc: 0 }, "daemon.icc", 0);
        bad({ experimental: null }, "daemon.experimental", null);
        bad(null, "daemon", null);
        refused(() => daemonJson({ icc: 1 } as unknown as DaemonConfig, "hosts.a.daemon"), "hosts.a.daemon.icc", 1);
    });

    it("warns that with live-restore a change of icc or bip waits for a restart with no container running", () => {
        const f = daemonJson({ liveRestore: true, bip: "172.26.0.1/16" }).findings;
        assert.deepStrictEqual(f.map((x) => x.path), ["daemon.bip"]);
        assert.match(f[0].message, /keeps the default bridge as it was while containers run/);
        assert.deepStrictEqual(daemonJson({ liveRestore: true, icc: false, bip: "172.26.0.1/16" }).findings.map((x) => x.path), ["daemon.icc"]);
        assert.deepStrictEqual(daemonJson({ liveRestore: false, icc: false }).findings, []);
    });

    it("warns that live-restore does not cover swarm services on a swarm node only", () => {
        assert.deepStrictEqual(daemonJson({ liveRestore: true }, "daemon", { swarm: true }).findings, [
            { level: "warning", path: "daemon.liveRestore", message: "live-restore keeps standalone containers running across a dockerd restart; swarm services' tasks are still stopped and rescheduled" },
        ]);
        assert.deepStrictEqual(daemonJson({ liveRestore: true }).findings, []);
        assert.deepStrictEqual(daemonJson({ liveRestore: false }, "daemon", { swarm: true }).findings, []);
    });

    it("accepts userns-remap default, user and user:group, and refuses other forms", () => {
        for (const v of ["default", "dockremap", "dockremap:dockremap", "1000:1000", "builder"]) assert.strictEqual(daemonJson({ usernsRemap: v }).json["userns-remap"], v);
        bad({ usernsRemap: "" }, "daemon.usernsRemap", "");
        bad({ usernsRemap: "a:b:c" }, "daemon.usernsRemap", "a:b:c");
        bad({ usernsRemap: "user name" }, "daemon.usernsRemap", "user name");
        bad({ usernsRemap: "root" }, "daemon.usernsRemap", "root", /root/);
        bad({ usernsRemap: true }, "daemon.usernsRemap", true);
    });

    describe("log driver and options", () => {
        it("accepts the built-in drivers and plugins name:tag", () => {
            for (const d of ["json-file", "local", "journald", "syslog", "gelf", "fluentd", "awslogs", "splunk", "etwlogs", "gcplogs", "logentries", "none"]) {
                assert.strictEqual(daemonJson({ logDriver: d }).json["log-driver"], d);
            }
            assert.strictEqual(daemonJson({ logDriver: "grafana/loki-docker-driver:3.3.2" }).json["log-driver"], "grafana/loki-docker-driver:3.3.2");
            assert.deepStrictEqual(daemonJson({ logDriver: "loki:latest", logOpts: { "loki-url": "http://loki:3100/loki/api/v1/push" } }).json["log-opts"], { "loki-url": "http://loki:3100/loki/api/v1/push" });
        });
        it("refuses a driver dockerd does not have", () => {
            bad({ logDriver: "loki" }, "daemon.logDriver", "loki", /not a log driver/);
            bad({ logDriver: "JSON-FILE" }, "daemon.logDriver", "JSON-FILE");
            bad({ logDriver: 3 }, "daemon.logDriver", 3);
        });
        it("writes every option value as a string", () => {
            assert.deepStrictEqual(daemonJson({ logDriver: "local", logOpts: { "max-file": 5, compress: false, "max-size": 1048576 } }).json["log-opts"], { compress: "false", "max-file": "5", "max-size": "1048576" });
            assert.deepStrictEqual(daemonJson({ logDriver: "journald", logOpts: { tag: "{{.Name}}", labels: "app" } }).json["log-opts"], { labels: "app", tag: "{{.Name}}" });
            assert.deepStrictEqual(daemonJson({ logDriver: "syslog", logOpts: { "syslog-address": "udp://10.0.0.1:514", mode: "non-blocking", "max-buffer-size": "4m" } }).json["log-opts"], { "max-buffer-size": "4m", mode: "non-blocking", "syslog-address": "udp://10.0.0.1:514" });
            assert.deepStrictEqual(daemonJson({ logDriver: "awslogs", logOpts: { "awslogs-region": "eu-west-1" } }).json["log-opts"], { "awslogs-region": "eu-west-1" });
        });
        it("refuses options the driver does not accept, json-file being the default", () => {
            bad({ logOpts: { "max-size": "10m", "syslog-address": "udp://x:514" } }, "daemon.logOpts.syslog-address", "syslog-address", /json-file does not accept/);
            bad({ logDriver: "local", logOpts: { "gelf-address": "udp://x:12201" } }, "daemon.logOpts.gelf-address", "gelf-address", /local does not accept/);
            bad({ logDriver: "journald", logOpts: { "max-size": "10m" } }, "daemon.logOpts.max-size", "max-size");
            bad({ logDriver: "gelf", logOpts: { "fluentd-address": "x" } }, "daemon.logOpts.fluentd-address", "fluentd-address");
            bad({ logDriver: "fluentd", logOpts: { "max-file": "3" } }, "daemon.logOpts.max-file", "max-file");
            bad({ logDriver: "syslog", logOpts: { compress: "true" } }, "daemon.logOpts.compress", "compress");
        });
        it("checks the values dockerd checks", () => {
            bad({ logOpts: { "max-size": "ten" } }, "daemon.logOpts.max-size", "ten");
            bad({ logOpts: { "max-file": 0 } }, "daemon.logOpts.max-file", 0);
            bad({ logOpts: { "max-file": "2.5" } }, "daemon.logOpts.max-file", "2.5");
            bad({ logOpts: { compress: "yes" } }, "daemon.logOpts.compress", "yes");
            bad({ logOpts: { mode: "async" } }, "daemon.logOpts.mode", "async");
            bad({ logOpts: { "max-buffer-size": "4m" } }, "daemon.logOpts.max-buffer-size", "4m", /non-blocking/);
            bad({ logOpts: { "max-size": null } }, "daemon.logOpts.max-size", null);
            bad({ logOpts: ["max-size=10m"] }, "daemon.logOpts", ["max-size=10m"]);
        });
        it("checks nothing for the none driver, as dockerd", () => {
            assert.deepStrictEqual(daemonJson({ logDriver: "none", logOpts: { anything: "x" } }).json["log-opts"], { anything: "x" });
        });
    });

    it("checks the storage driver", () => {
        assert.strictEqual(daemonJson({ storageDriver: "btrfs" }).findings.length, 0);
        // Older engines (20.10 here) still ship them: a warning, and the setting is written.
        for (const d of ["aufs", "devicemapper", "overlay"]) {
            const r = daemonJson({ storageDriver: d });
            assert.strictEqual(r.json["storage-driver"], d);
            assert.deepStrictEqual(r.findings.map((f) => f.path), ["daemon.storageDriver"]);
            assert.match(r.findings[0].message, /removed from dockerd 24\/25/);
        }
        bad({ storageDriver: "Overlay 2" }, "daemon.storageDriver", "Overlay 2");
        assert.deepStrictEqual(daemonJson({ storageDriver: "mysnap" }).findings.map((f) => f.path), ["daemon.storageDriver"]);
    });

    it("wants an absolute data-root", () => {
        bad({ dataRoot: "docker" }, "daemon.dataRoot", "docker", /absolute/);
        bad({ dataRoot: "./var/lib/docker" }, "daemon.dataRoot", "./var/lib/docker");
        bad({ dataRoot: "" }, "daemon.dataRoot", "");
    });

    it("checks bip as an IPv4 host address with a prefix", () => {
        for (const v of ["172.17.0.1", "172.17.0.1/33", "fd00::1/64", "300.1.1.1/16", "172.17.0.1/", "a.b.c.d/8", "172.17.0.1/31"]) bad({ bip: v }, "daemon.bip", v);
        bad({ bip: 17 }, "daemon.bip", 17);
        assert.deepStrictEqual(daemonJson({ bip: "192.168.5.1/24" }).findings, []);
        assert.deepStrictEqual(daemonJson({ bip: "192.168.5.0/24" }).findings.map((f) => f.path), ["daemon.bip"]);
    });

    it("checks default address pools", () => {
        assert.deepStrictEqual(daemonJson({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 16 }, { base: "10.20.0.0/16", size: 32 }, { base: "fd00::/48", size: 64 }] }).json["default-address-pools"], [
            { base: "10.10.0.0/16", size: 16 }, { base: "10.20.0.0/16", size: 32 }, { base: "fd00::/48", size: 64 },
        ]);
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 24 }, { base: "10.20.0.0", size: 24 }] }, "daemon.defaultAddressPools[1].base", "10.20.0.0");
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 8 }] }, "daemon.defaultAddressPools[0].size", 8, /from 16/);
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 33 }] }, "daemon.defaultAddressPools[0].size", 33, /to 32/);
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 24.5 }] }, "daemon.defaultAddressPools[0].size", 24.5);
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: "24" }] }, "daemon.defaultAddressPools[0].size", "24");
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16" }] }, "daemon.defaultAddressPools[0].size", undefined);
        bad({ defaultAddressPools: [{ base: "10.10.0.0/16", size: 24, gateway: "x" }] }, "daemon.defaultAddressPools[0].gateway", "x");
        bad({ defaultAddressPools: { base: "10.10.0.0/16", size: 24 } }, "daemon.defaultAddressPools", { base: "10.10.0.0/16", size: 24 });
        assert.deepStrictEqual(daemonJson({ defaultAddressPools: [{ base: "10.10.1.0/16", size: 24 }] }).findings.map((f) => f.path), ["daemon.defaultAddressPools[0].base"]);
    });

    it("wants registry mirrors as http(s) URLs", () => {
        assert.deepStrictEqual(daemonJson({ registryMirrors: ["http://10.0.0.5:5000", "https://mirror.gcr.io/"] }).json["registry-mirrors"], ["http://10.0.0.5:5000", "https://mirror.gcr.io/"]);
        bad({ registryMirrors: ["mirror.gcr.io"] }, "daemon.registryMirrors[0]", "mirror.gcr.io", /http/);
        bad({ registryMirrors: ["https://ok.example", "ftp://mirror"] }, "daemon.registryMirrors[1]", "ftp://mirror");
        bad({ registryMirrors: ["https://u:p@mirror.example"] }, "daemon.registryMirrors[0]", "https://u:p@mirror.example", /credentials/);
        bad({ registryMirrors: ["https://mirror.example/?x=1"] }, "daemon.registryMirrors[0]", "https://mirror.example/?x=1");
        bad({ registryMirrors: "https://mirror.example" }, "daemon.registryMirrors", "https://mirror.example");
    });

    it("wants insecure registries as host[:port] or CIDR", () => {
        assert.deepStrictEqual(daemonJson({ insecureRegistries: ["registry.lan", "registry.lan:5000", "10.0.0.0/8", "[fd00::5]:5000"] }).findings, []);
        const r = daemonJson({ insecureRegistries: ["http://registry.lan:5000"] });
        assert.deepStrictEqual(r.json["insecure-registries"], ["http://registry.lan:5000"]);
        assert.deepStrictEqual(r.findings.map((f) => f.path), ["daemon.insecureRegistries[0]"]);
        bad({ insecureRegistries: ["ftp://registry.lan"] }, "daemon.insecureRegistries[0]", "ftp://registry.lan", /scheme/);
        bad({ insecureRegistries: ["registry.lan:99999"] }, "daemon.insecureRegistries[0]", "registry.lan:99999");
        bad({ insecureRegistries: ["registry lan"] }, "daemon.insecureRegistries[0]", "registry lan");
    });

    describe("hosts and TLS", () => {
        it("renders TLS with client verification by default when a CA is given", () => {
            const { json, findings } = daemonJson({ tls: TLS, hosts: ["tcp://0.0.0.0:2376"] });
            assert.deepStrictEqual(json, { hosts: ["tcp://0.0.0.0:2376"], tls: true, tlscacert: TLS.ca, tlscert: TLS.cert, tlskey: TLS.key, tlsverify: true });
            assert.deepStrictEqual(findings.map((f) => f.path), ["daemon.hosts"]);
            assert.match(findings[0].message, /-H fd:\/\//);
        });
        it("renders TLS without verification, and warns", () => {
            const { json, findings } = daemonJson({ tls: { cert: TLS.cert, key: TLS.key }, hosts: ["tcp://10.0.0.2:2376"] });
            assert.deepStrictEqual(json, { hosts: ["tcp://10.0.0.2:2376"], tls: true, tlscert: TLS.cert, tlskey: TLS.key, tlsverify: false });
            assert.deepStrictEqual(findings.map((f) => f.path), ["daemon.hosts", "daemon.tls.verify"]);
        });
        it("refuses a TCP socket without TLS unless plain TCP is explicit", () => {
            bad({ hosts: ["unix:///var/run/docker.sock", "tcp://0.0.0.0:2375"] }, "daemon.hosts[1]", "tcp://0.0.0.0:2375", /refuses a TCP socket without TLS/);
            bad({ hosts: ["tcp://0.0.0.0:2375"], tls: { verify: true, ca: TLS.ca } }, "daemon.tls.cert", undefined);
            const { json, findings } = daemonJson({ hosts: ["tcp://127.0.0.1:2375"], tls: { verify: false } });
            assert.deepStrictEqual(json, { hosts: ["tcp://127.0.0.1:2375"], tls: false });
            assert.deepStrictEqual(findings.map((f) => f.path), ["daemon.hosts", "daemon.tls"]);
            assert.match(findings[1].message, /plain TCP/);
        });
        it("checks the TLS material", () => {
            bad({ tls: { cert: TLS.cert } }, "daemon.tls.key", undefined, /both cert and key/);
            bad({ tls: { key: TLS.key } }, "daemon.tls.cert", undefined);
            bad({ tls: { cert: TLS.cert, key: TLS.key, verify: true } }, "daemon.tls.ca", undefined, /CA/);
            bad({ tls: { cert: "server.pem", key: TLS.key } }, "daemon.tls.cert", "server.pem", /absolute/);
            bad({ tls: { ...TLS, verify: "yes" } }, "daemon.tls.verify", "yes");
            bad({ tls: { ...TLS, cacert: "/x" } }, "daemon.tls.cacert", "/x");
            bad({ tls: {} }, "daemon.tls.cert", undefined);
            assert.deepStrictEqual(daemonJson({ tls: TLS }).findings.map((f) => f.path), ["daemon.tls"]);
        });
        it("checks each host's form", () => {
            assert.deepStrictEqual(daemonJson({ hosts: ["unix:///run/docker.sock", "fd://", "tcp://[::1]:2376", "tcp://:2376"], tls: TLS }).json.hosts, ["unix:///run/docker.sock", "fd://", "tcp://[::1]:2376", "tcp://:2376"]);
            bad({ hosts: ["/var/run/docker.sock"] }, "daemon.hosts[0]", "/var/run/docker.sock");
            bad({ hosts: ["ssh://me@host"] }, "daemon.hosts[0]", "ssh://me@host");
            bad({ hosts: ["unix://docker.sock"] }, "daemon.hosts[0]", "unix://docker.sock", /absolute/);
            bad({ hosts: ["tcp://0.0.0.0:70000"], tls: TLS }, "daemon.hosts[0]", "tcp://0.0.0.0:70000");
        });
    });

    it("checks metrics-addr and warns when it is not on loopback", () => {
        for (const v of ["127.0.0.1:9323", "localhost:9323", "[::1]:9323"]) assert.deepStrictEqual(daemonJson({ metricsAddr: v }).findings, [], v);
        for (const v of ["0.0.0.0:9323", ":9323", "10.0.0.4:9323"]) {
            const f = daemonJson({ metricsAddr: v }).findings;
            assert.deepStrictEqual(f.map((x) => [x.level, x.path]), [["warning", "daemon.metricsAddr"]], v);
        }
        bad({ metricsAddr: "127.0.0.1" }, "daemon.metricsAddr", "127.0.0.1");
        bad({ metricsAddr: "127.0.0.1:0" }, "daemon.metricsAddr", "127.0.0.1:0");
        bad({ metricsAddr: "http://127.0.0.1:9323" }, "daemon.metricsAddr", "http://127.0.0.1:9323");
    });

    it("checks labels", () => {
        bad({ labels: { "a=b": "c" } }, 'daemon.labels."a=b"', "a=b");
        bad({ labels: { zone: 1 } }, "daemon.labels.zone", 1);
        bad({ labels: ["zone=a"] }, "daemon.labels", ["zone=a"]);
        assert.deepStrictEqual(daemonJson({ labels: { "com.example.tier": "a=b" } }).json.labels, ["com.example.tier=a=b"]);
    });

    it("checks default ulimits", () => {
        assert.deepStrictEqual(daemonJson({ defaultUlimits: { nofile: 65536, core: "-1", memlock: { soft: -1, hard: -1 }, nproc: "512" } }).json["default-ulimits"], {
            core: { Hard: -1, Name: "core", Soft: -1 },
            memlock: { Hard: -1, Name: "memlock", Soft: -1 },
            nofile: { Hard: 65536, Name: "nofile", Soft: 65536 },
            nproc: { Hard: 512, Name: "nproc", Soft: 512 },
        });
        assert.deepStrictEqual(daemonJson({ defaultUlimits: { nofile: "1024:-1" } }).json["default-ulimits"], { nofile: { Hard: -1, Name: "nofile", Soft: 1024 } });
        bad({ defaultUlimits: { nofile: "2048:1024" } }, "daemon.defaultUlimits.nofile", "2048:1024", /soft limit must not exceed/);
        bad({ defaultUlimits: { nofile: { soft: 4096, hard: 1024 } } }, "daemon.defaultUlimits.nofile", { soft: 4096, hard: 1024 });
        bad({ defaultUlimits: { nofile: "-1:1024" } }, "daemon.defaultUlimits.nofile", "-1:1024");
        bad({ defaultUlimits: { nofile: { soft: 1024 } } }, "daemon.defaultUlimits.nofile.hard", undefined);
        bad({ defaultUlimits: { nofile: { soft: 1.5, hard: 2 } } }, "daemon.defaultUlimits.nofile.soft", 1.5);
        bad({ defaultUlimits: { nofile: "lots" } }, "daemon.defaultUlimits.nofile", "lots");
        bad({ defaultUlimits: { files: 1024 } }, "daemon.defaultUlimits.files", "files", /not a ulimit/);
    });

    it("checks the counts", () => {
        bad({ maxConcurrentDownloads: 0 }, "daemon.maxConcurrentDownloads", 0);
        bad({ maxConcurrentDownloads: 2.5 }, "daemon.maxConcurrentDownloads", 2.5);
        bad({ maxConcurrentDownloads: "3" }, "daemon.maxConcurrentDownloads", "3");
        assert.strictEqual(daemonJson({ shutdownTimeout: 0 }).json["shutdown-timeout"], 0);
        bad({ shutdownTimeout: -1 }, "daemon.shutdownTimeout", -1, /non-negative integer/);
        bad({ shutdownTimeout: 1.5 }, "daemon.shutdownTimeout", 1.5);
        bad({ shutdownTimeout: "15s" }, "daemon.shutdownTimeout", "15s");
    });

    it("is exported from the package", () => {
        // eslint-disable-next-line @typescript-eslint/no-var-requires
        assert.strictEqual(require("../../components").daemonJson, daemonJson);
    });
});
