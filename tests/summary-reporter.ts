/**
 * Mocha's dot reporter plus one plain closing line, "N passed, N failed, N skipped", that CI
 * systems read without knowing mocha's own summary.
 */
import * as Mocha from "mocha";

class SummaryReporter extends Mocha.reporters.Dot {
    constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
        super(runner, options);
        runner.once(Mocha.Runner.constants.EVENT_RUN_END, () => {
            const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
            process.stdout.write(`tests: ${s.passes} passed, ${s.failures} failed, ${s.pending} skipped\n`);
        });
    }
}

export = SummaryReporter;
