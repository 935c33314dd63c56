import * as assert from "assert";
import { withDefaultTag } from "../../components/spec/images";

describe("withDefaultTag", () => {
    it("adds the tag Docker implies, as the Swarm engine reads a service's image back", () => {
        assert.strictEqual(withDefaultTag("prom/prometheus"), "prom/prometheus:latest");
        assert.strictEqual(withDefaultTag("nginx"), "nginx:latest");
        assert.strictEqual(withDefaultTag("localhost:5000/app"), "localhost:5000/app:latest");
    });
    it("keeps a tag or a digest as written", () => {
        assert.strictEqual(withDefaultTag("nginx:1.27"), "nginx:1.27");
        assert.strictEqual(withDefaultTag("localhost:5000/app:v2"), "localhost:5000/app:v2");
        assert.strictEqual(withDefaultTag("nginx@sha256:abc"), "nginx@sha256:abc");
        assert.strictEqual(withDefaultTag("nginx:1.27@sha256:abc"), "nginx:1.27@sha256:abc");
    });
});
