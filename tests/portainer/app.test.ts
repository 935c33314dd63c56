import * as assert from "assert";
import * as pulumi from "@pulumi/pulumi";
import { portainerApp } from "../../components/portainer";
import { ServiceSpec } from "../../components/spec/types";
import { assertSpecError, promiseOf } from "../harness";
import { on } from "../targets/discovery";

const binds = (s: ServiceSpec) => s.mounts.map((m) => `${m.type === "tmpfs" ? "" : m.source}:${m.target}`);
const published = (s: ServiceSpec) => s.ports.map((p) => `${p.published}:${p.target}`);

describe("portainer: portainerApp", () => {
    it("Docker host: the server with the engine socket and a data volume", async () => {
        const app = portainerApp({ adminPassword: "s3cret" }, on("docker"));
        assert.deepStrictEqual(Object.keys(app.services), ["portainer"]);
        const s = app.services.portainer;
        assert.strictEqual(s.image, "portainer/portainer-ce:2.21.5");
        assert.deepStrictEqual(s.command, ["-H", "unix:///var/run/docker.sock", "--admin-password-file", "/run/secrets/portainer-admin-password"]);
        assert.deepStrictEqual(binds(s), ["/var/run/docker.sock:/var/run/docker.sock", "data:/data"]);
        assert.deepStrictEqual(published(s), ["9443:9443"]);
        assert.deepStrictEqual(s.secrets, [{ source: "portainer-admin-password", target: "/run/secrets/portainer-admin-password" }]);
        assert.deepStrictEqual(s.restart, { policy: "always" });
        assert.deepStrictEqual(Object.keys(app.volumes), ["data"]);
        const content = app.secrets["portainer-admin-password"].content as pulumi.Output<string>;
        assert.strictEqual(await pulumi.isSecret(content), true);
        assert.strictEqual(await promiseOf(content), "s3cret");
    });

    it("Swarm: agent on every node, server on a manager, both on an attachable overlay", () => {
        const app = portainerApp({ adminPassword: "s3cret", port: 10443 }, on("swarm"));
        assert.deepStrictEqual(Object.keys(app.services), ["agent", "portainer"]);
        const { agent, portainer } = app.services;
        assert.strictEqual(agent.mode, "global");
        assert.deepStrictEqual(agent.deploy.placement.constraints, ["node.platform.os == linux"]);
        assert.deepStrictEqual(agent.environment, { AGENT_CLUSTER_ADDR: "tasks.agent" });
        assert.deepStrictEqual(binds(agent), ["/var/run/docker.sock:/var/run/docker.sock", "/var/lib/docker/volumes:/var/lib/docker/volumes"]);
        assert.deepStrictEqual(published(agent), []);
        assert.deepStrictEqual([portainer.mode, portainer.replicas], ["replicated", 1]);
        assert.deepStrictEqual(portainer.deploy.placement.constraints, ["node.role == manager"]);
        assert.deepStrictEqual(portainer.command, ["-H", "tcp://tasks.agent:9001", "--tlsskipverify", "--admin-password-file", "/run/secrets/portainer-admin-password"]);
        assert.deepStrictEqual(binds(portainer), ["data:/data"]);
        assert.deepStrictEqual(published(portainer), ["10443:9443"]);
        assert.deepStrictEqual([agent.networks.map((n) => n.network), portainer.networks.map((n) => n.network)], [["agent-network"], ["agent-network"]]);
        assert.deepStrictEqual([app.networks["agent-network"].driver, app.networks["agent-network"].attachable], ["overlay", true]);
    });

    it("refuses Kubernetes with a clear error", () => {
        assertSpecError(() => portainerApp({ adminPassword: "x" }, on("kubernetes")), "portainer.target", '"kubernetes"', "Helm chart");
    });

    it("rejects a missing password and a bad port", () => {
        assertSpecError(() => portainerApp({}, on("docker")), "portainer.adminPassword", "admin password");
        assertSpecError(() => portainerApp({ adminPassword: "x", port: 0 }, on("docker")), "portainer.port", "0");
    });
});
