import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { pathMatcher, resolveInputs } from "../../components/package/inputs";
import { SpecError } from "../../components/spec/errors";

/** An Output as the engine hands a construct one: known or not, secret or not. */
function outputOf(value: unknown, known = true, secret = false): pulumi.Output<unknown> {
    return new (pulumi.Output as unknown as new (...a: unknown[]) => pulumi.Output<unknown>)(new Set(), Promise.resolve(value), Promise.resolve(known), Promise.resolve(secret), Promise.resolve([]));
}

describe("component package inputs", () => {
    it("matches argument paths, * standing for a list index or a map key", () => {
        const m = pathMatcher(["runtime.docker.tls.key", "settings.alerting.receivers.*.webhookUrl"]);
        assert.ok(m("runtime.docker.tls.key"));
        assert.ok(m("settings.alerting.receivers[2].webhookUrl"));
        assert.ok(!m("runtime.docker.tls"));
        assert.ok(!m("settings.alerting.receivers[2].name"));
        assert.ok(!m("xruntime.docker.tls.key"));
    });

    it("makes Outputs plain, nested ones too, and keeps the ones at Input paths as Outputs", async () => {
        const secretKey = outputOf("KEY", true, true);
        const { value } = await resolveInputs(
            { runtime: outputOf({ docker: { host: outputOf("unix:///var/run/docker.sock"), tls: { key: secretKey } } }), names: [outputOf("a"), "b"], n: 3 },
            pathMatcher(["runtime.docker.tls.key"]),
        );
        const v = value as { runtime: { docker: { host: string; tls: { key: unknown } } }; names: string[]; n: number };
        assert.strictEqual(v.runtime.docker.host, "unix:///var/run/docker.sock");
        assert.deepStrictEqual(v.names, ["a", "b"]);
        assert.strictEqual(v.n, 3);
        assert.strictEqual(v.runtime.docker.tls.key, secretKey, "a secret at an Input path stays the same Output (secret)");
    });

    it("refuses a value unknown during a preview where dockyard must plan with it, naming the path", async () => {
        await assert.rejects(resolveInputs({ runtime: { docker: { host: outputOf(undefined, false) } } }, () => false), (e: unknown) => {
            assert.ok(e instanceof SpecError);
            assert.strictEqual(e.path, "runtime.docker.host");
            assert.match(e.message, /must be known before anything is deployed/);
            return true;
        });
        // Unknown at an Input path is fine: the TypeScript API takes an Input there.
        const { value } = await resolveInputs({ password: outputOf(undefined, false) }, pathMatcher(["password"]));
        assert.ok(pulumi.Output.isInstance((value as { password: unknown }).password));
    });
});
