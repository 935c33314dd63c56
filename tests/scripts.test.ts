/** Every shell script a newcomer or CI runs parses: a syntax error would stop the README's first command. */
import * as assert from "assert";
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as path from "path";
import { REPO_ROOT } from "./harness";

describe("shell scripts", () => {
    const scripts = [
        ...fs.readdirSync(path.join(REPO_ROOT, "scripts")).filter((f) => f.endsWith(".sh")).map((f) => path.join("scripts", f)),
        path.join(".ci", "run"),
        path.join("tests", "e2e", "standin", "standin"),
        path.join("tests", "e2e", "standin", "probe"),
    ];

    it("there are scripts to check", () => assert.ok(scripts.length >= 6, scripts.join(", ")));

    for (const script of scripts) {
        it(`${script} parses (bash -n) and is executable`, () => {
            const file = path.join(REPO_ROOT, script);
            const r = spawnSync("bash", ["-n", file], { encoding: "utf8" });
            assert.strictEqual(r.status, 0, r.stderr);
            assert.ok(fs.statSync(file).mode & 0o100, `${script} is not executable`);
        });
    }
});
