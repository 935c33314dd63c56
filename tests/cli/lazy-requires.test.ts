/**
 * The command's deferral of the SDK's unused requires (cli/lazy-requires.ts), in a process of its
 * own: with it, loading `@pulumi/pulumi` loads neither `typescript` nor `@npmcli/arborist`; what the
 * SDK does with them still works (serializing a function loads typescript then), and without the
 * hook the SDK loads both at once — so the hook matches the SDK in node_modules.
 */
import * as assert from "assert";
import * as path from "path";
import { REPO_ROOT } from "../harness";
import { runProcess } from "./run";

const SCRIPT = `
if (process.argv[1] === "hook") require(${JSON.stringify(path.join(REPO_ROOT, "bin", "cli", "lazy-requires.js"))}).deferUnusedSdkRequires();
const pulumi = require("@pulumi/pulumi");
const loaded = () => Object.keys(require.cache).filter((f) => /[\\\\/]typescript[\\\\/]lib[\\\\/]typescript\\.js$|[\\\\/]@npmcli[\\\\/]arborist[\\\\/]/.test(f)).length;
const atStart = loaded();
pulumi.runtime.serializeFunction(() => 42).then((f) => console.log(JSON.stringify({ atStart, afterUse: loaded(), serialized: /42/.test(f.text) })));
`;

async function probe(hook: boolean): Promise<{ atStart: number; afterUse: number; serialized: boolean }> {
    const r = await runProcess(process.execPath, ["-e", SCRIPT, hook ? "hook" : "plain"], { cwd: REPO_ROOT });
    assert.strictEqual(r.code, 0, r.stderr);
    return JSON.parse(r.stdout) as { atStart: number; afterUse: number; serialized: boolean };
}

describe("cli: the SDK's unused requires are deferred", () => {
    it("loads neither typescript nor arborist with @pulumi/pulumi, and loads typescript when the SDK uses it", async () => {
        const [hooked, plain] = await Promise.all([probe(true), probe(false)]);
        assert.ok(plain.atStart > 0, "without the hook the SDK loads them at start (else the hook has nothing to do: remove it)");
        assert.strictEqual(hooked.atStart, 0);
        assert.ok(hooked.serialized && hooked.afterUse > 0, JSON.stringify(hooked));
    });
});
