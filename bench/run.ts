/**
 * `npm run bench`: how long dockyard takes to read and render, in figures, with no assertions.
 *
 *   (a) loading every corpus Compose file with loadCompose (median of 5 runs, per app and total);
 *   (b) loading and rendering the whole corpus on each target (median of 3 runs);
 *   (c) rendering each stack of stacks/ (median of 3 runs; a stack that fails is skipped with a note);
 *   (d) what Pulumi's stack-trace capture costs (per resource, and per internal promise), on an app
 *       of 200 containers;
 *   (e) hostile input: a long extends chain, and the bombs the fuzzer found, loaded or refused;
 *   (f) a size series: one Compose file of 1000, 5000 and 20000 services, loaded (median of 3), the
 *       time per service and the growth from one size to the next (linear: as the number of
 *       services grows), side by side with `docker stack config -c` (Docker's Go loader) when the
 *       docker CLI has it.
 *
 * Rendering is offline (Pulumi's mock runtime), so the figures are the program's own cost: the
 * loader, the targets' converters and Pulumi's resource registration, without any provider.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as pulumi from "@pulumi/pulumi";
import { composeProgram, TARGET_KINDS, TargetKindName } from "../cli/compose-program";
import { PROJECT_DIR, renderStack } from "../cli/dockyard";
import { App } from "../components/app";
import { loadCompose } from "../components/compose";
import { render } from "../components/render";
import { defineApp } from "../components/spec/normalize";
import { ServiceInput } from "../components/spec/input";
import { DockerTarget } from "../components/targets/docker";
import { corpusApps } from "../tests/corpus/apps";

const LOAD_RUNS = 5;
const RENDER_RUNS = 3;
const TRACE_RUNS = 3;

const quiet = () => undefined;

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function now(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

function ms(x: number): string {
    const size = Math.abs(x);
    return size < 10 ? x.toFixed(2) : size < 100 ? x.toFixed(1) : x.toFixed(0);
}

function table(header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    rows.forEach((r) => console.log(line(r)));
}

/** One measurement per run of `fn`, which returns how many resources it rendered (or "fail"). */
interface Sample {
    readonly ms: number;
    readonly resources: number | "fail";
}

async function timed(fn: () => Promise<number> | number): Promise<Sample> {
    const t0 = now();
    try {
        const resources = await fn();
        return { ms: now() - t0, resources };
    } catch {
        return { ms: now() - t0, resources: "fail" };
    }
}

/** (d): the app of 200 containers: 20 services of 10 replicas each, with environment, a volume and labels. */
function twoHundredContainers() {
    const services: Record<string, ServiceInput> = {};
    for (let i = 0; i < 20; i++) {
        services[`svc${i}`] = {
            image: "nginx:1.27",
            replicas: 10,
            environment: { ROLE: `svc${i}`, LOG_LEVEL: "info" },
            volumes: ["cache:/var/cache/nginx"],
            labels: { tier: i < 10 ? "front" : "back" },
            restart: "unless-stopped",
        };
    }
    return defineApp({ name: "bench", services, volumes: { cache: {} } });
}

async function main(): Promise<void> {
    // Targets warn through pulumi.log.warn (console.warn without an engine); the figures are the output here.
    console.warn = quiet;
    const started = now();
    const apps = corpusApps();

    // (a) loading
    const loadMs: Record<string, number[]> = {};
    const serviceCount: Record<string, number | "fail"> = {};
    for (let run = 0; run < LOAD_RUNS; run++) {
        for (const a of apps) {
            const s = await timed(() => {
                const spec = loadCompose(a.file, { env: {}, onWarning: quiet });
                return Object.keys(spec.services).length;
            });
            (loadMs[a.app] ??= []).push(s.ms);
            serviceCount[a.app] = s.resources;
        }
    }

    // (b) load + render per target
    const renderSamples: Record<TargetKindName, Record<string, Sample[]>> = { docker: {}, swarm: {}, kubernetes: {} };
    for (const kind of TARGET_KINDS) {
        for (let run = 0; run < RENDER_RUNS; run++) {
            for (const a of apps) {
                const s = await timed(async () => (await render(composeProgram(kind, [a.file], { env: {}, onWarning: quiet }))).length);
                (renderSamples[kind][a.app] ??= []).push(s);
            }
        }
    }

    console.log(`\n(a, b) corpus: load = loadCompose, median of ${LOAD_RUNS}; render = load + render, median of ${RENDER_RUNS}, ms (resources)\n`);
    const cell = (samples: Sample[]) => (samples[0].resources === "fail" ? `fails ${ms(median(samples.map((s) => s.ms)))}` : `${ms(median(samples.map((s) => s.ms)))} (${samples[0].resources})`);
    table(
        ["app", "services", "load ms", ...TARGET_KINDS.map((k) => `${k} ms (res)`)],
        apps.map((a) => [a.app, String(serviceCount[a.app]), ms(median(loadMs[a.app])), ...TARGET_KINDS.map((k) => cell(renderSamples[k][a.app]))]),
    );
    const loadTotals = Array.from({ length: LOAD_RUNS }, (_, run) => apps.reduce((sum, a) => sum + loadMs[a.app][run], 0));
    console.log(`\nload, whole corpus (${apps.length} apps): ${ms(median(loadTotals))} ms (median of ${LOAD_RUNS}; min ${ms(Math.min(...loadTotals))}, max ${ms(Math.max(...loadTotals))})\n`);
    table(
        ["target", "rendered", "failed", "resources", "total ms", "ms/resource"],
        TARGET_KINDS.map((k) => {
            const perApp = apps.map((a) => renderSamples[k][a.app]);
            const totals = Array.from({ length: RENDER_RUNS }, (_, run) => perApp.reduce((sum, s) => sum + s[run].ms, 0));
            const resources = perApp.reduce((sum, s) => sum + (s[0].resources === "fail" ? 0 : s[0].resources), 0);
            const failed = perApp.filter((s) => s[0].resources === "fail").length;
            return [k, String(apps.length - failed), String(failed), String(resources), ms(median(totals)), ms(median(totals) / resources)];
        }),
    );

    // (c) stacks
    const stackDir = path.join(PROJECT_DIR, "stacks");
    const stacks = fs.readdirSync(stackDir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort();
    console.log(`\n(c) stacks (dockyard render --stack), median of ${RENDER_RUNS}\n`);
    const stackRows: string[][] = [];
    for (const stack of stacks) {
        const samples: Sample[] = [];
        let error: string | undefined;
        for (let run = 0; run < RENDER_RUNS && !error; run++) {
            const t0 = now();
            try {
                const resources = await renderStack(stack, PROJECT_DIR);
                samples.push({ ms: now() - t0, resources: resources.length });
            } catch (e) {
                error = (e as Error).message.split("\n")[0];
            }
        }
        if (error) {
            console.log(`note: stack ${stack} skipped, it does not render: ${error}`);
            continue;
        }
        const res = samples[0].resources as number;
        const m = median(samples.map((s) => s.ms));
        stackRows.push([stack, String(res), ms(m), ms(m / res)]);
    }
    table(["stack", "resources", "ms", "ms/resource"], stackRows);

    // (d) Stack-trace capture. Pulumi records a call-site stack trace (new Error().stack, unlimited depth) for
    // every resource it registers (Resource.stackTrace), and another stack for every internal promise it
    // creates, for its leak report (runtime/debuggable's debuggablePromise). Replacing either, only in this
    // process and only between runs, measures what it costs.
    const spec = twoHundredContainers();
    const program = () => {
        new App("bench", { spec, target: new DockerTarget() });
    };
    const resourceClass = pulumi.Resource as unknown as { stackTrace: (skip: number) => unknown[] };
    const debuggable = require("@pulumi/pulumi/runtime/debuggable") as { debuggablePromise: <T>(p: Promise<T>, ctx: unknown) => Promise<T> };
    const original = { stackTrace: resourceClass.stackTrace, debuggablePromise: debuggable.debuggablePromise };
    const variants: { label: string; resourceTraces: boolean; promiseStacks: boolean }[] = [
        { label: "all captured (default)", resourceTraces: true, promiseStacks: true },
        { label: "no resource stack traces", resourceTraces: false, promiseStacks: true },
        { label: "no promise debug stacks", resourceTraces: true, promiseStacks: false },
        { label: "neither", resourceTraces: false, promiseStacks: false },
    ];
    const times: number[][] = variants.map(() => []);
    let count = 0;
    await render(program); // warm-up: module loading and JIT are not what is measured
    for (let run = 0; run < TRACE_RUNS; run++) {
        // Interleaved, so drift (GC, CPU frequency) affects every variant alike.
        for (const [i, v] of variants.entries()) {
            resourceClass.stackTrace = v.resourceTraces ? original.stackTrace : () => [];
            debuggable.debuggablePromise = v.promiseStacks ? original.debuggablePromise : (p) => p;
            const t0 = now();
            count = (await render(program)).length;
            times[i].push(now() - t0);
        }
    }
    resourceClass.stackTrace = original.stackTrace;
    debuggable.debuggablePromise = original.debuggablePromise;
    const base = median(times[0]);
    console.log(`\n(d) stack-trace capture: an app of 200 containers on a Docker host (${count} resources), median of ${TRACE_RUNS}\n`);
    table(
        ["variant", "ms", "ms/resource", "saved ms", "saved %"],
        variants.map((v, i) => {
            const m = median(times[i]);
            return [v.label, ms(m), ms(m / count), i === 0 ? "-" : ms(base - m), i === 0 ? "-" : `${((100 * (base - m)) / base).toFixed(0)}%`];
        }),
    );
    hostileInput();
    sizeSeries();
    console.log(`\nbench took ${((now() - started) / 1000).toFixed(1)} s (node ${process.version})`);
}

/**
 * (e) Hostile input: how long the loader takes to load a long `extends` chain (linear in its
 * length: each service is resolved once) and to refuse the inputs the fuzzer found, each in a
 * scratch project (median of 3 runs).
 */
function hostileInput(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-bench-"));
    const file = path.join(dir, "compose.yaml");
    const chain = (n: number) => {
        let y = "services:\n  s0:\n    image: nginx\n    environment: [A=0]\n";
        for (let i = 1; i < n; i++) y += `  s${i}:\n    extends: s${i - 1}\n    environment: [V${i % 3}=${i}]\n`;
        return y;
    };
    const bomb = () => {
        const lines = ["x-b0: &b0 !reset [a, b, c, d, e, f, g, h, i]"];
        for (let i = 1; i <= 9; i++) lines.push(`x-b${i}: &b${i} [${Array(9).fill(`*b${i - 1}`).join(", ")}]`);
        return `${lines.join("\n")}\nservices:\n  web:\n    image: nginx\n`;
    };
    const cases: [string, string][] = [
        ["extends chain of 500", chain(500)],
        ["extends chain of 1000", chain(1000)],
        ["extends chain of 2000", chain(2000)],
        ["!reset alias bomb (9^10 values), refused", bomb()],
        ["3000 nested ${A:-...}, refused", `services:\n  web:\n    image: "${"${A:-".repeat(3000)}x${"}".repeat(3000)}"\n`],
        ["ports 1-65535:1-65535, refused", "services:\n  web:\n    image: nginx\n    ports: ['1-65535:1-65535']\n"],
        ["expose 1-65535, refused", "services:\n  web:\n    image: nginx\n    expose: ['1-65535']\n"],
    ];
    // Warm up (the schema is compiled once per process).
    fs.writeFileSync(file, chain(10));
    loadCompose(file, { env: {}, onWarning: quiet });
    const rows = cases.map(([label, yaml]) => {
        fs.writeFileSync(file, yaml);
        const times: number[] = [];
        let outcome = "loaded";
        for (let i = 0; i < RENDER_RUNS; i++) {
            const t0 = now();
            try {
                loadCompose(file, { env: {}, onWarning: quiet });
            } catch {
                outcome = "refused";
            }
            times.push(now() - t0);
        }
        return [label, outcome, ms(median(times))];
    });
    fs.rmSync(dir, { recursive: true, force: true });
    console.log(`\n(e) hostile input: loading, or refusing, what the fuzzer found (median of ${RENDER_RUNS})\n`);
    table(["input", "outcome", "ms"], rows);
}

/** (f): the sizes of the series, in services. */
const SERIES = [1000, 5000, 20000];
const SERIES_RUNS = 3;

/**
 * A Compose file of `n` services, each as a small real one: an image, a published port, two
 * variables, a label, a named volume and a restart policy. No `name:` (docker stack config
 * refuses it).
 */
function servicesFile(n: number): string {
    const lines = ["services:"];
    for (let i = 0; i < n; i++) {
        lines.push(
            `  svc${i}:`,
            "    image: nginx:1.27",
            `    ports: ["${10000 + i}:80"]`,
            "    environment:",
            `      ROLE: svc${i}`,
            "      LOG_LEVEL: info",
            "    labels:",
            `      tier: ${i % 2 ? "front" : "back"}`,
            "    volumes:",
            "      - cache:/var/cache/nginx",
            "    restart: unless-stopped",
        );
    }
    lines.push("volumes:", "  cache: {}", "");
    return lines.join("\n");
}

/** Whether `docker stack config` runs here; the reason when it does not. */
function dockerStackConfig(): { ok: true } | { ok: false; why: string } {
    const r = spawnSync("docker", ["stack", "config", "--help"], { encoding: "utf8", timeout: 30_000 });
    if (r.error) return { ok: false, why: (r.error as NodeJS.ErrnoException).code === "ENOENT" ? "no docker CLI on the PATH" : r.error.message };
    if (r.status !== 0) return { ok: false, why: `this docker CLI has no \`stack config\` (${(r.stderr || r.stdout).trim().split("\n")[0]})` };
    return { ok: true };
}

/**
 * (f) Load time by size: the same service repeated 1000, 5000 and 20000 times. `loadCompose` in
 * this process (after a warm-up: the schema is compiled once per process); `docker stack config
 * -c <file>` as a process of its own (its start-up, a few ms, included). "growth" is the time
 * over the previous size's, beside how many times more services there are: a loader linear in
 * the number of services grows as they do.
 */
function sizeSeries(): void {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-bench-"));
    const docker = dockerStackConfig();
    const rows: string[][] = [];
    let previous: { n: number; ours: number; theirs?: number } | undefined;
    try {
        // Warm-up: the schema validator is compiled once per process, and is not what is measured.
        fs.writeFileSync(path.join(dir, "warm.yaml"), servicesFile(10));
        loadCompose(path.join(dir, "warm.yaml"), { env: {}, onWarning: quiet });
        for (const n of SERIES) {
            const file = path.join(dir, `compose-${n}.yaml`);
            fs.writeFileSync(file, servicesFile(n));
            const ours: number[] = [];
            for (let i = 0; i < SERIES_RUNS; i++) {
                const t0 = now();
                const spec = loadCompose(file, { env: {}, onWarning: quiet });
                ours.push(now() - t0);
                if (Object.keys(spec.services).length !== n) throw new Error(`loaded ${Object.keys(spec.services).length} services of ${n}`);
            }
            let theirs: number | undefined;
            let theirsCell = "-";
            if (docker.ok) {
                const times: number[] = [];
                for (let i = 0; i < SERIES_RUNS && theirsCell === "-"; i++) {
                    const t0 = now();
                    const r = spawnSync("docker", ["stack", "config", "-c", file], { cwd: dir, encoding: "utf8", maxBuffer: 1 << 30, timeout: 600_000 });
                    times.push(now() - t0);
                    if (r.status !== 0) theirsCell = `fails: ${(r.stderr || String(r.error)).trim().split("\n")[0]}`;
                }
                if (theirsCell === "-") {
                    theirs = median(times);
                    theirsCell = ms(theirs);
                }
            }
            const m = median(ours);
            const growth = (a: number, b: number | undefined) => (previous && b !== undefined ? `×${(a / b).toFixed(2)}` : "-");
            rows.push([
                String(n),
                (fs.statSync(file).size / 1024 / 1024).toFixed(1),
                ms(m),
                ((1000 * m) / n).toFixed(0),
                previous ? `×${(n / previous.n).toFixed(1)}` : "-",
                growth(m, previous?.ours),
                theirsCell,
                theirs !== undefined ? ((1000 * theirs) / n).toFixed(0) : "-",
                theirs !== undefined ? growth(theirs, previous?.theirs) : "-",
                theirs !== undefined ? `${(theirs / m).toFixed(1)}` : "-",
            ]);
            previous = { n, ours: m, ...(theirs !== undefined ? { theirs } : {}) };
        }
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
    console.log(`\n(f) load time by size: one service repeated, loadCompose in-process vs \`docker stack config -c\` (median of ${SERIES_RUNS}, ms)\n`);
    table(["services", "MiB", "load ms", "µs/svc", "services ×", "load ×", "docker stack config ms", "µs/svc", "docker ×", "docker/ours"], rows);
    if (!docker.ok) console.log(`\ndocker stack config: not measured: ${docker.why}`);
}

main().then(
    () => process.exit(0),
    (e) => {
        console.error(e);
        process.exit(1);
    },
);
