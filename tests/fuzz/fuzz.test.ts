/**
 * A short fuzz run with a fixed seed: mutants of the corpus and of the stack settings end in a
 * result or in an error naming the file, never a bare JavaScript error, a hang, a blown heap or
 * a planted secret in a message. `npm run fuzz` runs the same fuzzer at length.
 */
import * as assert from "assert";
import { describeWithCorpus } from "../harness";
import { runFuzz } from "./fuzz";

describeWithCorpus("fuzz (short, fixed seed)", () => {
    it("finds no crash, hang, blown heap or leak", async function () {
        this.timeout(120_000);
        const report = await runFuzz({ seed: 20260511, cases: 120, jobs: 2, timeoutMs: 20_000, maxOldSpaceMb: 512, renderShare: 0.25, stackShare: 0.12 });
        const findings = report.findings.map((f) => `${f.kind} in case ${f.case.id} (${f.case.origin}; ${f.case.mutations.join("; ")}): ${f.detail.slice(0, 400)}`);
        assert.deepStrictEqual(findings, []);
        assert.strictEqual(report.cases, 120);
        // The run means something only if mutants both pass and fail.
        assert.ok((report.outcomes.ok ?? 0) > 0 && (report.outcomes.rejected ?? 0) > 0, JSON.stringify(report.outcomes));
    });
});
