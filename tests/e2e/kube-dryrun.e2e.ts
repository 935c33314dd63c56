/**
 * Every corpus application that renders on Kubernetes, offered to a real API server (the loopback
 * cluster of scripts/kube-cluster.sh) as the Pulumi Kubernetes provider offers it: a server-side
 * apply (`PATCH application/apply-patch+yaml`), here with `dryRun=All` and strict field
 * validation, so nothing is stored. The API server validates, defaults and admits each object;
 * server-side apply also merges it with the API's list keys, which refuses duplicate entries (two
 * environment variables or ports of one name) that a plain create lets through with a warning.
 *
 * The objects are the target's plan (as `dockyard render --format yaml` writes them), with
 * stand-ins for the project's files, secrets and configs the corpus lacks; each app's namespace is created for real (namespaced objects are refused in a namespace
 * that does not exist) and removed afterwards. What the server refuses must be exactly
 * KNOWN_REJECTIONS: a new refusal fails, and so does a fixed one still listed.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { loadCompose } from "../../components/compose";
import { manifestsOf } from "../../components/render/manifests";
import { KubernetesTarget, KubernetesTargetArgs } from "../../components/targets/kubernetes";
import { corpusApps, withStandIns } from "../corpus/apps";
import { describeWithCorpus } from "../harness";
import { Cluster, collectionPath, deleteAndWait, request, testCluster } from "./kube";

/** Variables a corpus file needs to load at all (plex has no default for its media path). */
const CORPUS_ENV: Record<string, string> = { PLEX_MEDIA_PATH: "/srv/media" };

/** Objects the API server refuses, as "<app> <Kind> <name>: <the server's message>". */
const KNOWN_REJECTIONS: string[] = [];

/**
 * Apps the target refuses even with allowHostPath (the unit tests say why): minecraft binds
 * `~/minecraft_data`, the deployer's home, which is never carried into a cluster.
 */
const DOES_NOT_RENDER: string[] = ["minecraft"];

interface KubeObject {
    apiVersion: string;
    kind: string;
    metadata: { name: string; namespace?: string };
}

/**
 * Every object the target would create for the app, in creation order: its plan's manifests (the
 * objects `dockyard render --format yaml` prints), with stand-ins for the files of the project the
 * corpus lacks; with allowHostPath when the app needs it.
 */
async function objectsOf(file: string, copies: string[]): Promise<{ objects: KubeObject[]; args: KubernetesTargetArgs } | undefined> {
    const load = (f: string) => loadCompose(f, { env: CORPUS_ENV, onWarning: () => undefined });
    const spec = load(withStandIns(path.dirname(file), file, load(file), copies));
    for (const args of [{}, { allowHostPath: true }] as KubernetesTargetArgs[]) {
        const plan = new KubernetesTarget(args).plan(spec, { name: spec.name });
        if (plan.findings.some((f) => f.level === "error")) continue;
        return { objects: (await manifestsOf(plan)).map((m) => m.object as unknown as KubeObject), args };
    }
    return undefined;
}

/** A server-side apply of one object with dryRun=All; the refusal, or undefined when admitted. */
async function dryRunApply(c: Cluster, o: KubeObject, warnings: string[]): Promise<string | undefined> {
    const collection = await collectionPath(c, o.apiVersion, o.kind, o.metadata.namespace);
    const path = `${collection}/${encodeURIComponent(o.metadata.name)}?dryRun=All&fieldManager=dockyard-e2e&fieldValidation=Strict&force=true`;
    const r = await request(c, "PATCH", path, o, "application/apply-patch+yaml");
    warnings.push(...r.warnings.map((w) => `${o.kind} ${o.metadata.name}: ${w}`));
    if (r.status === 200 || r.status === 201) return undefined;
    return `${o.kind} ${o.metadata.name}: ${r.body?.message ?? JSON.stringify(r.body)}`;
}

describeWithCorpus("every corpus app on a real API server (server-side apply, dryRun=All)", () => {
    let cluster: Cluster;
    const namespaces = new Set<string>();
    const rejections: string[] = [];
    const notRendered: string[] = [];
    const warnings: string[] = [];
    let applied = 0;
    const copies: string[] = [];

    before(function () {
        cluster = testCluster();
    });

    after(async function () {
        for (const dir of copies) fs.rmSync(dir, { recursive: true, force: true });
        if (cluster) await deleteAndWait(cluster, [...namespaces].map((n) => `/api/v1/namespaces/${n}`));
    });

    it("refuses a broken object and stores nothing (so a pass means something)", async function () {
        const ns = { apiVersion: "v1", kind: "Namespace", metadata: { name: "dockyard-dryrun-check" } };
        assert.strictEqual(await dryRunApply(cluster, ns, []), undefined);
        const container = { name: "c", image: "busybox", env: [{ name: "A", value: "1" }, { name: "A", value: "2" }] };
        const broken = {
            apiVersion: "apps/v1",
            kind: "Deployment",
            metadata: { name: "broken", namespace: "default" },
            spec: { selector: { matchLabels: { a: "b" } }, template: { metadata: { labels: { a: "b" } }, spec: { containers: [container] } } },
        };
        // Server-side apply merges lists by key: two variables named A cannot be merged.
        assert.match((await dryRunApply(cluster, broken, [])) ?? "admitted", /duplicate entries for key \[name="A"\]/);
        assert.strictEqual((await request(cluster, "GET", "/api/v1/namespaces/dockyard-dryrun-check")).status, 404, "the dry run stored the namespace");
    });

    for (const app of corpusApps()) {
        it(`${app.app}: the API server admits every object`, async function () {
            const rendered = await objectsOf(app.file, copies);
            if (!rendered) {
                notRendered.push(app.app);
                return;
            }
            const ns = rendered.objects.find((o) => o.kind === "Namespace");
            const mine: string[] = [];
            const appWarnings: string[] = [];
            if (ns) {
                // The namespace itself is checked like the rest, then created for real for the others.
                const refused = await dryRunApply(cluster, ns, appWarnings);
                if (refused) mine.push(refused);
                await deleteAndWait(cluster, [`/api/v1/namespaces/${ns.metadata.name}`]);
                const r = await request(cluster, "POST", "/api/v1/namespaces", ns);
                assert.strictEqual(r.status, 201, `creating namespace ${ns.metadata.name}: ${JSON.stringify(r.body)}`);
                namespaces.add(ns.metadata.name);
            }
            for (const o of rendered.objects) {
                if (o === ns) continue;
                const refused = await dryRunApply(cluster, o, appWarnings);
                if (refused) mine.push(refused);
                applied++;
            }
            rejections.push(...mine.map((m) => `${app.app} ${m}`));
            warnings.push(...appWarnings.map((w) => `${app.app} ${w}`));
            const known = KNOWN_REJECTIONS.filter((k) => k.startsWith(`${app.app} `));
            assert.deepStrictEqual(mine.map((m) => `${app.app} ${m}`), known, `${app.app}${rendered.args.allowHostPath ? " (with allowHostPath)" : ""}: refused objects`);
        });
    }

    it("the apps that do not render are the known ones, most apps were applied, and nothing was stored", async function () {
        if (warnings.length) console.log(`API server warnings:\n  ${warnings.join("\n  ")}`);
        assert.deepStrictEqual(notRendered, DOES_NOT_RENDER);
        assert.ok(applied > 150, `only ${applied} objects were applied`);
        // Nothing was stored: no workload exists in the apps' namespaces.
        const stored = (await request(cluster, "GET", "/apis/apps/v1/deployments")).body.items.filter((d: any) => namespaces.has(d.metadata.namespace));
        assert.deepStrictEqual(stored.map((d: any) => d.metadata.name), []);
    });
});
