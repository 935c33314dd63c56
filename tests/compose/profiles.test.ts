import * as assert from "assert";
import * as path from "path";
import { loadCompose } from "../../components/compose";
import { REPO_ROOT, assertSpecError } from "../harness";

const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures", "profiles");
const load = (file: string, options = {}) => loadCompose(path.join(FIXTURES, file), { projectName: "shop", env: {}, onWarning: () => undefined, ...options });

describe("compose/profiles", () => {
    it("leaves out services of inactive profiles and optional dependencies on them", () => {
        const spec = load("compose.yaml");
        assert.deepStrictEqual(Object.keys(spec.services), ["web", "db"]);
        assert.deepStrictEqual(spec.services.web.dependsOn, [{ service: "db", condition: "started", required: true, restart: false }]);
    });

    it("includes services of any active profile (option, or COMPOSE_PROFILES)", () => {
        assert.deepStrictEqual(Object.keys(load("compose.yaml", { profiles: ["ops"] }).services), ["web", "db", "admin"]);
        assert.deepStrictEqual(Object.keys(load("compose.yaml", { env: { COMPOSE_PROFILES: "debug, admin" } }).services), ["web", "db", "debugger", "admin"]);
        assert.deepStrictEqual(
            load("compose.yaml", { profiles: ["debug"] }).services.web.dependsOn.map((d) => d.service),
            ["db", "debugger"],
        );
    });

    it("fails when a running service needs a left-out one, and says which profile brings it in", () => {
        assertSpecError(() => load("needs-disabled.yaml"), "needs-disabled.yaml", "services.web.depends_on", '"metrics"', "left out", "monitoring");
        assert.deepStrictEqual(Object.keys(load("needs-disabled.yaml", { profiles: ["monitoring"] }).services), ["web", "metrics"]);
    });
});
