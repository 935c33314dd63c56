/**
 * `npm run bench`, start-up part: how long the `dockyard` command takes, as a user runs it (a new
 * process each time): wall-clock, and the CPU time the process used (user + system, which a loaded
 * machine inflates less than the wall-clock). Figures only.
 *
 *   (s1) `dockyard --help`, which loads no Pulumi module;
 *   (s2) `node -e 'require("@pulumi/pulumi")'`, without and with a warm compile cache: the floor every
 *        render pays, --plan included (the targets' plans hold Pulumi inputs);
 *   (s3) `dockyard render --target docker --plan` and `dockyard render --target docker` of a one-service
 *        Compose file, with Node's compile cache off, cold (an empty cache directory) and warm (the
 *        command enables it; a second run finds it). The command defers the SDK's requires of
 *        `typescript` and `@npmcli/arborist` (cli/lazy-requires.ts); the floor is shown with the
 *        same deferral;
 *   (s4) an app of 100 services on a Docker host rendered in-process, with the SDK's stack traces as the
 *        process has them and with `stackTraceLimit: 0` (what the command passes).
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App } from "../components/app";
import { renderProgram } from "../components/render";
import { defineApp } from "../components/spec/normalize";
import { ServiceInput } from "../components/spec/input";
import { DockerTarget } from "../components/targets/docker";

const RUNS = 5;
const ROOT = path.resolve(__dirname, "..", "..");
const DOCKYARD = path.join(ROOT, "bin", "cli", "dockyard.js");

function median(xs: number[]): number {
    const s = [...xs].sort((a, b) => a - b);
    const mid = Math.floor(s.length / 2);
    return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

function now(): number {
    return Number(process.hrtime.bigint()) / 1e6;
}

/** Ticks of CPU time (user + system) used by this process's children that have been waited for (Linux). */
const TICKS_PER_SECOND = 100; // USER_HZ, 100 on every Linux Node runs on
function childrenCpuTicks(): number | undefined {
    try {
        const stat = fs.readFileSync("/proc/self/stat", "utf8");
        const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
        return Number(fields[13]) + Number(fields[14]); // cutime, cstime (fields 16 and 17 of proc(5))
    } catch {
        return undefined;
    }
}

interface Sample {
    readonly wall: number;
    readonly cpu?: number;
}

/** Wall-clock and CPU ms of one process run; fails loudly if the command fails. */
function runOnce(args: string[], env: NodeJS.ProcessEnv, cwd: string): Sample {
    const c0 = childrenCpuTicks();
    const t0 = now();
    const r = spawnSync(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    const wall = now() - t0;
    const c1 = childrenCpuTicks();
    if (r.status !== 0) throw new Error(`${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
    return { wall, ...(c0 !== undefined && c1 !== undefined ? { cpu: ((c1 - c0) * 1000) / TICKS_PER_SECOND } : {}) };
}

function clean(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const e = { ...process.env, ...env };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    return e;
}

function row(label: string, samples: number[]): string[] {
    return [label, median(samples).toFixed(0), Math.min(...samples).toFixed(0), Math.max(...samples).toFixed(0)];
}

/** A process's row: wall-clock median (min, max), then the median CPU time. */
function processRow(label: string, samples: Sample[]): string[] {
    const cpu = samples.map((s) => s.cpu).filter((c): c is number => c !== undefined);
    return [...row(label, samples.map((s) => s.wall)), cpu.length ? median(cpu).toFixed(0) : "n/a"];
}

function table(header: string[], rows: string[][]): void {
    const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i].length)));
    const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]) : c.padStart(widths[i]))).join("  ");
    console.log(line(header));
    console.log(widths.map((w) => "-".repeat(w)).join("  "));
    rows.forEach((r) => console.log(line(r)));
}

function hundredServices() {
    const services: Record<string, ServiceInput> = {};
    for (let i = 0; i < 100; i++) services[`svc${i}`] = { image: "nginx:1.27", environment: { ROLE: `svc${i}` }, labels: { tier: "web" } };
    return defineApp({ name: "bench", services });
}

async function main(): Promise<void> {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "dockyard-startup-"));
    try {
        fs.writeFileSync(path.join(dir, "compose.yaml"), "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n");
        const render = [DOCKYARD, "render", "--target", "docker", "compose.yaml"];
        const plan = [DOCKYARD, "render", "--target", "docker", "--plan", "compose.yaml"];
        const lazy = JSON.stringify(path.join(ROOT, "bin", "cli", "lazy-requires.js"));
        type Cache = "off" | "cold" | "warm";
        const warmDir = path.join(dir, "warm-cache");
        /** The environment of a run: the compile cache off, in a new directory, or in the one filled before. */
        const cacheEnv = (cache: Cache, run: number, i: number): NodeJS.ProcessEnv =>
            cache === "off"
                ? { NODE_DISABLE_COMPILE_CACHE: "1", NODE_COMPILE_CACHE: undefined }
                : { NODE_DISABLE_COMPILE_CACHE: undefined, NODE_COMPILE_CACHE: cache === "warm" ? warmDir : path.join(dir, `cold-${run}-${i}`) };
        const pulumi = ["-e", "require('module').enableCompileCache?.(); require('@pulumi/pulumi')"];
        const variants: [label: string, args: string[], cache: Cache, cwd: string][] = [
            ["dockyard --help", [DOCKYARD, "--help"], "off", dir],
            ["require('@pulumi/pulumi'), no compile cache", pulumi, "off", ROOT],
            ["require('@pulumi/pulumi'), warm compile cache", pulumi, "warm", ROOT],
            ["  the same, typescript and arborist deferred", ["-e", `require('module').enableCompileCache?.(); require(${lazy}).deferUnusedSdkRequires(); require('@pulumi/pulumi')`], "warm", ROOT],
            ["render --plan 1 service, no compile cache", plan, "off", dir],
            ["render --plan 1 service, cold compile cache", plan, "cold", dir],
            ["render --plan 1 service, warm compile cache", plan, "warm", dir],
            ["render 1 service, no compile cache", render, "off", dir],
            ["render 1 service, cold compile cache", render, "cold", dir],
            ["render 1 service, warm compile cache", render, "warm", dir],
        ];
        variants.forEach(([, args, cache, cwd], i) => cache === "warm" && runOnce(args, clean(cacheEnv(cache, -1, i)), cwd)); // fills the warm cache
        const samples: Sample[][] = variants.map(() => []);
        for (let run = 0; run < RUNS; run++) {
            // Interleaved, so a busy machine weighs on every variant alike.
            variants.forEach(([, args, cache, cwd], i) => samples[i].push(runOnce(args, clean(cacheEnv(cache, run, i)), cwd)));
        }
        console.log(`\n(s1-s3) start-up: a new process per run, ms: wall-clock median of ${RUNS} (min, max), median CPU time (user + system)\n`);
        table(
            ["command", "median", "min", "max", "cpu"],
            variants.map(([label], i) => processRow(label, samples[i])),
        );

        const spec = hundredServices();
        const program = () => {
            new App("bench", { spec, target: new DockerTarget() });
        };
        console.warn = () => undefined;
        await renderProgram(program); // warm-up
        const traced: number[] = [];
        const untraced: number[] = [];
        let count = 0;
        for (let run = 0; run < 3; run++) {
            let t0 = now();
            count = (await renderProgram(program)).resources.length;
            traced.push(now() - t0);
            t0 = now();
            await renderProgram(program, { stackTraceLimit: 0 });
            untraced.push(now() - t0);
        }
        console.log(`\n(s4) 100 services on a Docker host (${count} resources), in-process, ms, median of 3 (min, max)\n`);
        table(["render", "median", "min", "max"], [row(`Error.stackTraceLimit ${Error.stackTraceLimit} (the process's)`, traced), row("stackTraceLimit: 0 (the command's)", untraced)]);
        console.log(`\nstart-up bench on ${os.cpus().length} CPUs, load average ${os.loadavg()[0].toFixed(1)} (node ${process.version})`);
    } finally {
        fs.rmSync(dir, { recursive: true, force: true });
    }
}

main().then(
    () => undefined,
    (e) => {
        console.error(e);
        process.exitCode = 1;
    },
);
