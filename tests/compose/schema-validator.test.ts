/**
 * The Compose schema's validator is generated code, committed (tools/compose-validator.ts says why):
 * it must be what the generator writes from the schema today, and report exactly what ajv compiling
 * the schema at run time reported.
 */
import * as assert from "assert";
import Ajv2020 from "ajv/dist/2020";
import * as fs from "fs";
import composeSchema from "../../components/compose/schema/compose-spec.json";
import { validate } from "../../components/compose/schema-validator";
import { AJV_OPTIONS, VALIDATOR_FILE, validatorSource } from "../../tools/compose-validator";

type Validate = ((data: unknown) => boolean) & { errors?: unknown[] | null };

/** Documents that fail in every way the loader tells apart: unknown keys, types, oneOf branches, enums, required keys, patterns. */
const INVALID: unknown[] = [
    { services: { web: { image: "nginx", portz: ["80:80"] } } },
    { services: { web: { image: "nginx", ports: [{ target: [] }] } } },
    { services: { web: { image: "nginx", ports: 80 } } },
    { services: { web: { image: "nginx", depends_on: { db: { condition: "sometimes" } } } } },
    { services: { web: { image: "nginx", depends_on: { db: { restart: true } } } } },
    { services: { "bad name!": { image: "nginx" } } },
    { services: { web: { image: "nginx", deploy: { update_config: { order: "sideways" } } } } },
    { services: { web: { image: "nginx", develop: { watch: [{ path: "." }] } } } },
    { services: { web: { build: { context: ".", dockerfile: 3 } } } },
    { services: { web: { image: "nginx", volumes: [{ type: "bind", source: 1 }] } } },
    { services: { web: { image: "nginx", healthcheck: { test: 3, interval: [] } } } },
    { volumes: { data: { driver: 1 } }, networks: { back: { ipam: { config: [{ subnet: 5 }] } } } },
    { version: 3, services: [] },
    "services: web",
];

describe("compose/schema-validator (generated)", () => {
    it("is what tools/compose-validator.ts generates from the schema (else: npm run generate)", () => {
        assert.ok(fs.readFileSync(VALIDATOR_FILE, "utf8") === validatorSource(), "components/compose/schema-validator.ts is stale: run `npm run generate` and commit it");
    });

    it("reports the errors ajv reports compiling the schema at run time, the failing schemas included", () => {
        const compiled = new Ajv2020(AJV_OPTIONS).compile(composeSchema) as Validate;
        const generated = validate as unknown as Validate;
        for (const doc of INVALID) {
            assert.strictEqual(generated(doc), compiled(doc), JSON.stringify(doc));
            assert.strictEqual(generated(doc), false, `${JSON.stringify(doc)} is invalid`);
            assert.deepStrictEqual(generated.errors, compiled.errors, JSON.stringify(doc));
        }
        assert.strictEqual(generated({ services: { web: { image: "nginx", ports: ["80:80"] } } }), true);
    });
});
