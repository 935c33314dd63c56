/**
 * Reads a stack's configuration the way the Pulumi CLI would hand it to the program, without the
 * CLI: project defaults from Pulumi.yaml, values from stacks/Pulumi.<stack>.yaml. Encrypted
 * `secure:` values are not decrypted; they become a placeholder marked secret, so everything that
 * derives from them renders as "[secret]".
 */
import * as fs from "fs";
import * as path from "path";
import * as YAML from "yaml";
import { SpecError } from "../components/spec/errors";

export interface StackConfigFiles {
    readonly project: string;
    /** Project-qualified keys (`dockyard:wordpressPort`) to raw string values. */
    readonly config: Record<string, string>;
    readonly secretKeys: string[];
}

/** Placeholder value of an encrypted config value. */
export const ENCRYPTED = "encrypted-value-not-decrypted";

interface ProjectFile {
    name: string;
    stackConfigDir?: string;
    config?: Record<string, { default?: unknown; secret?: boolean } | unknown>;
}

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

export function readStackFiles(projectDir: string, stack: string): StackConfigFiles {
    const project = readYaml(path.join(projectDir, "Pulumi.yaml")) as ProjectFile;
    const stackFile = path.join(projectDir, project.stackConfigDir ?? ".", `Pulumi.${stack}.yaml`);
    if (!fs.existsSync(stackFile)) {
        const dir = path.dirname(stackFile);
        const known = fs.readdirSync(dir).map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1]).filter((s): s is string => !!s);
        throw new SpecError(`no stack "${stack}": ${path.relative(projectDir, stackFile)} does not exist (stacks: ${known.join(", ")})`, "", stack);
    }
    const config: Record<string, string> = {};
    const secretKeys: string[] = [];
    for (const [key, decl] of Object.entries(project.config ?? {})) {
        const d = decl as { default?: unknown };
        if (d && typeof d === "object" && d.default !== undefined) config[`${project.name}:${key}`] = String(d.default);
    }
    const rel = path.relative(projectDir, stackFile);
    const stackDoc = (readYaml(stackFile) ?? {}) as { config?: Record<string, unknown> };
    for (const [rawKey, value] of Object.entries(stackDoc.config ?? {})) {
        const key = rawKey.includes(":") ? rawKey : `${project.name}:${rawKey}`;
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
