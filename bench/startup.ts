/**
 * `npm run bench`, start-up part: how long the `dockyard` command takes, as a user runs it (a new
 * process each time, wall-clock), and what the render options the command uses save. Figures only.
 *
 *   (s1) `dockyard --help`, which loads no Pulumi module;
 *   (s2) `node -e 'require("@pulumi/pulumi")'`: the floor every render pays;
 *   (s3) `dockyard render --target docker` of a one-service Compose file, with Node's compile cache
 *        off, cold (an empty cache directory) and warm (the command enables it; a second run finds it);
 *   (s4) an app of 100 services on a Docker host rendered in-process, with the SDK's stack traces as
 *        the process has them and with `stackTraceLimit: 0` (what the command passes).
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

/** Wall-clock ms of one process run; fails loudly if the command fails. */
function runOnce(args: string[], env: NodeJS.ProcessEnv, cwd: string): number {
    const t0 = now();
    const r = spawnSync(process.execPath, args, { cwd, env, stdio: ["ignore", "ignore", "pipe"] });
    const ms = now() - t0;
    if (r.status !== 0) throw new Error(`${args.join(" ")}: exit ${r.status}: ${r.stderr}`);
    return ms;
}

function clean(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
    const e = { ...process.env, ...env };
    for (const k of Object.keys(e)) if (e[k] === undefined) delete e[k];
    return e;
}

function row(label: string, samples: number[]): string[] {
    return [label, median(samples).toFixed(0), Math.min(...samples).toFixed(0), Math.max(...samples).toFixed(0)];
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
        const noCache = { NODE_DISABLE_COMPILE_CACHE: "1", NODE_COMPILE_CACHE: undefined };
        const samples: Record<string, number[]> = { help: [], pulumi: [], off: [], cold: [], warm: [] };
        const warmDir = path.join(dir, "warm-cache");
        runOnce(render, clean({ NODE_COMPILE_CACHE: warmDir }), dir); // fills the warm cache
        for (let run = 0; run < RUNS; run++) {
            // Interleaved, so a busy machine weighs on every variant alike.
            samples.help.push(runOnce([DOCKYARD, "--help"], clean(noCache), dir));
            samples.pulumi.push(runOnce(["-e", "require('@pulumi/pulumi')"], clean(noCache), ROOT));
            samples.off.push(runOnce(render, clean(noCache), dir));
            samples.cold.push(runOnce(render, clean({ NODE_COMPILE_CACHE: path.join(dir, `cold-${run}`) }), dir));
            samples.warm.push(runOnce(render, clean({ NODE_COMPILE_CACHE: warmDir }), dir));
        }
        console.log(`\n(s1-s3) start-up: a new process per run, wall-clock ms, median of ${RUNS} (min, max)\n`);
        table(
            ["command", "median", "min", "max"],
            [
                row("dockyard --help", samples.help),
                row("node -e require('@pulumi/pulumi')", samples.pulumi),
                row("render 1 service, no compile cache", samples.off),
                row("render 1 service, cold compile cache", samples.cold),
                row("render 1 service, warm compile cache", samples.warm),
            ],
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
