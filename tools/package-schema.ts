/**
 * Writes the component package's schema (components/package/schema.ts) to
 * pulumi-package/schema.json, and records its hash for the package's version in
 * pulumi-package/schema-versions.json.
 *
 *   npm run package:schema    # after changing the schema, with a new version in package.json
 *
 * The SDKs other languages generate from the schema carry its version, so one version must mean
 * one schema: a version already recorded with another hash is refused (bump the version first).
 * tests/package/schema.test.ts checks that the committed files are current.
 */
import { createHash } from "crypto";
import * as fs from "fs";
import * as path from "path";
import { packageVersion, schemaText } from "../components/package/schema";

export const PACKAGE_DIR = path.resolve(__dirname, "..", "..", "pulumi-package");
export const SCHEMA_FILE = path.join(PACKAGE_DIR, "schema.json");
export const VERSIONS_FILE = path.join(PACKAGE_DIR, "schema-versions.json");

/** The hash of a schema, its version left out (so the same schema at two versions hashes alike). */
export function schemaHash(text: string): string {
    const { version: _, ...rest } = JSON.parse(text) as Record<string, unknown>;
    return "sha256:" + createHash("sha256").update(JSON.stringify(rest)).digest("hex");
}

/** The recorded hash of every version. */
export function recordedVersions(): Record<string, string> {
    return fs.existsSync(VERSIONS_FILE) ? (JSON.parse(fs.readFileSync(VERSIONS_FILE, "utf8")) as Record<string, string>) : {};
}

/** Why the schema of `version` may not be recorded as `hash`, or undefined when it may. */
export function versionConflict(versions: Record<string, string>, version: string, hash: string): string | undefined {
    const recorded = versions[version];
    if (recorded === undefined || recorded === hash) return undefined;
    return `the schema changed, but version ${version} was released with another schema (${recorded}): SDKs generated from either would claim the same version. Bump "version" in package.json, then run npm run package:schema.`;
}

function main(): void {
    const version = packageVersion();
    const text = schemaText(version);
    const hash = schemaHash(text);
    const versions = recordedVersions();
    const conflict = versionConflict(versions, version, hash);
    if (conflict) {
        console.error(`package:schema: ${conflict}`);
        process.exit(1);
    }
    // Replaced, not rewritten in place: the rename moves the folder's modification time, which is
    // what Pulumi's schema cache (schema-dockyard*.json beside the folder, see .gitignore) compares
    // its copy with; an edit in place would leave programs on the cached, older schema.
    const tmp = `${SCHEMA_FILE}.${process.pid}.tmp`;
    fs.writeFileSync(tmp, text);
    fs.renameSync(tmp, SCHEMA_FILE);
    fs.writeFileSync(VERSIONS_FILE, JSON.stringify({ ...versions, [version]: hash }, null, 2) + "\n");
    console.log(`package:schema: wrote ${path.relative(process.cwd(), SCHEMA_FILE)} (version ${version}, ${hash})`);
}

if (require.main === module) main();
