import * as assert from "assert";
import { render } from "../components/render";
import { SwarmCluster, validateNodes } from "../components/swarm-cluster";
import { SwarmTarget } from "../components/targets/swarm";
import { assertSpecError } from "./harness";

const node = (name: string, address: string, extra = {}) => ({ name, address, ...extra });

describe("SwarmCluster", () => {
    it("refuses an even number of managers, explaining Raft quorum", () => {
        const e = assertSpecError(() => validateNodes([node("a", "10.0.0.1"), node("b", "10.0.0.2")]), "managers", "odd number", "majority", "(got 2)");
        assert.strictEqual(e.value, 2);
        assertSpecError(() => validateNodes([]), "managers", "at least one manager");
        assertSpecError(() => validateNodes([node("a", "10.0.0.1")], [node("a", "10.0.0.9")]), "workers[0].name", '"a"');
    });

    it("forms a swarm: init, secret tokens, joins with the right token, labels, provider", async () => {
        let cluster: SwarmCluster | undefined;
        const rs = await render(() => {
            cluster = new SwarmCluster("prod", {
                managers: [node("m1", "10.0.0.1", { labels: { zone: "a" } }), node("m2", "10.0.0.2", { connection: { host: "10.0.0.2", user: "ops" } }), node("m3", "10.0.0.3", { connection: { host: "10.0.0.3" } })],
                workers: [node("w1", "10.0.0.4", { connection: { host: "10.0.0.4" }, labels: { disk: "ssd" } })],
            });
        });
        const by = Object.fromEntries(rs.map((r) => [r.name, r]));
        assert.deepStrictEqual(rs.map((r) => `${r.type} ${r.name}`).sort(), [
            "command:local:Command prod-init-m1",
            "command:local:Command prod-labels-m1",
            "command:local:Command prod-labels-w1",
            "command:local:Command prod-token-manager",
            "command:local:Command prod-token-worker",
            "command:remote:Command prod-join-m2",
            "command:remote:Command prod-join-m3",
            "command:remote:Command prod-join-w1",
            "dockyard:swarm:SwarmCluster prod",
            "pulumi:providers:docker prod-provider",
        ]);
        assert.match(by["prod-init-m1"].inputs.create as string, /docker swarm init --advertise-addr 10.0.0.1 --listen-addr 10.0.0.1:2377/);
        // The token command is a secret, so that its output (the token) is neither streamed nor logged.
        assert.strictEqual(by["prod-token-worker"].inputs.create, "[secret]");
        assert.deepStrictEqual(by["prod-token-worker"].dependsOn, ["prod-init-m1"]);
        // Managers join one at a time with the manager token, workers with the worker token, both on stdin.
        assert.match(by["prod-join-m2"].inputs.create as string, /docker swarm join --token "\$\(cat\)" --advertise-addr 10.0.0.2 --listen-addr 10.0.0.2:2377 10.0.0.1:2377/);
        assert.deepStrictEqual(by["prod-join-m3"].dependsOn.sort(), ["prod-join-m2", "prod-token-manager"]);
        assert.strictEqual(by["prod-join-m2"].inputs.stdin, "[secret]");
        assert.strictEqual(by["prod-join-w1"].inputs.stdin, "[secret]");
        assert.deepStrictEqual(by["prod-join-m2"].inputs.connection, { host: "10.0.0.2", port: 22, user: "ops" });
        assert.strictEqual(by["prod-labels-w1"].inputs.create, `docker node update --label-add disk=ssd "$(cat)" > /dev/null`);
        assert.deepStrictEqual(by["prod-labels-w1"].dependsOn.sort(), ["prod-init-m1", "prod-join-m2", "prod-join-m3", "prod-join-w1"]);
        assert.ok(cluster!.target instanceof SwarmTarget);
        assert.strictEqual(by["prod-join-m2"].inputs.delete, undefined);
    });

    it("describes a single-node swarm on the local engine", async () => {
        let cluster: SwarmCluster | undefined;
        const rs = await render(() => {
            cluster = SwarmCluster.singleNode("dev");
        });
        assert.deepStrictEqual(rs.map((r) => `${r.type} ${r.name}`).sort(), [
            "command:local:Command dev-init-local",
            "command:local:Command dev-token-manager",
            "command:local:Command dev-token-worker",
            "dockyard:swarm:SwarmCluster dev",
            "pulumi:providers:docker dev-provider",
        ]);
        const init = rs.find((r) => r.name === "dev-init-local")!;
        assert.match(init.inputs.create as string, /= active \] \|\| docker swarm init --advertise-addr 127.0.0.1 --listen-addr 127.0.0.1:2377/);
        assert.strictEqual(cluster!.target.kind, "swarm");
    });

    it("keeps its defaults when arguments are given as undefined (a stack setting left out)", async () => {
        const rs = await render(() => {
            SwarmCluster.singleNode("dev", { address: undefined, host: undefined, labels: undefined });
            new SwarmCluster("pair", { managers: [node("m1", "127.0.0.1")], workers: undefined, port: undefined, leaveOnDelete: undefined });
        });
        for (const name of ["dev-init-local", "pair-init-m1"]) {
            assert.match(rs.find((r) => r.name === name)!.inputs.create as string, /--listen-addr 127\.0\.0\.1:2377/, name);
        }
    });
});
