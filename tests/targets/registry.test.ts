/** Registry settings: checked before anything exists, with messages that name the setting and never the password. */
import * as assert from "assert";
import { inRegistry, parseImageRef, pushedName, registryAuth, registrySettings } from "../../components/targets/registry";
import { assertSpecError } from "../harness";

describe("targets/registry", () => {
    it("takes host[:port][/namespace] and keys credentials by the host", () => {
        const r = registrySettings({ address: "127.0.0.1:5000/team/apps/", username: "ci", password: "pw" });
        assert.deepStrictEqual([r.host, r.prefix, r.username], ["127.0.0.1:5000", "127.0.0.1:5000/team/apps", "ci"]);
        assert.strictEqual(registryAuth(r).length, 1);
        assert.strictEqual(registryAuth(r)[0].address, "127.0.0.1:5000");
        assert.deepStrictEqual(registryAuth(registrySettings({ address: "registry.example.com" })), [], "anonymous: no credentials");
        assert.deepStrictEqual(registryAuth(undefined), []);
    });

    it("refuses a bad address, naming the setting and the value", () => {
        assertSpecError(() => registrySettings({ address: "https://registry.example.com" }), "registry.address", "without a scheme", '"registry.example.com"');
        assertSpecError(() => registrySettings({ address: "" }), "registry.address", "needs an address");
        assertSpecError(() => registrySettings({ address: "reg istry.example.com" }), "registry.address", "no spaces");
        assertSpecError(() => registrySettings({ address: "registry.example.com:99999" }), "registry.address", "port 99999");
        assertSpecError(() => registrySettings({ address: "myregistry" }), "registry.address", "Docker Hub organisation", "myregistry:5000");
        assertSpecError(() => registrySettings({ address: "registry.example.com/Team" }), "registry.address", '"Team" is not a repository path');
        assertSpecError(() => registrySettings({ address: "-bad.example.com" }), "registry.address", "is not a registry host");
        assertSpecError(() => registrySettings({ address: "https://r.example.com" }, "dockyard:registry", "stacks/Pulumi.dev.yaml"), "stacks/Pulumi.dev.yaml", "dockyard:registry.address");
    });

    it("refuses half of a login, and never shows the password", () => {
        const e = assertSpecError(() => registrySettings({ address: "r.example.com", username: "ci" }), "registry.password", "needs a password");
        assert.ok(!e.message.includes("got"), e.message);
        const p = assertSpecError(() => registrySettings({ address: "r.example.com", password: "hunter2-secret" }), "registry.username", "needs a user name");
        assert.ok(!p.message.includes("hunter2"), p.message);
    });

    it("splits image references as the distribution grammar does", () => {
        assert.deepStrictEqual(parseImageRef("nginx"), { path: "nginx" });
        assert.deepStrictEqual(parseImageRef("127.0.0.1:5000/a/b:1.2@sha256:ab"), { domain: "127.0.0.1:5000", path: "a/b", tag: "1.2", digest: "sha256:ab" });
        assert.deepStrictEqual(parseImageRef("localhost/x"), { domain: "localhost", path: "x" });
        assert.deepStrictEqual(parseImageRef("acme/api:1"), { path: "acme/api", tag: "1" });
    });

    it("pushes a built image under the registry's prefix, or as named when it is the registry's", () => {
        const r = registrySettings({ address: "127.0.0.1:5000/team" });
        assert.strictEqual(pushedName(r, "shop-web", "services.web.image"), "127.0.0.1:5000/team/shop-web:latest");
        assert.strictEqual(pushedName(r, "ghcr.io/acme/api:1.4", "services.api.image"), "127.0.0.1:5000/team/acme/api:1.4");
        assert.strictEqual(pushedName(r, "127.0.0.1:5000/team/web:2", "services.web.image"), "127.0.0.1:5000/team/web:2");
        assert.ok(inRegistry(r, "127.0.0.1:5000/team/web:2"));
        assert.ok(!inRegistry(r, "127.0.0.1:5000/other/web:2"), "another namespace of the same host");
        assertSpecError(() => pushedName(r, "web@sha256:00", "services.web.image"), "services.web.image", "cannot be named by a digest");
    });
});
