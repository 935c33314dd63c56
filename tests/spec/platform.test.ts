import * as assert from "assert";
import { parsePlatform, splitPlatform } from "../../components/spec/platform";
import { assertSpecError } from "../harness";

describe("spec/platform", () => {
    it("normalizes platforms the way containerd does", () => {
        const cases: [string, string][] = [
            ["linux/amd64", "linux/amd64"],
            ["Linux/X86_64", "linux/amd64"],
            ["linux/aarch64", "linux/arm64"],
            ["linux/arm64/v8", "linux/arm64"],
            ["linux/arm/7", "linux/arm/v7"],
            ["linux/armhf", "linux/arm/v7"],
            ["arm64", "linux/arm64"],
            ["windows/amd64", "windows/amd64"],
            ["darwin", "darwin"],
            ["wasi/wasm", "wasi/wasm"],
        ];
        assert.deepStrictEqual(cases.map(([input]) => parsePlatform(input, "p")), cases.map(([, out]) => out));
    });
    it("splits a normalized platform into its OCI parts", () => {
        assert.deepStrictEqual(splitPlatform("linux/arm/v7"), { os: "linux", architecture: "arm", variant: "v7" });
        assert.deepStrictEqual(splitPlatform("linux"), { os: "linux" });
    });
    it("refuses what is not os[/arch[/variant]]", () => {
        for (const bad of ["", "linux/", "linux/amd64/v1/x", "linux amd64", 64]) assertSpecError(() => parsePlatform(bad, "services.web.platform"), "services.web.platform", "os[/arch[/variant]]");
    });
});
