/**
 * Reads a stack's configuration the way the Pulumi CLI would hand it to the program, without the
 * CLI: project values and defaults from Pulumi.yaml, values from Pulumi.<stack>.yaml (in the
 * project's stackConfigDir). Encrypted
 * `secure:` values are not decrypted; they become a placeholder marked secret, so everything that
 * derives from them renders as "[secret]".
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { SpecError } from "../components/spec/errors";
import { PulumiProject, readProject } from "./program";

export interface StackConfigFiles {
    readonly project: string;
    /** Project-qualified keys (`dockyard:wordpressPort`) to raw string values. */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

/** Placeholder value of an encrypted config value. */
export const ENCRYPTED = "encrypted-value-not-decrypted";

function readYaml(file: string): unknown {
    let text: string;
    try {
        text = fs.readFileSync(file, "utf8");
    } catch {
        throw new SpecError("file not found", "", file);
    }
    try {
        return YAML.parse(text);
    } catch (e) {
        throw new SpecError(`not valid YAML: ${(e as Error).message}`, "", undefined, file);
    }
}

/**
 * The configuration a stack's program sees: the project's `config:` values and defaults
 * (Pulumi.yaml), then the stack file's. Keys without a namespace are the project's.
 */
export function readStackFiles(projectDir: string, stack: string, project: PulumiProject = readProject(projectDir)): StackConfigFiles {
    const stackFile = path.join(projectDir, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const dir = path.dirname(stackFile);
        const known = fs.existsSync(dir) ? fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.ya?ml$/.exec(f)?.[1]).filter((s): s is string => !!s).sort() : [];
        throw new SpecError(`no stack "${stack}": ${path.relative(projectDir, stackFile)} does not exist (${known.length ? `stacks: ${known.join(", ")}` : `no stack files in ${path.relative(projectDir, dir) || "the project"}`})`, "", stack);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    const qualified = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
    // Pulumi.yaml's config: a declaration ({type, default, …}), a value ({value}), or a value itself.
    for (const [key, decl] of Object.entries(project.config)) {
        if (decl !== null && typeof decl === "object" && !Array.isArray(decl)) {
            const d = decl as { default?: unknown; value?: unknown };
            const value = d.value !== undefined ? d.value : d.default;
            if (value !== undefined) config[qualified(key)] = typeof value === "object" && value !== null ? JSON.stringify(value) : String(value);
        } else if (decl !== null && decl !== undefined) {
            config[qualified(key)] = Array.isArray(decl) ? JSON.stringify(decl) : String(decl);
        }
    }
    const rel = path.relative(projectDir, stackFile);
    const stackDoc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
    for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
        const key = qualified(rawKey);
        if (value !== null && typeof value === "object" && "secure" in (value as object)) {
            config[key] = ENCRYPTED;
            secretKeys.push(key);
        } else if (value !== null && typeof value === "object") {
            config[key] = JSON.stringify(value);
        } else if (value === null || value === undefined) {
            throw new SpecError("a config value cannot be empty", `config.${rawKey}`, value, rel);
        } else {
            config[key] = String(value);
        }
    }
    return { project: project.name, config, secretKeys };
}
