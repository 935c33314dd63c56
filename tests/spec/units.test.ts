import * as assert from "assert";
import { formatDuration, goDuration, goShortDuration, parseBytes, parseCpus, parseDurationMs } from "../../components/spec/units";
import { splitShellWords } from "../../components/spec/shellwords";
import { assertSpecError } from "../harness";

describe("spec/units", () => {
    it("parses Go durations to milliseconds", () => {
        assert.strictEqual(parseDurationMs("1m30s", "d"), 90_000);
        assert.strictEqual(parseDurationMs("500ms", "d"), 500);
        assert.strictEqual(parseDurationMs("1.5s", "d"), 1500);
        assert.strictEqual(parseDurationMs("1h", "d"), 3_600_000);
        assert.strictEqual(parseDurationMs("2us", "d"), 0.002);
        assert.strictEqual(parseDurationMs("0", "d"), 0);
        assert.strictEqual(parseDurationMs(10, "d"), 10_000);
    });
    it("rejects bad durations with path and value", () => {
        assertSpecError(() => parseDurationMs("10", "services.a.healthcheck.interval"), "services.a.healthcheck.interval", '"10"');
        assertSpecError(() => parseDurationMs("-1s", "x"), "not a duration");
        assertSpecError(() => parseDurationMs("1d", "x"), "not a duration");
    });
    it("parses sizes in Docker's binary units", () => {
        assert.strictEqual(parseBytes("50M", "s"), 50 * 1024 * 1024);
        assert.strictEqual(parseBytes("1.5g", "s"), 1.5 * 1024 ** 3);
        assert.strictEqual(parseBytes("512mb", "s"), 512 * 1024 * 1024);
        assert.strictEqual(parseBytes("64k", "s"), 65536);
        assert.strictEqual(parseBytes("100", "s"), 100);
        assert.strictEqual(parseBytes(2048, "s"), 2048);
        assert.strictEqual(parseBytes("1GiB", "s"), 1024 ** 3);
    });
    it("rejects bad sizes", () => {
        assertSpecError(() => parseBytes("12 apples", "services.a.memLimit"), "services.a.memLimit", "12 apples");
        assertSpecError(() => parseBytes(-1, "s"), "non-negative");
    });
    it("parses cpus", () => {
        assert.strictEqual(parseCpus("0.5", "c"), 0.5);
        assert.strictEqual(parseCpus(2, "c"), 2);
        assertSpecError(() => parseCpus("half", "c"), "cpus");
    });
    it("formats durations for Docker", () => {
        assert.strictEqual(formatDuration(90_000), "90s");
        assert.strictEqual(formatDuration(1500), "1500ms");
    });
    it("formats durations as Go's Duration.String() and the provider's shortDur read them back", () => {
        // [nanoseconds, time.Duration(ns).String(), shortDur], printed by Go 1.26.
        const go: [number, string, string][] = [
            [0, "0s", "0s"], [1, "1ns", "1ns"], [999, "999ns", "999ns"], [1000, "1µs", "1µs"], [1500, "1.5µs", "1.5µs"],
            [1_000_000, "1ms", "1ms"], [1_500_000, "1.5ms", "1.5ms"], [500_000_000, "500ms", "500ms"], [1e9, "1s", "1s"], [1.5e9, "1.5s", "1.5s"],
            [1e10, "10s", "10s"], [6e10, "1m0s", "1m"], [9e10, "1m30s", "1m30s"], [3.6e12, "1h0m0s", "1h"], [3.63e12, "1h0m30s", "1h0m30s"],
            [3.66e12, "1h1m0s", "1h1m"], [5.4e12, "1h30m0s", "1h30m"], [8.64e13, "24h0m0s", "24h"],
        ];
        for (const [ns, full, short] of go) {
            assert.strictEqual(goDuration(ns / 1e6), full, `${ns}ns`);
            assert.strictEqual(goShortDuration(ns / 1e6), short, `${ns}ns`);
        }
        assert.strictEqual(goDuration(parseDurationMs("1m30.25s", "d")), "1m30.25s");
    });
    it("splits commands like a shell, without expansion", () => {
        assert.deepStrictEqual(splitShellWords(`nginx -g 'daemon off;'`, "c"), ["nginx", "-g", "daemon off;"]);
        assert.deepStrictEqual(splitShellWords(`sh -c "echo \\"hi\\" $HOME"`, "c"), ["sh", "-c", 'echo "hi" $HOME']);
        assert.deepStrictEqual(splitShellWords(`a\\ b  c ''`, "c"), ["a b", "c", ""]);
        assertSpecError(() => splitShellWords(`echo 'oops`, "services.a.command"), "services.a.command", "unterminated ' quote");
    });
});
