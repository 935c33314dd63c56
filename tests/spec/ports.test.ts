import * as assert from "assert";
import { parseExpose, parsePort } from "../../components/spec/ports";
import { assertSpecError } from "../harness";

describe("spec/ports", () => {
    const cases: [string | number | object, object[]][] = [
        [80, [{ target: 80, protocol: "tcp", mode: "ingress" }]],
        ["80", [{ target: 80, protocol: "tcp", mode: "ingress" }]],
        ["8080:80", [{ target: 80, published: 8080, protocol: "tcp", mode: "ingress" }]],
        ["127.0.0.1:8080:80", [{ target: 80, published: 8080, hostIp: "127.0.0.1", protocol: "tcp", mode: "ingress" }]],
        ["127.0.0.1::80", [{ target: 80, hostIp: "127.0.0.1", protocol: "tcp", mode: "ingress" }]],
        ["[::1]:8080:80", [{ target: 80, published: 8080, hostIp: "::1", protocol: "tcp", mode: "ingress" }]],
        ["53:53/udp", [{ target: 53, published: 53, protocol: "udp", mode: "ingress" }]],
        ["3000-3001", [{ target: 3000, protocol: "tcp", mode: "ingress" }, { target: 3001, protocol: "tcp", mode: "ingress" }]],
        ["9090-9091:8080-8081", [
            { target: 8080, published: 9090, protocol: "tcp", mode: "ingress" },
            { target: 8081, published: 9091, protocol: "tcp", mode: "ingress" },
        ]],
        ["127.0.0.1:5000-5001:6000-6001/udp", [
            { target: 6000, published: 5000, hostIp: "127.0.0.1", protocol: "udp", mode: "ingress" },
            { target: 6001, published: 5001, hostIp: "127.0.0.1", protocol: "udp", mode: "ingress" },
        ]],
        [{ target: 80, published: "8080", protocol: "tcp", mode: "host", hostIp: "0.0.0.0", name: "web" },
            [{ target: 80, published: 8080, protocol: "tcp", mode: "host", hostIp: "0.0.0.0", name: "web" }]],
        [{ target: 443 }, [{ target: 443, protocol: "tcp", mode: "ingress" }]],
    ];
    for (const [input, expected] of cases) {
        it(`parses ${JSON.stringify(input)}`, () => {
            assert.deepStrictEqual(parsePort(input as never, "services.web.ports[0]"), expected);
        });
    }

    it("rejects an unknown protocol, naming path and value", () => {
        assertSpecError(() => parsePort("80/xyz", "services.web.ports[1]"), "services.web.ports[1]", "xyz", '"80/xyz"');
    });
    it("rejects a port out of range", () => {
        assertSpecError(() => parsePort("9999999", "services.web.ports[0]"), "out of range", "9999999");
        assertSpecError(() => parsePort("0:80", "services.web.ports[0]"), "out of range");
    });
    it("rejects ranges of different lengths and reversed ranges", () => {
        assertSpecError(() => parsePort("8000-8002:80-81", "p"), "different lengths");
        assertSpecError(() => parsePort("81-80", "p"), "ends before it starts");
    });
    it("rejects a bad long-form mode", () => {
        assertSpecError(() => parsePort({ target: 80, mode: "bridge" }, "p"), "p.mode", "bridge");
    });
    it("parses expose entries", () => {
        assert.deepStrictEqual(parseExpose(3306, "e"), [{ target: 3306, protocol: "tcp" }]);
        assert.deepStrictEqual(parseExpose("53/udp", "e"), [{ target: 53, protocol: "udp" }]);
        assert.deepStrictEqual(parseExpose("7000-7001", "e"), [{ target: 7000, protocol: "tcp" }, { target: 7001, protocol: "tcp" }]);
    });
});
