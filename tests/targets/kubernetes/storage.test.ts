/** Storage on Kubernetes: files of the project as ConfigMaps, host paths, anonymous volumes, per-volume claim settings. */
import * as assert from "assert";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { AppInput, ServiceInput, VolumeInput } from "../../../components/spec/input";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";
import { convertApp, convertContext, KubernetesTarget, KubernetesTargetArgs, toPersistentVolumeClaim, toVolumes } from "../../../components/targets/kubernetes";
import { kubernetesFindings } from "../../../components/targets/kubernetes/support";
import { assertSpecError } from "../../harness";

describe("kubernetes storage: files of the project", () => {
    let dir: string;
    let outside: string;
    const app = (services: Record<string, ServiceInput>, rest: Partial<AppInput> = {}, projectDir = dir): AppSpec =>
        defineApp({ name: "demo", services, ...rest }, { projectDir, homeDir: outside });
    const ctxOf = (spec: AppSpec, args: KubernetesTargetArgs = {}) => convertContext(spec, args);
    const warnings = (spec: AppSpec) => kubernetesFindings(spec).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);

    before(() => {
        dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-project-"));
        outside = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-outside-"));
        fs.writeFileSync(path.join(dir, "nginx.conf"), "server { listen 80; }\n");
        fs.mkdirSync(path.join(dir, "conf.d"));
        fs.writeFileSync(path.join(dir, "conf.d", "a.conf"), "a\n");
        fs.writeFileSync(path.join(dir, "conf.d", "run.sh"), "#!/bin/sh\n", { mode: 0o755 });
        fs.mkdirSync(path.join(dir, "nested", "inner"), { recursive: true });
        fs.writeFileSync(path.join(dir, "nested", "top.conf"), "x\n");
        fs.writeFileSync(path.join(dir, "logo.png"), Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0xff, 0xfe]));
        fs.writeFileSync(path.join(dir, "big.txt"), "x".repeat(1536 * 1024));
        fs.mkdirSync(path.join(dir, "many"));
        for (const n of [1, 2]) fs.writeFileSync(path.join(dir, "many", `part${n}.txt`), "y".repeat(600 * 1024));
        fs.writeFileSync(path.join(outside, "secret.txt"), "not yours\n");
        fs.symlinkSync(path.join(outside, "secret.txt"), path.join(dir, "escape.conf"));
    });
    after(() => {
        for (const d of [dir, outside]) fs.rmSync(d, { recursive: true, force: true });
    });

    it("the model tells files of the project (relative, ~, inside the project) from host paths", () => {
        const s = app({ web: { image: "a", volumes: ["./nginx.conf:/a", `${dir}/conf.d:/b`, "~/x:/c", "/srv/data:/d", "../up:/e"] } });
        assert.deepStrictEqual(s.services.web.mounts.map((m) => (m.type === "bind" ? m.projectDir : "-")), [dir, dir, dir, undefined, dir]);
        // A program run from / (monitoring's apps): every absolute path is a host path.
        const root = app({ web: { image: "a", volumes: ["/proc:/host/proc"] } }, {}, "/");
        assert.strictEqual(root.services.web.mounts[0].type === "bind" && root.services.web.mounts[0].projectDir, undefined);
    });

    it("a file → a ConfigMap mounted by subPath at the Compose target, read-only, named after the service and mount", () => {
        const s = app({ web: { image: "nginx", volumes: ["./nginx.conf:/etc/nginx/conf.d/default.conf:ro"] } });
        const p = convertApp(s, {});
        assert.deepStrictEqual(p.bindConfigMaps.map((c) => [c.key, (c.object.metadata as { name: string }).name, c.object.data]), [
            ["web/0", "web-bind-0", { "default.conf": "server { listen 80; }\n" }],
        ]);
        assert.deepStrictEqual(toVolumes(p.ctx, s.services.web), {
            volumes: [{ name: "bind-0", configMap: { name: "web-bind-0" } }],
            volumeMounts: [{ name: "bind-0", mountPath: "/etc/nginx/conf.d/default.conf", readOnly: true, subPath: "default.conf" }],
        });
        assert.deepStrictEqual(warnings(s), []);
    });

    it("a flat folder → a ConfigMap of its files mounted at the folder, executables kept executable", () => {
        const s = app({ web: { image: "nginx", volumes: ["./conf.d:/etc/nginx/conf.d:ro"] } });
        const p = convertApp(s, {});
        assert.deepStrictEqual(p.bindConfigMaps[0].object.data, { "a.conf": "a\n", "run.sh": "#!/bin/sh\n" });
        assert.deepStrictEqual(toVolumes(p.ctx, s.services.web), {
            volumes: [{ name: "bind-0", configMap: { name: "web-bind-0", items: [{ key: "a.conf", path: "a.conf" }, { key: "run.sh", path: "run.sh", mode: 0o755 }] } }],
            volumeMounts: [{ name: "bind-0", mountPath: "/etc/nginx/conf.d", readOnly: true }],
        });
    });

    it("a read-write bind of a project file is a warning: a ConfigMap is read-only", () => {
        const s = app({ web: { image: "nginx", volumes: ["./nginx.conf:/etc/nginx/nginx.conf"] } });
        assert.deepStrictEqual(warnings(s), [
            "services.web.mounts[0].readOnly: a file of the project is mounted from a ConfigMap, which is read-only: writes to /etc/nginx/nginx.conf fail (mark the bind :ro to say so)",
        ]);
    });

    it("refusals name the Compose path, the file and the size", () => {
        const refuse = (volume: string, ...parts: string[]) => {
            const s = app({ web: { image: "a", volumes: ["./nginx.conf:/ok:ro", volume] } });
            assertSpecError(() => ctxOf(s), "services.web.volumes[1]", ...parts);
        };
        refuse("./missing.conf:/etc/x", `${dir}/missing.conf`, "does not exist", "named volume");
        refuse("./nested:/etc/x", `${dir}/nested`, "a folder with a folder in it (inner)", "flat folder");
        refuse("./logo.png:/srv/logo.png", `${dir}/logo.png`, "binary (not UTF-8 text)");
        refuse("./big.txt:/srv/big.txt", `${dir}/big.txt`, "is 1.5 MiB, more than a ConfigMap holds (1 MiB)");
        refuse("./many:/srv/many", `${dir}/many`, "holds files of 1.2 MiB, more than a ConfigMap holds (1 MiB)");
        refuse("./escape.conf:/etc/x", `resolves to ${fs.realpathSync(path.join(outside, "secret.txt"))}`, "outside the project directory");
        refuse("~/secret.txt:/etc/x", `${outside}/secret.txt`, "outside the project directory");
    });

    it("never a hostPath of the deploying machine, even with allowHostPath; absolute paths outside the project still are", () => {
        const s = app({ web: { image: "a", volumes: ["./data:/var/lib/data", "/srv/data:/srv"] } });
        assertSpecError(() => ctxOf(s, { allowHostPath: true }), "services.web.volumes[0]", `${dir}/data`, "does not exist");
        const host = app({ web: { image: "a", volumes: ["./nginx.conf:/etc/x:ro", "/srv/data:/srv"] } });
        const v = toVolumes(ctxOf(host, { allowHostPath: true }), host.services.web).volumes;
        assert.deepStrictEqual(v.map((x) => Object.keys(x).filter((k) => k !== "name")[0]), ["configMap", "hostPath"]);
    });

    it("a bind ConfigMap's name may not collide with a config's", () => {
        const s = app({ web: { image: "a", volumes: ["./nginx.conf:/etc/x:ro"], configs: ["web-bind-0"] } }, { configs: { "web-bind-0": { content: "x" } } });
        assertSpecError(() => ctxOf(s), "services.web.volumes[0]", "web-bind-0");
    });

    it("plan: the ConfigMap is created before the workload; a missing file means no resources at all", () => {
        const s = app({ web: { image: "nginx", volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro"] } });
        const plan = new KubernetesTarget().plan(s, { name: "demo" });
        assert.deepStrictEqual(plan.findings.filter((f) => f.level === "error"), []);
        const cm = plan.resources.find((r) => r.key === "bind/web/0");
        assert.ok(cm && cm.type === "kubernetes:core/v1:ConfigMap");
        const workload = plan.resources.find((r) => r.key === "workload/web")!;
        assert.ok(workload.dependsOn.includes("bind/web/0"));
        assert.ok(plan.resources.indexOf(cm) < plan.resources.indexOf(workload));

        const broken = app({ web: { image: "nginx", volumes: ["./nginx.conf:/etc/nginx/nginx.conf:ro", "./nope.conf:/etc/nope.conf:ro"] } });
        const failed = new KubernetesTarget().plan(broken, { name: "demo" });
        assert.deepStrictEqual(failed.findings.filter((f) => f.level === "error").map((f) => [f.path, f.value]), [["services.web.volumes[1]", `${dir}/nope.conf`]]);
        assert.deepStrictEqual(failed.resources, []);
    });
});

describe("kubernetes storage: anonymous volumes, tmpfs, per-volume claim settings", () => {
    const app = (services: Record<string, ServiceInput>, volumes: Record<string, VolumeInput> = {}) => defineApp({ name: "demo", services, volumes }, { projectDir: "/project" });
    const warnings = (spec: AppSpec) => kubernetesFindings(spec).filter((f) => f.level === "warning").map((f) => `${f.path}: ${f.message}`);

    it("an anonymous volume is an emptyDir with a warning that its data is lost with the pod; tmpfs is a sized memory emptyDir", () => {
        const s = app({ db: { image: "postgres", volumes: ["/var/lib/postgresql/data"], tmpfs: ["/run:size=64m"] } });
        assert.deepStrictEqual(toVolumes(convertContext(s), s.services.db).volumes, [
            { name: "anonymous-0", emptyDir: {} },
            { name: "tmpfs-1", emptyDir: { medium: "Memory", sizeLimit: "67108864" } },
        ]);
        const w = warnings(s);
        assert.strictEqual(w.length, 1);
        assert.match(w[0], /^services\.db\.mounts\[0\]\.source: an anonymous volume becomes an emptyDir: what is written to \/var\/lib\/postgresql\/data is lost whenever the pod is replaced/);
        assert.match(w[0], /Name the volume to keep the data in a claim$/);
    });

    it("x-kubernetes storageClass and accessMode on a volume win over the target's class and ReadWriteOnce", () => {
        const s = app({ web: { image: "a", volumes: ["shared:/srv"], replicas: 3 } }, { shared: { "x-kubernetes": { size: "5Gi", storageClass: "nfs", accessMode: "ReadWriteMany" } }, plain: {} });
        const ctx = convertContext(s, { storageClass: "fast" });
        assert.deepStrictEqual(toPersistentVolumeClaim(ctx, s.volumes.shared).spec, { accessModes: ["ReadWriteMany"], storageClassName: "nfs", resources: { requests: { storage: "5Gi" } } });
        assert.deepStrictEqual(toPersistentVolumeClaim(ctx, s.volumes.plain).spec, { accessModes: ["ReadWriteOnce"], storageClassName: "fast", resources: { requests: { storage: "1Gi" } } });
        // "" asks for no class at all (a pre-provisioned volume).
        const none = app({ web: { image: "a", volumes: ["v:/v"] } }, { v: { "x-kubernetes": { storageClass: "" } } });
        assert.strictEqual((toPersistentVolumeClaim(convertContext(none, { storageClass: "fast" }), none.volumes.v).spec as { storageClassName: string }).storageClassName, "");
        // Replicas sharing a ReadWriteMany claim need not run on one node: no warning.
        assert.deepStrictEqual(warnings(s).filter((w) => w.includes("ReadWriteOnce")), []);
        const rwo = app({ web: { image: "a", volumes: ["shared:/srv"], replicas: 3 } }, { shared: {} });
        assert.strictEqual(warnings(rwo).filter((w) => w.includes("ReadWriteOnce")).length, 1);
    });

    it("storageClass and accessMode are checked with their path and value", () => {
        const withExt = (ext: unknown, rest: VolumeInput = {}) => app({ web: { image: "a", volumes: ["v:/v"] } }, { v: { "x-kubernetes": ext, ...rest } as VolumeInput });
        assertSpecError(() => convertContext(withExt({ storageClass: "Fast SSD" })), "volumes.v.x-kubernetes.storageClass", '"Fast SSD"', "name of a StorageClass");
        assertSpecError(() => convertContext(withExt({ storageClass: 3 })), "volumes.v.x-kubernetes.storageClass", "3");
        assertSpecError(() => convertContext(withExt({ accessMode: "RWX" })), "volumes.v.x-kubernetes.accessMode", '"RWX"', "ReadWriteOnce, ReadWriteOncePod, ReadWriteMany, ReadOnlyMany");
        assertSpecError(() => convertContext(withExt({ accessMode: "ReadWriteMany" }, { external: true })), "volumes.v.x-kubernetes.accessMode", "external volume");
        assertSpecError(() => convertContext(withExt({ storageClass: "nfs" }, { external: true })), "volumes.v.x-kubernetes.storageClass", "external volume");
        assertSpecError(() => convertContext(withExt({ class: "nfs" })), "volumes.v.x-kubernetes.class", "unknown key: use size, storageClass, accessMode");
    });
});
