import * as assert from "assert";
import * as path from "path";
import { loadCompose } from "../../components/compose";
import { REPO_ROOT, assertSpecError } from "../harness";
import { loadProject } from "./project";

const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures");
const load = (file: string, options = {}) => loadCompose(file, { projectName: "shop", env: {}, onWarning: () => undefined, ...options });

describe("compose/extends", () => {
    const spec = load(path.join(FIXTURES, "extends/compose.yaml"));

    it("extends a service of the same file", () => {
        const web = spec.services.web;
        assert.deepStrictEqual([web.image, web.labels, web.capDrop], ["shop/web:2", { team: "shop", role: "web" }, ["ALL"]]);
    });

    it("extends a service of another file, through its own extends, rebasing its relative paths", () => {
        const jobs = spec.services.jobs;
        assert.strictEqual(jobs.image, "shop/base:1");
        assert.deepStrictEqual(jobs.command, ["worker", "--queue", "default"]);
        assert.deepStrictEqual(jobs.environment, { FROM_BASE_ENV: "1", REGION: "eu", TIER: "jobs" });
        assert.deepStrictEqual(jobs.mounts, [
            // Rebased to an absolute path in the project: still a file of the project.
            { type: "bind", source: path.join(FIXTURES, "extends/common/scripts"), target: "/scripts", readOnly: true, createHostPath: true, projectDir: path.join(FIXTURES, "extends") },
        ]);
        assert.deepStrictEqual(jobs.restart, { policy: "always" });
        assert.deepStrictEqual(jobs.ports, [{ target: 9000, published: 9000, protocol: "tcp", mode: "ingress" }]);
        // The services of the other file are not part of the project.
        assert.deepStrictEqual(Object.keys(spec.services), ["defaults", "web", "jobs"]);
    });

    it("fails on a missing base service and on cycles", () => {
        assertSpecError(() => loadProject({ "compose.yaml": "services:\n  a:\n    extends: nope\n" }), "compose.yaml", "services.a.extends", 'cannot extend service "nope"');
        assertSpecError(
            () => loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    extends: b\n  b:\n    image: y\n    extends: a\n" }),
            "services.a.extends", "cycle: a -> b -> a",
        );
    });
});
