import * as assert from "assert";
import { renderStack } from "../../cli/dockyard";
import { RenderedResource, SECRET } from "../../components/render";
import { REPO_ROOT, resourceNamed } from "../harness";

describe("stacks/staging", () => {
    let resources: RenderedResource[];
    before(async () => {
        resources = await renderStack("staging", REPO_ROOT);
    });
    const byName = (name: string) => resourceNamed(resources, name);

    it("forms a single-node swarm on the local engine and deploys through its manager", () => {
        assert.strictEqual(byName("swarm").type, "dockyard:swarm:SwarmCluster");
        assert.ok(resources.some((r) => r.type === "command:local:Command" && r.parent === "swarm"));
        const services = resources.filter((r) => r.type === "docker:index/service:Service").map((r) => r.name).sort();
        assert.ok(services.includes("wordpress-wordpress") && services.includes("wordpress-db"), services.join(", "));
    });

    it("runs WordPress with 2 replicas and the staging limits and reservations", () => {
        const wp = byName("wordpress-wordpress").inputs as { mode: unknown; taskSpec: { resources: unknown } };
        assert.deepStrictEqual(wp.mode, { replicated: { replicas: 2 } });
        assert.deepStrictEqual(wp.taskSpec.resources, {
            limits: { memoryBytes: 512 * 1024 ** 2, nanoCpus: 500_000_000 },
            reservation: { memoryBytes: 256 * 1024 ** 2, nanoCpus: 250_000_000 },
        });
    });

    it("keeps the database password in a Swarm secret, mounted as a file", () => {
        const secret = resources.find((r) => r.type === "docker:index/secret:Secret" && r.name === "wordpress-secret-db_password");
        assert.ok(secret);
        assert.strictEqual(secret.inputs.data, SECRET);
        const db = byName("wordpress-db").inputs as { taskSpec: { containerSpec: { secrets: { fileName: string }[]; env: Record<string, string> } } };
        assert.deepStrictEqual(db.taskSpec.containerSpec.secrets.map((s) => s.fileName), ["/run/secrets/db_password"]);
        assert.strictEqual(db.taskSpec.containerSpec.env.MYSQL_PASSWORD_FILE, "/run/secrets/db_password");
    });

    it("runs cAdvisor and node-exporter on every node", () => {
        for (const name of ["monitoring-cadvisor", "monitoring-node-exporter"]) {
            assert.deepStrictEqual((byName(name).inputs as { mode: unknown }).mode, { global: true });
        }
    });
});
