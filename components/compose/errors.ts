/**
 * Errors and warnings of the Compose loader. Errors are SpecErrors (the one error type for bad
 * input), located in a Compose file and, when the loader can find it, on a line of that file.
 */
import { SpecError, got, shortPath, shortText } from "../spec/errors";

/** A SpecError that also knows the line of the bad value in its file (1-based). */
export class ComposeError extends SpecError {
    /** Line of the bad value in `file`, when known. */
    public readonly line?: number;

    constructor(reason: string, path: string, value: unknown, file: string | undefined, line?: number) {
        super(reason, path, value, file);
        this.line = line;
        if (file !== undefined && line !== undefined) {
            // `file:line:` is the form editors and terminals turn into a link.
            this.message = `${file}:${line}: ${path ? shortPath(path) + ": " : ""}${shortText(reason, 600)}${got(path, value)}`;
        }
    }
}

/** Something the loader accepted but a user should know about (an unset variable, an ignored key). */
export interface ComposeWarning {
    /** File the warning is about. */
    readonly file?: string;
    /** Path in Compose names, e.g. `services.web.container_name`. */
    readonly path: string;
    /** The full text, with file and path. */
    readonly message: string;
}

/** Builds a warning whose message names the file and path. */
export function composeWarning(reason: string, path: string, file?: string): ComposeWarning {
    const where = [file, path].filter((p) => p !== undefined && p !== "").join(": ");
    return { file, path, message: `${where ? where + ": " : ""}${reason}` };
}
