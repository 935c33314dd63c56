/**
 * The docker plugin is built here from the Terraform provider and the bridge (tools/engine), not
 * downloaded: its property names must be the ones @pulumi/docker's SDK sends, or a setting is lost
 * without a word. Compares the plugin's schema with the SDK's declarations, resource by resource
 * and type by type.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import * as ts from "typescript";
import { REPO_ROOT } from "../harness";
import { run } from "./engine";

const SDK = path.join(REPO_ROOT, "node_modules", "@pulumi", "docker");

/** Property names of every exported interface in a declaration file. */
function interfaces(file: string): Map<string, Set<string>> {
    const src = ts.createSourceFile(file, fs.readFileSync(file, "utf8"), ts.ScriptTarget.ES2022, true);
    const out = new Map<string, Set<string>>();
    const visit = (node: ts.Node, prefix: string) => {
        if (ts.isModuleDeclaration(node) && node.body && ts.isModuleBlock(node.body)) {
            for (const s of node.body.statements) visit(s, `${prefix}${node.name.getText()}.`);
        } else if (ts.isInterfaceDeclaration(node)) {
            out.set(prefix + node.name.text, new Set(node.members.flatMap((m) => (m.name ? [m.name.getText().replace(/^"|"$/g, "")] : []))));
        }
    };
    src.statements.forEach((s) => visit(s, ""));
    return out;
}

function pluginSchema(): any {
    const home = process.env.PULUMI_HOME;
    const version = JSON.parse(fs.readFileSync(path.join(SDK, "package.json"), "utf8")).version;
    const exe = home && path.join(home, "plugins", `resource-docker-v${version}`, "pulumi-resource-docker");
    if (!exe || !fs.existsSync(exe)) return undefined;
    return JSON.parse(run(exe, ["-schema"], { timeoutMs: 120_000 }).stdout);
}

describe("the docker plugin built here speaks the @pulumi/docker SDK's names", function () {
    const schema = pluginSchema();
    before(function () {
        // A pulumi from PATH downloads the released plugin: nothing of ours to compare.
        if (!schema) this.skip();
    });

    it("every resource's inputs are named as in the SDK", () => {
        const problems: string[] = [];
        for (const [token, res] of Object.entries<any>(schema?.resources ?? {})) {
            const name = token.split(":").pop()!;
            const file = path.join(SDK, `${name[0].toLowerCase()}${name.slice(1)}.d.ts`);
            assert.ok(fs.existsSync(file), `the SDK has no ${file} for ${token}`);
            const args = interfaces(file).get(`${name}Args`) ?? new Set<string>();
            const plugin = new Set(Object.keys(res.inputProperties ?? {}));
            for (const p of plugin) if (!args.has(p)) problems.push(`${name}: the plugin takes ${p}, the SDK has no such input`);
            for (const p of args) if (!plugin.has(p)) problems.push(`${name}: the SDK sends ${p}, the plugin does not know it`);
        }
        assert.deepStrictEqual(problems, []);
    });

    it("every nested input type's properties are named as in the SDK", () => {
        const sdk = interfaces(path.join(SDK, "types", "input.d.ts"));
        const problems: string[] = [];
        let compared = 0;
        for (const [token, type] of Object.entries<any>(schema?.types ?? {})) {
            const name = token.split(":").pop()!;
            const declared = sdk.get(name) ?? sdk.get(`config.${name}`);
            if (!declared) continue; // output-only types are declared in output.d.ts
            compared++;
            const plugin = new Set(Object.keys(type.properties ?? {}));
            for (const p of plugin) if (!declared.has(p)) problems.push(`${name}: the plugin has ${p}, the SDK does not`);
            for (const p of declared) if (!plugin.has(p)) problems.push(`${name}: the SDK sends ${p}, the plugin does not know it`);
        }
        assert.ok(compared > 20, `only ${compared} input types were compared`);
        assert.deepStrictEqual(problems, []);
    });
});
