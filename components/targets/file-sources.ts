/**
 * Reads the content of secrets and configs at deploy time, the same way for every target: inline
 * content as given, `file` read from disk, `environment` read from the deploying process.
 * Secret content is always wrapped in `pulumi.secret`, so state stores it encrypted.
 */
import * as pulumi from "@pulumi/pulumi";
import { SpecError } from "../spec/errors";
import { FileReadError, MAX_FILE_SOURCE_BYTES, readRegularFile } from "../spec/files";
import { getOwn } from "../spec/records";
import { AppSpec, FileSourceSpec } from "../spec/types";

export type FileKind = "secret" | "config";

/** Content of one secret or config; throws SpecError when its file or variable is missing. */
export function fileContent(kind: FileKind, src: FileSourceSpec, env: NodeJS.ProcessEnv = process.env): pulumi.Input<string> {
    const where = `${kind}s.${src.key}`;
    let content: pulumi.Input<string>;
    if (src.content !== undefined) {
        content = src.content;
    } else if (src.file !== undefined) {
        try {
            content = readRegularFile(src.file, MAX_FILE_SOURCE_BYTES);
        } catch (e) {
            if (!(e instanceof FileReadError)) throw e;
            throw new SpecError(`the ${kind} file ${e.reason}`, `${where}.file`, src.file);
        }
    } else if (src.environment !== undefined) {
        const value = getOwn(env, src.environment);
        if (value === undefined) throw new SpecError(`environment variable ${src.environment} is not set`, `${where}.environment`, src.environment);
        content = value;
    } else {
        throw new SpecError(`external ${kind} has no content to deliver here`, where, src.key);
    }
    return kind === "secret" ? pulumi.secret(content) : content;
}

/** Contents of every non-external secret and config the services of `app` use, by key. */
export function usedFileContents(app: AppSpec, kind: FileKind): Record<string, pulumi.Input<string>> {
    const defs = kind === "secret" ? app.secrets : app.configs;
    const used = new Set(Object.values(app.services).flatMap((s) => (kind === "secret" ? s.secrets : s.configs).map((r) => r.source)));
    const out: Record<string, pulumi.Input<string>> = Object.create(null); // keyed by names users choose (a service may be called "constructor")
    for (const key of used) {
        const def = getOwn(defs, key);
        if (def && !def.external) out[key] = fileContent(kind, def);
    }
    return out;
}
