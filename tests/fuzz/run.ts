/**
 * `npm run fuzz [-- options]`: the fuzzer at length.
 *
 *   --seed N        master seed (default: the time)
 *   --cases N       number of cases (default 100000)
 *   --seconds N     stop after N seconds (default 600)
 *   --jobs N        worker processes (default: CPUs)
 *   --timeout MS    per-case time limit (default 20000)
 *   --findings DIR  where findings are written (default bin/fuzz-findings)
 *   --replay FILE   run one case.json in this process and print its outcome
 *
 * Exits 1 when there is a finding.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { runFuzz } from "./fuzz";
import { FuzzCase } from "./mutants";
import { REPO_ROOT, runCase } from "./worker";

function flag(args: string[], name: string): string | undefined {
    const i = args.indexOf(`--${name}`);
    return i >= 0 ? args[i + 1] : undefined;
}

async function main(args: string[]): Promise<number> {
    const replay = flag(args, "replay");
    if (replay) {
        const c = JSON.parse(fs.readFileSync(replay, "utf8")) as FuzzCase;
        const r = await runCase(c);
        process.stdout.write(`${r.outcome} in ${r.ms} ms\n${r.detail}\n`);
        return r.outcome === "ok" || r.outcome === "rejected" ? 0 : 1;
    }
    const seed = Number(flag(args, "seed") ?? Date.now() % 2 ** 31);
    const findingsDir = path.resolve(REPO_ROOT, flag(args, "findings") ?? "bin/fuzz-findings");
    const report = await runFuzz({
        seed,
        cases: Number(flag(args, "cases") ?? 100000),
        seconds: Number(flag(args, "seconds") ?? 600),
        jobs: Number(flag(args, "jobs") ?? Math.max(1, os.cpus().length)),
        timeoutMs: Number(flag(args, "timeout") ?? 20000),
        findingsDir,
        log: (line) => process.stdout.write(line + "\n"),
    });
    process.stdout.write(
        `seed ${report.seed}: ${report.cases} cases in ${(report.ms / 1000).toFixed(1)} s (${Math.round(report.cases / (report.ms / 1000))}/s); ` +
            `outcomes ${JSON.stringify(report.outcomes)}; ${report.findings.length} findings${report.findings.length ? ` (in ${findingsDir})` : ""}\n` +
            `slowest: ${report.slowest.map((s) => `#${s.id} ${s.ms} ms (${s.mutations.join("; ")})`).join(", ")}\n`,
    );
    return report.findings.length > 0 ? 1 : 0;
}

main(process.argv.slice(2)).then(
    (code) => process.exit(code),
    (e) => {
        process.stderr.write(`fuzz: ${(e as Error).stack ?? e}\n`);
        process.exit(2);
    },
);
