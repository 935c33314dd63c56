/** Checks made on the engine itself, not on dockyard's objects: what runs is what was asked. */
import * as assert from "assert";
import * as http from "http";
import * as net from "net";
import { docker, RunResult } from "./engine";

/** An HTTP GET on loopback; resolves with status and body, or rejects within `timeoutMs`. */
export function httpGet(port: number, path = "/", timeoutMs = 5000): Promise<{ status: number; body: string }> {
    return new Promise((resolve, reject) => {
        const req = http.get({ host: "127.0.0.1", port, path, timeout: timeoutMs }, (res) => {
            let body = "";
            res.setEncoding("utf8");
            res.on("data", (c) => (body += c));
            res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on("timeout", () => req.destroy(new Error(`GET 127.0.0.1:${port}${path} timed out`)));
        req.on("error", reject);
    });
}

/** Whether something accepts TCP connections on 127.0.0.1:port. */
export function tcpOpen(port: number, timeoutMs = 3000): Promise<boolean> {
    return new Promise((resolve) => {
        const s = net.connect({ host: "127.0.0.1", port });
        const done = (ok: boolean) => { s.destroy(); resolve(ok); };
        s.setTimeout(timeoutMs, () => done(false));
        s.on("connect", () => done(true));
        s.on("error", () => done(false));
    });
}

/** Retries an HTTP GET until it answers `status` (the stand-ins take a few seconds to start). */
export async function eventuallyAnswers(port: number, timeoutMs = 60_000): Promise<string> {
    const end = Date.now() + timeoutMs;
    let last = "";
    while (Date.now() < end) {
        try {
            const r = await httpGet(port);
            if (r.status === 200) return r.body;
            last = `status ${r.status}`;
        } catch (e) {
            last = String(e);
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    throw new Error(`127.0.0.1:${port} did not answer within ${timeoutMs / 1000} s (${last})`);
}

/** `docker exec` in a container; stdout trimmed. */
export function exec(container: string, ...cmd: string[]): string {
    return docker(["exec", container, ...cmd]);
}

/** A listener holding a loopback port (and the wildcard address, as the engine binds), until closed. */
export async function holdPort(port: number): Promise<net.Server> {
    const server = net.createServer((s) => s.destroy());
    await new Promise<void>((resolve, reject) => {
        server.once("error", reject);
        server.listen({ port, host: "0.0.0.0", exclusive: true }, resolve);
    });
    return server;
}

/**
 * The steps of a `pulumi preview --json`, as [operation, resource name] pairs: same-steps and the
 * stack itself (whose outputs may change with a setting) left out.
 */
export function changedSteps(preview: RunResult): Array<[string, string]> {
    const steps: Array<{ op: string; urn: string }> = JSON.parse(preview.stdout).steps ?? [];
    return steps
        .filter((s) => s.op !== "same" && !s.urn.includes("::pulumi:pulumi:Stack::"))
        .map((s) => [s.op, s.urn.split("::").pop() ?? s.urn]);
}

/** Environment of a container as a map. */
export function envOf(c: { Config: { Env: string[] | null } }): Record<string, string> {
    return Object.fromEntries((c.Config.Env ?? []).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
}

/** Asserts that every `expected` label is on the object with that value. */
export function assertLabels(actual: Record<string, string> | null | undefined, expected: Record<string, string>, what: string): void {
    for (const [k, v] of Object.entries(expected)) {
        assert.strictEqual(actual?.[k], v, `${what}: label ${k}`);
    }
}

/** A free TCP port on 127.0.0.1 right now (the kernel's choice). */
export function freePort(): Promise<number> {
    return new Promise((resolve, reject) => {
        const server = net.createServer();
        server.once("error", reject);
        server.listen(0, "127.0.0.1", () => {
            const { port } = server.address() as net.AddressInfo;
            server.close(() => resolve(port));
        });
    });
}
