import * as assert from "assert";
import * as path from "path";
import { ComposeError, loadCompose } from "../../components/compose";
import { REPO_ROOT, assertSpecError } from "../harness";
import { loadProject } from "./project";

const FIXTURES = path.join(REPO_ROOT, "tests", "compose", "fixtures", "errors");
const load = (file: string, options = {}) => () => loadCompose(path.join(FIXTURES, file), { projectName: "shop", env: {}, onWarning: () => undefined, ...options });

describe("compose/errors", () => {
    it("unknown key: names file, line, path, the key and a suggestion", () => {
        const e = assertSpecError(load("unknown-key.yaml"), `${FIXTURES}/unknown-key.yaml:4`, "services.web.portz", 'unknown key "portz"', 'did you mean "ports"', '["80:80"]');
        assert.ok(e instanceof ComposeError);
        assert.deepStrictEqual([e.file, e.line, e.path, e.value], [path.join(FIXTURES, "unknown-key.yaml"), 4, "services.web.portz", ["80:80"]]);
    });
    it("port 80/xyz", () => {
        assertSpecError(load("port-protocol.yaml"), "port-protocol.yaml:6", "services.web.ports[1]", 'unknown protocol "xyz"', '"80/xyz"');
    });
    it("port 9999999", () => {
        assertSpecError(load("port-range.yaml"), "port-range.yaml:5", "services.web.ports[0]", "out of range", "9999999");
    });
    it("undefined volume", () => {
        assertSpecError(load("undefined-volume.yaml"), "undefined-volume.yaml:5", "services.db.volumes[0]", 'undefined volume "pgdata"', '"pgdata"');
    });
    it("unset ${VAR:?message}", () => {
        // The value of a variable named like a password is not shown, only its kind.
        assertSpecError(load("required-variable.yaml"), "required-variable.yaml:5", "services.db.environment.POSTGRES_PASSWORD", "required variable DB_PASSWORD is missing a value: set DB_PASSWORD in .env", "(got a string of 39 characters, not shown");
        assert.strictEqual(load("required-variable.yaml", { env: { DB_PASSWORD: "s3cret" } })().services.db.environment.POSTGRES_PASSWORD, "s3cret");
    });
    it("normalizer paths come back in Compose names", () => {
        assertSpecError(load("bad-duration.yaml"), "bad-duration.yaml:6", "services.db.healthcheck.start_period", '"soon"');
        assertSpecError(() => loadProject({ "compose.yaml": "services:\n  myWeb:\n    image: x\n    deploy:\n      restart_policy:\n        max_attempts: -1\n" }),
            "services.myWeb.deploy.restart_policy.max_attempts", "-1");
        assertSpecError(() => loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    scale: -1\n" }), "compose.yaml:4", "services.a.scale", "-1");
        assertSpecError(() => loadProject({ "compose.yaml": "services:\n  a:\n    image: x\n    mem_limit: lots\n" }), "services.a.mem_limit", '"lots"');
    });
    it("YAML syntax errors name the line", () => {
        assertSpecError(load("bad-yaml.yaml"), "bad-yaml.yaml:4", "invalid YAML");
    });
    it("cross-reference checks fire with Compose names", () => {
        const bad = (yaml: string, ...parts: string[]) => assertSpecError(() => loadProject({ "compose.yaml": yaml }), "compose.yaml", ...parts);
        bad("services:\n  a:\n    image: x\n    networks: [nope]\n", "services.a.networks", 'undefined network "nope"');
        bad("services:\n  a:\n    image: x\n    secrets: [nope]\n", "services.a.secrets[0]", 'undefined secret "nope"');
        bad("services:\n  a:\n    image: x\n    configs: [nope]\n", "services.a.configs[0]", 'undefined config "nope"');
        bad("services:\n  a:\n    image: x\n    depends_on: [nope]\n", "services.a.depends_on", 'undefined service "nope"');
        bad("services:\n  a:\n    image: x\n    network_mode: host\n    networks: [default]\n", "services.a.network_mode", "network_mode and networks");
        bad("services:\n  a:\n    build: {}\n    deploy: { replicas: -2 }\n", "services.a.deploy.replicas", "-2");
        bad("services:\n  a:\n    restart: always\n", "services.a", "needs an image or a build");
        bad("services:\n  a:\n    image: x\n    volumes: [':/media']\n", "services.a.volumes[0]", "empty section between colons", '":/media"');
        bad("services:\n  a:\n    image: x\n    privileged: maybe\n", "services.a.privileged", "true or false", '"maybe"');
        bad("services:\n  a:\n    image: x\n    ports: [{ published: 80 }]\n", "services.a.ports[0]", "a port needs a target", '{"published":80}');
        bad("services:\n  a:\n    image: [x]\n", "services.a.image", "must be string");
        bad("include: [other.yaml]\nservices:\n  a:\n    image: x\n", "compose.yaml:1", "include[0]", "included Compose file", "other.yaml not found", '"other.yaml"');
    });
    it("a missing file is named", () => {
        assertSpecError(() => loadCompose("/nonexistent/compose.yaml", { env: {}, onWarning: () => undefined }), "/nonexistent/compose.yaml", "cannot read Compose file");
    });
});
