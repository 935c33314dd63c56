import * as assert from "assert";
import { defineApp } from "../../components/spec/normalize";
import { dependencyOrder } from "../../components/spec/order";

describe("spec/order", () => {
    it("puts every service after its dependencies, keeping the written order otherwise", () => {
        const spec = defineApp({
            name: "shop",
            services: {
                web: { image: "w", dependsOn: ["api", "cache"] },
                api: { image: "a", dependsOn: { db: { condition: "service_healthy" } } },
                worker: { image: "k" },
                db: { image: "d", healthcheck: { test: "true" } },
                cache: { image: "c" },
                sidecar: { image: "s", networkMode: "service:web" },
            },
        });
        assert.deepStrictEqual(dependencyOrder(spec).map((s) => s.name), ["db", "api", "cache", "web", "worker", "sidecar"]);
    });
});
