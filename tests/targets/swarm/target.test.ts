import * as assert from "assert";
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { render, RenderedResource, SECRET, UNKNOWN } from "../../../components/render";
import { defineApp } from "../../../components/spec/normalize";
import { AppSpec } from "../../../components/spec/types";
import { endpointsOf, SwarmTarget } from "../../../components/targets/swarm";
import { deployApp } from "../../../components/targets/target";
import { assertSpecError, promiseOf } from "../../harness";

class Holder extends pulumi.ComponentResource {
    constructor(name: string) {
        super("test:index:Holder", name, {});
    }
}

const shop = (): AppSpec =>
    defineApp({
        name: "shop",
        services: {
            web: { image: "nginx:1.27", ports: ["8080:80", "53:53/udp", "9000"], dependsOn: { api: { condition: "service_healthy" } }, configs: ["site"] },
            api: { image: "api:1", secrets: ["db_pw"], healthcheck: { test: "true" }, networks: ["default", "back"] },
        },
        networks: { back: { internal: true } },
        volumes: { data: {} },
        secrets: { db_pw: { content: "hunter2" }, unused: { content: "x" } },
        configs: { site: { content: "server {}" } },
    });

function deployShop(endpoints?: (e: pulumi.Output<Record<string, string[]>>) => void) {
    return () => {
        const provider = new docker.Provider("mgr", {});
        const parent = new Holder("app");
        const deployed = deployApp(new SwarmTarget({ provider, host: "swarm.example" }), shop(), { name: "shop", parent, labels: { env: "staging" } });
        endpoints?.(deployed.endpoints);
    };
}

const byName = (rs: RenderedResource[], name: string) => {
    const r = rs.find((x) => x.name === name);
    assert.ok(r, `no resource named ${name} in ${rs.map((x) => x.name).join(", ")}`);
    return r;
};

describe("targets/swarm SwarmTarget", () => {
    it("creates networks, volumes, the used secrets and configs, and services under the parent", async () => {
        const rs = await render(deployShop());
        const mine = rs.filter((r) => r.parent === "app").map((r) => `${r.type} ${r.name}`).sort();
        assert.deepStrictEqual(mine, [
            "docker:index/network:Network shop-network-back",
            "docker:index/network:Network shop-network-default",
            "docker:index/secret:Secret shop-secret-db_pw",
            "docker:index/service:Service shop-api",
            "docker:index/service:Service shop-web",
            "docker:index/serviceConfig:ServiceConfig shop-config-site",
            "docker:index/volume:Volume shop-volume-data",
        ]);
    });

    it("keeps secret contents secret and base64-encodes configs", async () => {
        const rs = await render(deployShop());
        assert.strictEqual(byName(rs, "shop-secret-db_pw").inputs.data, SECRET);
        assert.strictEqual(byName(rs, "shop-config-site").inputs.data, Buffer.from("server {}").toString("base64"));
        // No explicit name: the provider auto-names, so a changed (immutable) secret can be replaced before the old one goes.
        assert.strictEqual(byName(rs, "shop-secret-db_pw").inputs.name, undefined);
    });

    it("attaches networks by id and references secrets by id", async () => {
        const rs = await render(deployShop());
        const api = byName(rs, "shop-api").inputs as { taskSpec: { networksAdvanceds: unknown; containerSpec: { secrets: unknown } }; convergeConfig: unknown };
        assert.deepStrictEqual(api.taskSpec.networksAdvanceds, [
            { aliases: ["api"], id: "shop-network-back-id" },
            { aliases: ["api"], id: "shop-network-default-id" },
        ]);
        assert.deepStrictEqual(api.taskSpec.containerSpec.secrets, [
            { fileGid: "0", fileMode: 0o444, fileName: "/run/secrets/db_pw", fileUid: "0", secretId: "shop-secret-db_pw-id", secretName: UNKNOWN },
        ]);
        assert.deepStrictEqual(api.convergeConfig, { delay: "7s", timeout: "3m" });
    });

    it("creates a service after the services it depends on", async () => {
        const rs = await render(deployShop());
        assert.ok(byName(rs, "shop-web").dependsOn.includes("shop-api"));
        assert.ok(byName(rs, "shop-web").dependsOn.includes("shop-config-site"));
    });

    it("reports published ports at the advertised host", async () => {
        let endpoints: pulumi.Output<Record<string, string[]>> | undefined;
        await render(deployShop((e) => (endpoints = e)));
        assert.deepStrictEqual(await promiseOf(endpoints!), { web: ["swarm.example:8080", "swarm.example:53/udp"] });
        assert.deepStrictEqual(endpointsOf(shop(), "::1"), { web: ["[::1]:8080", "[::1]:53/udp"] });
    });

    it("fails before creating anything when Swarm cannot run the app", async () => {
        const spec = defineApp({ name: "bad", services: { web: { image: "x", networkMode: "host" } } });
        const rs = await render(() => {
            const parent = new Holder("app");
            assertSpecError(() => deployApp(new SwarmTarget({ provider: new docker.Provider("mgr", {}) }), spec, { name: "bad", parent }), "services.web.networkMode");
        });
        assert.deepStrictEqual(rs.filter((r) => r.parent === "app"), []);
    });
});
