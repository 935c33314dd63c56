/**
 * The README's `dockyard render` section is what the command does: every command line of its `sh`
 * blocks runs, and every output it shows (a block after `<!-- output of `…` -->`) is the output of
 * that command, `…` standing for lines left out, runs of spaces for any column width, blank lines ignored.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { bash, dockyard, scratch } from "./run";

function section(): string {
    const readme = fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8");
    const start = readme.indexOf("## `dockyard render`");
    assert.ok(start >= 0, "README has a `dockyard render` section");
    const end = readme.indexOf("\n## ", start + 1);
    return readme.slice(start, end < 0 ? undefined : end);
}

const normalize = (line: string) => line.trim().replace(/\s+/g, " ");

/** Asserts the shown output's runs of lines (between `…` lines) appear in `actual`, in order, each run contiguous. */
function assertShows(shown: string, actual: string, what: string): void {
    const lines = actual.split("\n").map(normalize).filter((l) => l !== "");
    const runs = shown.split(/^…$/m).map((run) => run.split("\n").map(normalize).filter((l) => l !== ""));
    let from = 0;
    for (const run of runs.filter((r) => r.length)) {
        let at = -1;
        for (let i = from; i + run.length <= lines.length && at < 0; i++) if (run.every((l, k) => lines[i + k] === l)) at = i;
        assert.ok(at >= 0, `the README shows lines that \`${what}\` does not print (in this order):\n${run.join("\n")}\n\nit prints:\n${actual}`);
        from = at + run.length;
    }
}

const WEB = "services:\n  web:\n    image: nginx:1.27\n    ports: [\"8080:80\"]\n";

describe("cli: the README's dockyard section", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({ "compose.yaml": WEB, "compose.prod.yaml": "services:\n  web:\n    deploy:\n      replicas: 2\n", "compose.next.yaml": WEB.replace("1.27", "1.28") });
    });
    after(() => work.remove());

    it("every command line of its sh blocks runs", async () => {
        const commands = [...section().matchAll(/```sh\n([\s\S]*?)```/g)].flatMap((m) => m[1].split("\n")).filter((l) => l.startsWith("npx dockyard "));
        assert.ok(commands.length >= 5, commands.join("\n"));
        const runs = await Promise.all(commands.map((c) => bash(`"$NODE" -- "$DOCKYARD" ${c.slice("npx dockyard ".length)} > /dev/null`, { cwd: work.dir })));
        runs.forEach((r, i) => {
            const allowed = commands[i].startsWith("npx dockyard diff ") ? [0, 1] : [0];
            assert.ok(allowed.includes(r.code ?? -1), `${commands[i]}: exit ${r.code}: ${r.stderr}`);
        });
    });

    it("every output it shows is the command's", async () => {
        const shown = [...section().matchAll(/<!-- output of `dockyard ([^`]+)` -->\n```\n([\s\S]*?)```/g)];
        assert.ok(shown.length >= 2, "the section shows outputs");
        for (const [, command, output] of shown) {
            const r = await dockyard(command.split(" "), { cwd: work.dir });
            assert.ok(r.code === 0 || (command.startsWith("diff ") && r.code === 1), `dockyard ${command}: exit ${r.code}: ${r.stderr}`);
            assertShows(output, r.stdout, `dockyard ${command}`);
        }
    });
});
