/**
 * Multi-document Compose files: a marker after content separates documents (compose-go reads each
 * as a layer); a leading `---`, or one after comments only, does not, and the file is parsed once.
 */
import * as assert from "assert";
import { parseComposeDocuments } from "../../components/compose/documents";

describe("compose/documents", () => {
    it("a leading marker, after comments or not, leaves one document", () => {
        for (const text of ["---\nservices: {}\n", "# header\n\n---\nservices: {}\n", "services: {}\n"]) {
            assert.strictEqual(parseComposeDocuments(text, "compose.yaml").length, 1, JSON.stringify(text));
        }
    });

    it("a marker after content separates documents; empty ones are left out", () => {
        assert.strictEqual(parseComposeDocuments("services: {}\n---\nname: x\n", "compose.yaml").length, 2);
        assert.strictEqual(parseComposeDocuments("---\nservices: {}\n---\n", "compose.yaml").length, 1);
        assert.strictEqual(parseComposeDocuments("services: {}\n...\n---\nname: x\n", "compose.yaml").length, 2);
    });
});
