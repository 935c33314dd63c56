/**
 * The test cluster's API server (scripts/kube-cluster.sh), for the real Kubernetes tests: its
 * kubeconfig, and requests to it with Node's https (the project has no Kubernetes client library,
 * and the tests need only GET, POST and DELETE of plain objects, with the same TLS client
 * certificate `kubectl` would send).
 */
import * as fs from "fs";
import * as https from "https";
import * as YAML from "yaml";

export interface Cluster {
    /** The kubeconfig file the cluster was reached with. */
    readonly kubeconfig: string;
    /** Its current context's name. */
    readonly context: string;
    readonly server: URL;
    readonly agent: https.Agent;
}

/**
 * The cluster of `$KUBECONFIG`'s current context (scripts/e2e.sh starts one and sets it); fails,
 * saying how to start one, when there is none.
 */
export function testCluster(): Cluster {
    const file = process.env.KUBECONFIG;
    if (!file || !fs.existsSync(file)) {
        throw new Error("no test cluster: KUBECONFIG is not set to a file. Start one with scripts/kube-cluster.sh start and eval \"$(scripts/kube-cluster.sh env)\" (npm run e2e does both).");
    }
    const cfg = YAML.parse(fs.readFileSync(file, "utf8"));
    const context = cfg["current-context"] as string;
    const ctx = cfg.contexts.find((c: any) => c.name === context).context;
    const cluster = cfg.clusters.find((c: any) => c.name === ctx.cluster).cluster;
    const user = cfg.users.find((u: any) => u.name === ctx.user).user;
    const b64 = (s: string) => Buffer.from(s, "base64");
    return {
        kubeconfig: file,
        context,
        server: new URL(cluster.server),
        agent: new https.Agent({
            ca: b64(cluster["certificate-authority-data"]),
            cert: b64(user["client-certificate-data"]),
            key: b64(user["client-key-data"]),
            keepAlive: false,
        }),
    };
}

export interface Answer {
    readonly status: number;
    readonly body: any;
    /** The API server's warnings (`Warning` headers: deprecations, duplicate entries, …). */
    readonly warnings: string[];
}

/** One request to the API server; the JSON answer (a Status object on errors). Bounded: 30 s. */
export function request(c: Cluster, method: string, path: string, body?: unknown, contentType = "application/json"): Promise<Answer> {
    return new Promise((resolve, reject) => {
        const data = body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body);
        const req = https.request(
            new URL(path, c.server),
            {
                method,
                agent: c.agent,
                timeout: 30_000,
                headers: { Accept: "application/json", ...(data !== undefined ? { "Content-Type": contentType, "Content-Length": Buffer.byteLength(data) } : {}) },
            },
            (res) => {
                let text = "";
                res.setEncoding("utf8");
                res.on("data", (chunk) => (text += chunk));
                res.on("end", () => {
                    let parsed: any = text;
                    try {
                        parsed = JSON.parse(text);
                    } catch {
                        // not JSON (/readyz answers "ok")
                    }
                    const w = res.headers.warning;
                    const warnings = (w === undefined ? [] : Array.isArray(w) ? w : [w]).map((x) => x.replace(/^299 - "(.*)"$/, "$1"));
                    resolve({ status: res.statusCode ?? 0, body: parsed, warnings });
                });
            },
        );
        req.on("timeout", () => req.destroy(new Error(`${method} ${path} timed out`)));
        req.on("error", reject);
        if (data !== undefined) req.write(data);
        req.end();
    });
}

/** GET an object; undefined when it does not exist. */
export async function getObject(c: Cluster, path: string): Promise<any | undefined> {
    const r = await request(c, "GET", path);
    if (r.status === 404) return undefined;
    if (r.status !== 200) throw new Error(`GET ${path}: ${r.status} ${JSON.stringify(r.body)}`);
    return r.body;
}

/** Polls `ok` every second until it resolves true, for at most `timeoutMs`; throws naming `what`. */
export async function eventually(what: string, timeoutMs: number, ok: () => Promise<boolean>): Promise<void> {
    const end = Date.now() + timeoutMs;
    for (;;) {
        if (await ok()) return;
        if (Date.now() > end) throw new Error(`${what}: not within ${timeoutMs / 1000} s`);
        await new Promise((r) => setTimeout(r, 1000));
    }
}

/**
 * The collection path of a kind (`/apis/apps/v1/namespaces/x/deployments`), found as clients find
 * it: by the API server's discovery of that group version, not from a table of plurals.
 */
export async function collectionPath(c: Cluster, apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const base = apiVersion.includes("/") ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let resources = discovery.get(base);
    if (!resources) {
        const r = await request(c, "GET", base);
        if (r.status !== 200) throw new Error(`discovery of ${apiVersion}: ${r.status} ${JSON.stringify(r.body)}`);
        resources = r.body.resources as Array<{ name: string; kind: string; namespaced: boolean }>;
        discovery.set(base, resources);
    }
    const res = resources.find((x) => x.kind === kind && !x.name.includes("/"));
    if (!res) throw new Error(`the API server serves no ${kind} in ${apiVersion}`);
    return res.namespaced ? `${base}/namespaces/${namespace ?? "default"}/${res.name}` : `${base}/${res.name}`;
}

const discovery = new Map<string, Array<{ name: string; kind: string; namespaced: boolean }>>();

/** Deletes namespaces and cluster-scoped objects by name and waits until they are gone (bounded). */
export async function deleteAndWait(c: Cluster, paths: readonly string[], timeoutMs = 180_000): Promise<void> {
    for (const p of paths) {
        const r = await request(c, "DELETE", p);
        if (r.status !== 200 && r.status !== 202 && r.status !== 404) throw new Error(`DELETE ${p}: ${r.status} ${JSON.stringify(r.body)}`);
    }
    for (const p of paths) await eventually(`${p} is gone`, timeoutMs, async () => (await getObject(c, p)) === undefined);
}
