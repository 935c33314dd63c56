/**
 * `dockyard … | anything`: output larger than a pipe's buffer (64 KiB on Linux) reaches the reader
 * whole, through a real shell pipe with a reader that is slow to start, and a reader that stops
 * early (`| head`) ends the command quietly.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { bash, scratch, wideCompose } from "./run";

const PIPE_BUFFER = 64 * 1024;

describe("cli: output through a pipe", () => {
    let work: ReturnType<typeof scratch>;
    before(() => {
        work = scratch({ "wide.yaml": wideCompose() });
    });
    after(() => work.remove());

    it("delivers every byte of a render larger than 64 KiB to a reader that starts late", async () => {
        const render = `"$NODE" -- "$DOCKYARD" render --json --target swarm wide.yaml`;
        const r = await bash(`${render} > direct.json && ${render} | { sleep 1; cat; } > piped.json; echo "\${PIPESTATUS[0]}"`, { cwd: work.dir });
        assert.strictEqual(r.stdout.trim(), "0", r.stderr);
        const direct = fs.readFileSync(path.join(work.dir, "direct.json"), "utf8");
        const piped = fs.readFileSync(path.join(work.dir, "piped.json"), "utf8");
        assert.ok(Buffer.byteLength(piped) > PIPE_BUFFER, `only ${Buffer.byteLength(piped)} bytes: the render must be larger than the pipe buffer`);
        assert.strictEqual(Buffer.byteLength(piped), Buffer.byteLength(direct));
        assert.strictEqual(piped, direct);
        const resources = JSON.parse(piped) as { type: string; inputs: { name?: string } }[];
        assert.deepStrictEqual(resources.filter((x) => x.type === "docker:index/service:Service").map((x) => x.inputs.name), ["wide_svc0", "wide_svc1", "wide_svc2", "wide_svc3"]);
    });

    it("ends quietly, with its own exit status, when the reader stops early (| head)", async () => {
        const r = await bash(`"$NODE" -- "$DOCKYARD" render --json --target swarm wide.yaml | head -c 100 > /dev/null; echo "\${PIPESTATUS[0]}"`, { cwd: work.dir });
        assert.strictEqual(r.stdout.trim(), "0");
        assert.strictEqual(r.stderr, "", "no EPIPE stack trace");
    });
});
