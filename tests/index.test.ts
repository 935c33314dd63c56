import * as assert from "assert";
import * as path from "path";
import * as dockyard from "../components";
import { REPO_ROOT } from "./harness";

describe("the library entry point", () => {
    it("is package.json's main, and exports the components, targets and loaders", () => {
        const pkg = require(path.join(REPO_ROOT, "package.json")) as { main: string };
        assert.strictEqual(require.resolve(path.join(REPO_ROOT, pkg.main)), require.resolve("../components"));
        for (const name of ["App", "DockerHost", "SwarmCluster", "Monitoring", "Portainer", "DockerTarget", "SwarmTarget", "KubernetesTarget", "defineApp", "loadCompose", "render", "SpecError"]) {
            assert.strictEqual(typeof (dockyard as Record<string, unknown>)[name], "function", name);
        }
    });

    it("lets another program deploy an app described in TypeScript", async () => {
        const resources = await dockyard.render(() => {
            const host = new dockyard.DockerHost("edge", { host: "ssh://ops@edge.example.com", sshOpts: ["-o", "StrictHostKeyChecking=yes"] });
            new dockyard.App("shop", {
                target: host.target,
                spec: dockyard.defineApp({ name: "shop", services: { web: { image: "nginx:1.27", ports: ["8080:80"] } } }),
                labels: { team: "shop" },
            });
        });
        const provider = resources.find((r) => r.type === "pulumi:providers:docker");
        // Provider inputs travel JSON-encoded, as Pulumi sends provider configuration.
        assert.deepStrictEqual(provider?.inputs, { host: "ssh://ops@edge.example.com", sshOpts: JSON.stringify(["-o", "StrictHostKeyChecking=yes"]) });
        const web = resources.find((r) => r.name === "shop-web-1");
        assert.ok(web);
        assert.strictEqual(web.parent, "shop");
        assert.ok((web.inputs.labels as { label: string; value: string }[]).some((l) => l.label === "team" && l.value === "shop"));
    });

    it("refuses a bad DockerHost before creating anything", () => {
        assert.throws(() => dockyard.dockerHostSettings({ host: "tcp://10.0.0.5:2376" }), /dockerHost.tls.*needs TLS material/);
        assert.throws(() => dockyard.dockerHostSettings({ host: "http://x" }), /dockerHost.host.*unsupported Docker host scheme "http"/);
        assert.throws(() => dockyard.dockerHostSettings({ host: "unix:///var/run/docker.sock", sshOpts: ["-v"] }), /dockerHost.sshOpts/);
    });
});
