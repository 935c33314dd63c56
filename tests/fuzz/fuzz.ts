/**
 * The fuzzer: cases made from one seed (Compose mutants of the corpus, and stack-settings
 * mutants), run in child processes with a heap limit and a time limit per case. A case that
 * crashes, hangs, blows the heap, leaks a planted secret or fails without naming its file is a
 * finding; findings are written (with the whole case, to replay it) to `findingsDir`.
 *
 * `npm test` runs a short fuzz with a fixed seed (tests/fuzz/fuzz.test.ts); `npm run fuzz` a
 * long one (tests/fuzz/run.ts).
 */
import { CORPUS_DIR } from "../harness";
import { ChildProcess, fork } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { CONFIG_KEYS } from "../../stacks/config";
import { composeCase, corpusFiles, FuzzCase, PASSPHRASE_CANARY, stackCase } from "./mutants";
import { Prng } from "./prng";
import { CaseResult, Outcome, REPO_ROOT } from "./worker";

export type FindingKind = Exclude<Outcome, "ok" | "rejected"> | "hang" | "heap" | "exit";

export interface Finding {
    readonly kind: FindingKind;
    readonly case: FuzzCase;
    readonly detail: string;
}

export interface FuzzOptions {
    readonly seed: number;
    /** Number of cases (with `seconds`, whichever ends first). */
    readonly cases: number;
    /** Stop starting cases after this many seconds. @default no limit */
    readonly seconds?: number;
    /** Worker processes. @default 2 */
    readonly jobs?: number;
    /** A case running longer is a hang; its worker is killed. @default 20000 */
    readonly timeoutMs?: number;
    /** Old-space limit of a worker, in MB: a case that needs more is a blown heap. @default 512 */
    readonly maxOldSpaceMb?: number;
    /** Share of Compose cases also rendered on every target. @default 0.5 */
    readonly renderShare?: number;
    /** Share of stack-settings cases. @default 0.15 */
    readonly stackShare?: number;
    /** Where findings are written. @default none */
    readonly findingsDir?: string;
    /** The corpus of Compose files. @default DOCKYARD_CORPUS, else ../shared/corpus */
    readonly corpusDir?: string;
    /** Progress lines. */
    readonly log?: (line: string) => void;
}

export interface FuzzReport {
    readonly seed: number;
    readonly cases: number;
    readonly ms: number;
    /** Cases by outcome (ok, rejected, and each kind of finding). */
    readonly outcomes: Record<string, number>;
    readonly findings: Finding[];
    /** The slowest cases, for the report (not a finding: speed belongs to benchmarks). */
    readonly slowest: { id: number; ms: number; mutations: string[] }[];
}

/** The cases of a seed, made lazily, in order. */
export function* cases(o: Pick<FuzzOptions, "seed" | "renderShare" | "stackShare" | "corpusDir">): Generator<FuzzCase> {
    const corpusDir = o.corpusDir ?? CORPUS_DIR;
    const corpus = corpusFiles(corpusDir);
    const keys = Object.keys(CONFIG_KEYS);
    const secretKeys = keys.filter((k) => (CONFIG_KEYS as Record<string, { secret?: boolean }>)[k].secret);
    const master = new Prng(o.seed);
    for (let id = 0; ; id++) {
        const seed = master.fork();
        const kind = master.next();
        const render = master.chance(o.renderShare ?? 0.5);
        yield kind < (o.stackShare ?? 0.15)
            ? stackCase(id, seed, path.join(REPO_ROOT, "stacks"), keys, secretKeys)
            : composeCase(id, seed, corpusDir, corpus, render);
    }
}

/** A worker process and the case it runs. */
interface Worker {
    child: ChildProcess;
    ready: Promise<void>;
    stderr: string;
    ran: number;
}

const WORKER = path.join(__dirname, "worker.js");
/** Cases a worker runs before it is replaced (the mock runtime keeps a little per render). */
const RECYCLE_AFTER = 200;

function startWorker(maxOldSpaceMb: number): Worker {
    const child = fork(WORKER, [], {
        execArgv: [`--max-old-space-size=${maxOldSpaceMb}`],
        // A small, known environment: the deployer's passphrase is the canary a leak shows.
        env: { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: os.tmpdir(), LANG: "C.UTF-8", PULUMI_CONFIG_PASSPHRASE: PASSPHRASE_CANARY },
        stdio: ["ignore", "ignore", "pipe", "ipc"],
        serialization: "advanced",
    });
    const w: Worker = { child, stderr: "", ran: 0, ready: Promise.resolve() };
    child.stderr!.on("data", (d: Buffer) => {
        w.stderr = (w.stderr + d.toString()).slice(-4000);
    });
    w.ready = new Promise((resolve, reject) => {
        const onMessage = (m: { ready?: boolean }) => {
            if (m.ready) {
                child.off("message", onMessage);
                resolve();
            }
        };
        child.on("message", onMessage);
        child.once("exit", (code) => reject(new Error(`fuzz worker exited (${code}) before it was ready: ${w.stderr}`)));
    });
    return w;
}

function stop(w: Worker): void {
    w.child.removeAllListeners();
    if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill("SIGKILL");
}

/** Runs one case on `w`; resolves with its result, or with a hang/heap/exit finding (the worker is then dead). */
function runOn(w: Worker, c: FuzzCase, timeoutMs: number): Promise<CaseResult | { id: number; outcome: "hang" | "heap" | "exit"; detail: string; ms: number }> {
    const start = Date.now();
    return new Promise((resolve) => {
        const done = (r: CaseResult | { id: number; outcome: "hang" | "heap" | "exit"; detail: string; ms: number }) => {
            clearTimeout(timer);
            w.child.off("message", onMessage);
            w.child.off("exit", onExit);
            resolve(r);
        };
        const onMessage = (m: CaseResult) => {
            if (m.id === c.id) done(m);
        };
        const onExit = (code: number | null, signal: string | null) => {
            // Give stderr a moment to arrive: it tells a blown heap from other deaths.
            setTimeout(() => {
                const heap = /heap out of memory|Allocation failed|Reached heap limit/i.test(w.stderr);
                done({ id: c.id, outcome: heap ? "heap" : "exit", detail: `worker died (code ${code}, signal ${signal}): ${w.stderr.slice(-600)}`, ms: Date.now() - start });
            }, 50);
        };
        const timer = setTimeout(() => {
            stop(w);
            done({ id: c.id, outcome: "hang", detail: `no result after ${timeoutMs} ms`, ms: Date.now() - start });
        }, timeoutMs);
        w.child.on("message", onMessage);
        w.child.on("exit", onExit);
        w.child.send(c);
    });
}

function writeFinding(dir: string, f: Finding, seed: number): void {
    const where = path.join(dir, `${seed}-${f.case.id}-${f.kind}`);
    fs.mkdirSync(where, { recursive: true });
    fs.writeFileSync(path.join(where, "case.json"), JSON.stringify(f.case, null, 2));
    fs.writeFileSync(path.join(where, "finding.txt"), `${f.kind}\n${f.case.mutations.join("\n")}\n\n${f.detail}\n`);
}

/** Runs the fuzzer and reports; never throws for a finding. */
export async function runFuzz(o: FuzzOptions): Promise<FuzzReport> {
    const jobs = o.jobs ?? 2;
    const timeoutMs = o.timeoutMs ?? 20000;
    const maxOld = o.maxOldSpaceMb ?? 512;
    const start = Date.now();
    const deadline = o.seconds !== undefined ? start + o.seconds * 1000 : Infinity;
    const gen = cases(o);
    const outcomes: Record<string, number> = {};
    const findings: Finding[] = [];
    const timings: { id: number; ms: number; mutations: string[] }[] = [];
    let next = 0;
    let done = 0;

    const lane = async () => {
        let w = startWorker(maxOld);
        try {
            for (;;) {
                if (next >= o.cases || Date.now() > deadline) break;
                const c = gen.next().value as FuzzCase;
                next++;
                await w.ready;
                const r = await runOn(w, c, timeoutMs);
                w.ran++;
                done++;
                outcomes[r.outcome] = (outcomes[r.outcome] ?? 0) + 1;
                timings.push({ id: c.id, ms: r.ms, mutations: c.mutations });
                if (r.outcome !== "ok" && r.outcome !== "rejected") {
                    const f: Finding = { kind: r.outcome, case: c, detail: r.detail };
                    findings.push(f);
                    if (o.findingsDir) writeFinding(o.findingsDir, f, o.seed);
                    o.log?.(`finding ${r.outcome} in case ${c.id} (${c.origin}; ${c.mutations.join("; ")}): ${r.detail.slice(0, 300)}`);
                }
                if (done % 500 === 0) o.log?.(`${done} cases, ${Math.round((Date.now() - start) / 1000)} s, ${findings.length} findings`);
                const dead = r.outcome === "hang" || r.outcome === "heap" || r.outcome === "exit";
                if (dead || w.ran >= RECYCLE_AFTER) {
                    stop(w);
                    w = startWorker(maxOld);
                }
            }
        } finally {
            stop(w);
        }
    };
    await Promise.all(Array.from({ length: jobs }, lane));
    timings.sort((a, b) => b.ms - a.ms);
    return { seed: o.seed, cases: done, ms: Date.now() - start, outcomes, findings, slowest: timings.slice(0, 5) };
}
