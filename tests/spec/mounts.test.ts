import * as assert from "assert";
import { parseMount } from "../../components/spec/mounts";
import { assertSpecError } from "../harness";

describe("spec/mounts (Compose volume syntax)", () => {
    const ctx = { projectDir: "/srv/app", homeDir: "/home/u" };
    it("rejects empty sections between colons, as Compose does", () => {
        // Typically `${UNSET}:/media`, which interpolates to ":/media".
        assertSpecError(() => parseMount(":/media/", "services.plex.volumes[0]", ctx), "services.plex.volumes[0]", "empty section between colons", '":/media/"');
        assertSpecError(() => parseMount("data::/x", "v", ctx), "empty section between colons");
        assertSpecError(() => parseMount("data:/x:", "v", ctx), "empty section between colons");
    });
    it("still reads a lone container path as an anonymous volume", () => {
        assert.deepStrictEqual(parseMount("/data", "v", ctx), { type: "volume", target: "/data", readOnly: false });
    });
});
