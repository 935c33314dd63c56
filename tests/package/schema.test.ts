import * as assert from "assert";
import * as fs from "fs";
import { packageSchema, packageVersion, schemaText } from "../../components/package/schema";
import { RUNTIME_KEYS } from "../../components/runtime";
import { SCHEMA_FILE, VERSIONS_FILE, recordedVersions, schemaHash, versionConflict } from "../../tools/package-schema";

type Schema = { types: Record<string, { properties: Record<string, unknown> }>; resources: Record<string, { inputProperties: Record<string, unknown>; properties: Record<string, unknown>; required?: string[]; requiredInputs?: string[] }> };

describe("component package schema", () => {
    it("is committed as generated, at the repository's version (npm run package:schema)", () => {
        assert.strictEqual(fs.readFileSync(SCHEMA_FILE, "utf8"), schemaText(), "pulumi-package/schema.json is stale: run npm run package:schema");
        assert.strictEqual(JSON.parse(fs.readFileSync(SCHEMA_FILE, "utf8")).version, packageVersion());
        assert.strictEqual(packageVersion(), JSON.parse(fs.readFileSync(`${__dirname}/../../../package.json`, "utf8")).version);
    });

    it("has its hash recorded for the version: a schema change without a new version fails here", () => {
        const versions = recordedVersions();
        const version = packageVersion();
        assert.ok(versions[version], `${VERSIONS_FILE} has no entry for ${version}: run npm run package:schema`);
        const conflict = versionConflict(versions, version, schemaHash(schemaText()));
        assert.strictEqual(conflict, undefined, conflict);
    });

    it("refuses to record a changed schema under a released version, and takes it under a new one", () => {
        const text = schemaText("1.2.3");
        const changed = JSON.stringify({ ...JSON.parse(text), description: "another" });
        const versions = { "1.2.3": schemaHash(text) };
        assert.strictEqual(versionConflict(versions, "1.2.3", schemaHash(text)), undefined);
        assert.match(versionConflict(versions, "1.2.3", schemaHash(changed)) ?? "", /version 1\.2\.3 was released with another schema.*Bump "version" in package\.json/);
        assert.strictEqual(versionConflict(versions, "1.2.4", schemaHash(changed)), undefined);
        // The version itself is not part of the hash: a bump alone is no schema change.
        assert.strictEqual(schemaHash(schemaText("9.9.9")), schemaHash(text));
    });

    it("refers only to types it defines, and its runtime types hold exactly the settings runtimeOf takes", () => {
        const schema = packageSchema() as unknown as Schema;
        const refs = JSON.stringify(schema).match(/"\$ref":"[^"]+"/g) ?? [];
        for (const r of refs) {
            const target = r.slice(8, -1);
            if (target === "pulumi.json#/Any") continue;
            assert.ok(target.startsWith("#/types/") && schema.types[target.slice(8)], `${r} is not defined`);
        }
        for (const [kind, keys] of Object.entries(RUNTIME_KEYS)) {
            const type = `dockyard:index:${kind[0].toUpperCase()}${kind.slice(1)}Runtime`;
            assert.deepStrictEqual(Object.keys(schema.types[type].properties).sort(), [...keys].sort(), type);
        }
        assert.deepStrictEqual(Object.keys(schema.types["dockyard:index:Runtime"].properties).sort(), Object.keys(RUNTIME_KEYS).sort());
        assert.deepStrictEqual(Object.keys(schema.resources).sort(), ["dockyard:index:App", "dockyard:index:DockerHost", "dockyard:monitoring:Monitoring", "dockyard:portainer:Portainer", "dockyard:swarm:SwarmCluster"]);
        for (const [token, r] of Object.entries(schema.resources)) {
            for (const k of [...(r.required ?? [])]) assert.ok(k in r.properties, `${token}: required output ${k}`);
            for (const k of [...(r.requiredInputs ?? [])]) assert.ok(k in r.inputProperties, `${token}: required input ${k}`);
        }
    });
});
