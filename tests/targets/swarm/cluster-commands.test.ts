import * as assert from "assert";
import {
    initCommand, joinCommand, joinTokenCommand, labelAddCommand, labelRemoveCommand, leaveCommand, shellQuote,
} from "../../../components/targets/swarm/cluster-commands";

describe("targets/swarm/cluster-commands", () => {
    it("quotes for a POSIX shell only when needed", () => {
        assert.strictEqual(shellQuote("10.0.0.1:2377"), "10.0.0.1:2377");
        assert.strictEqual(shellQuote("zone=eu west"), "'zone=eu west'");
        assert.strictEqual(shellQuote("it's"), `'it'"'"'s'`);
    });

    it("initializes the swarm only when the engine is not in one, and prints the node id", () => {
        assert.strictEqual(
            initCommand("10.0.0.1"),
            [
                "set -e",
                `[ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ] || docker swarm init --advertise-addr 10.0.0.1 --listen-addr 10.0.0.1:2377 > /dev/null`,
                "docker info --format '{{.Swarm.NodeID}}'",
            ].join("\n"),
        );
        assert.match(initCommand("fd00::1", 4000), /--advertise-addr fd00::1 --listen-addr '\[fd00::1\]:4000'/);
    });

    it("joins with the token from stdin, never on the command line", () => {
        assert.strictEqual(
            joinCommand("10.0.0.2", "10.0.0.1"),
            [
                "set -e",
                `[ "$(docker info --format '{{.Swarm.LocalNodeState}}')" = active ] || docker swarm join --token "$(cat)" --advertise-addr 10.0.0.2 --listen-addr 10.0.0.2:2377 10.0.0.1:2377 > /dev/null`,
                "docker info --format '{{.Swarm.NodeID}}'",
            ].join("\n"),
        );
        assert.strictEqual(joinTokenCommand("manager"), "docker swarm join-token -q manager");
    });

    it("adds and removes node labels, sorted by key, for the node id on stdin", () => {
        assert.strictEqual(labelAddCommand({ zone: "eu west", disk: "ssd" }), `docker node update --label-add disk=ssd --label-add 'zone=eu west' "$(cat)" > /dev/null`);
        assert.strictEqual(labelRemoveCommand({ zone: "a", disk: "ssd" }), `docker node update --label-rm disk --label-rm zone "$(cat)" > /dev/null || true`);
        assert.strictEqual(leaveCommand(), "docker swarm leave --force > /dev/null || true");
    });
});
