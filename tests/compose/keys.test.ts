/**
 * The key table (components/compose/keys.ts) against the Compose schema dockyard ships: every
 * key of the project, of a service and what it nests, of a network, volume, secret and config
 * is either read into a model field or listed as not modelled with a reason (compose-go keeps
 * such a test for its own types), and the table names no key the schema does not have.
 */
import * as assert from "assert";
import composeSchema from "../../components/compose/schema/compose-spec.json";
import { TABLES } from "../../components/compose/keys";
import type { PathNode, TableView } from "../../components/compose/shapes";
import { loadProject } from "./project";

type Schema = { readonly [key: string]: unknown };

const defs = (composeSchema as unknown as { $defs: Record<string, Schema> }).$defs;

function isSchema(v: unknown): v is Schema {
    return v !== null && typeof v === "object" && !Array.isArray(v);
}

/** The schema and, through `$ref`, `oneOf`, `anyOf` and `allOf`, every alternative it allows. */
function branches(s: Schema, depth = 0): Schema[] {
    if (depth > 20) return [];
    if (typeof s.$ref === "string") return branches(defs[s.$ref.replace("#/$defs/", "")], depth + 1);
    const out = [s];
    for (const k of ["oneOf", "anyOf", "allOf"]) {
        const list = s[k];
        if (Array.isArray(list)) for (const b of list) if (isSchema(b)) out.push(...branches(b, depth + 1));
    }
    return out;
}

/** The node a mapping of the schema is read by (the mapping form of a key of several forms). */
function mappingNode(node: PathNode): PathNode | undefined {
    return node.kind === "either" ? node.map : node;
}

function listNode(node: PathNode): PathNode | undefined {
    return node.kind === "either" ? node.list : node;
}

interface Walk {
    /** Keys the table does not account for, and table keys the schema has not. */
    readonly problems: string[];
    /** Every mapping of the schema that was compared with a table, by path. */
    readonly visited: Map<string, string[]>;
}

/** The schema keys the table may name although this definition has not them (secrets and configs share a table). */
const SHARED: Record<string, readonly string[]> = { "secrets.<name>": ["content"], "configs.<name>": ["driver", "driver_opts"] };

function compareTable(mapping: Schema, table: TableView, where: string, walk: Walk): void {
    const properties = mapping.properties as Record<string, Schema>;
    walk.visited.set(where, Object.keys(properties));
    const fields = Object.values(table.fields);
    for (const [key, sub] of Object.entries(properties)) {
        const field = fields.find((f) => f.compose === key);
        const path = where ? `${where}.${key}` : key;
        if (field) compare(sub, field.shape.node, path, walk);
        else if (fields.some((f) => f.also?.includes(key))) continue;
        else if (Object.prototype.hasOwnProperty.call(table.notModelled, key)) {
            if (table.notModelled[key].reason.trim().length < 10) walk.problems.push(`${path}: "not modelled" needs a reason`);
        } else walk.problems.push(`${path}: in the Compose schema, but neither a model field nor "not modelled" in keys.ts`);
    }
    for (const f of fields) {
        if (!(f.compose in properties) && !SHARED[where]?.includes(f.compose)) walk.problems.push(`${where}.${f.compose}: in keys.ts, but not a key of the Compose schema here`);
    }
    for (const key of Object.keys(table.notModelled)) {
        if (!(key in properties) && !SHARED[where]?.includes(key)) walk.problems.push(`${where}.${key}: "not modelled" in keys.ts, but not a key of the Compose schema here`);
    }
}

function compare(schema: Schema, node: PathNode, where: string, walk: Walk): void {
    for (const s of branches(schema)) {
        if (isSchema(s.properties)) {
            const m = mappingNode(node);
            // A mapping the table passes on as written (`logging.options`) is the user's own.
            if (m?.kind === "object") compareTable(s, m.table, where, walk);
        }
        const named = [
            ...Object.entries(isSchema(s.patternProperties) ? s.patternProperties : {}).filter(([p]) => p !== "^x-").map(([, v]) => v),
            ...(isSchema(s.additionalProperties) ? [s.additionalProperties] : []),
        ];
        for (const sub of named) {
            const m = mappingNode(node);
            if (m?.kind === "names" && isSchema(sub)) compare(sub, m.item, `${where}.<name>`, walk);
        }
        if (isSchema(s.items)) {
            const l = listNode(node);
            if (l?.kind === "list") compare(s.items, l.item, `${where}[]`, walk);
        }
    }
}

describe("compose/keys", () => {
    const walk: Walk = { problems: [], visited: new Map() };
    compare(composeSchema as unknown as Schema, TABLES.app.node, "", walk);

    it("accounts for every key of the Compose schema: a model field or not modelled with a reason", () => {
        assert.deepStrictEqual(walk.problems, []);
    });

    it("walks the project, service, network, volume, secret and config definitions and what they nest", () => {
        for (const [where, definition] of [
            ["", composeSchema],
            ["services.<name>", defs.service],
            ["networks.<name>", defs.network],
            ["volumes.<name>", defs.volume],
            ["secrets.<name>", defs.secret],
            ["configs.<name>", defs.config],
        ] as const) {
            const keys = Object.keys((definition as { properties: object }).properties);
            assert.deepStrictEqual(walk.visited.get(where), keys, where);
        }
        for (const nested of [
            "services.<name>.build", "services.<name>.deploy.resources.reservations", "services.<name>.deploy.update_config", "services.<name>.healthcheck",
            "services.<name>.ports[]", "services.<name>.volumes[].bind", "services.<name>.networks.<name>", "services.<name>.depends_on.<name>",
            "services.<name>.secrets[]", "services.<name>.devices[]", "services.<name>.ulimits.<name>", "networks.<name>.ipam.config[]", "networks.<name>.external",
        ]) {
            assert.ok(walk.visited.has(nested), `${nested} not compared; compared: ${[...walk.visited.keys()].join(", ")}`);
        }
    });

    it("warns about a key it does not model, and not about one the loader handles or one without effect", () => {
        const { warnings } = loadProject({
            "compose.yaml": `services:
  web:
    image: nginx
    profiles: [default]
    oom_score_adj: 500
    volumes:
      - { type: bind, source: ., target: /src, consistency: cached, bind: { recursive: enabled } }
    deploy:
      resources:
        reservations:
          devices: [{ capabilities: [gpu] }]
`,
        }, { profiles: ["default"] });
        assert.deepStrictEqual(warnings.map((w) => w.replace(/^.*compose\.yaml: /, "")), [
            'services.web.oom_score_adj: "oom_score_adj" is not supported by dockyard and is ignored',
            'services.web.volumes[0].bind.recursive: "recursive" is not supported by dockyard and is ignored',
            'services.web.deploy.resources.reservations.devices: "devices" is not supported by dockyard and is ignored',
        ]);
    });
    it("keeps x-* keys of services and volumes for the targets, and drops those of other mappings", () => {
        const { spec, warnings } = loadProject({
            "compose.yaml": `x-top: 1
services:
  web:
    image: nginx
    x-kubernetes: { serviceType: LoadBalancer }
    healthcheck: { test: "true", x-note: 1 }
volumes:
  data:
    x-kubernetes: { size: 5Gi }
networks:
  back:
    x-note: 1
`,
        });
        assert.deepStrictEqual(spec.services.web.extensions, { "x-kubernetes": { serviceType: "LoadBalancer" } });
        assert.deepStrictEqual(spec.volumes.data.extensions, { "x-kubernetes": { size: "5Gi" } });
        assert.deepStrictEqual(warnings, []);
    });
});
