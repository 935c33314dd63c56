/**
 * The command line's grammar: each command's options, its help text, and the parsing of its
 * arguments with Node's own `util.parseArgs` (strict: an unknown option, a missing value or an
 * option given twice is a usage error, never silently ignored; `--` ends the options, so a file
 * may be called `-f`).
 */
import { parseArgs } from "util";

/** Exit statuses, the same for every command (`diff` documents its own, as diff(1) does). */
export const EXIT = {
    /** Done. */
    OK: 0,
    /** The input is wrong: an unknown stack, a bad configuration value, an invalid Compose file. */
    INPUT: 1,
    /** Usage: an unknown command or option, a missing or conflicting one. */
    USAGE: 2,
} as const;

/** The command line is wrong (as opposed to the files it names): exit status 2, with a pointer to the help. */
export class UsageError extends Error {
    constructor(message: string, readonly command?: string) {
        super(message);
        this.name = "UsageError";
    }
}

export interface OptionSpec {
    readonly type: "string" | "boolean";
    readonly short?: string;
    /** Placeholder of the value in the help, e.g. `<name>`. */
    readonly value?: string;
    readonly description: string;
    /** How many times the option may be given (default 1). */
    readonly max?: number;
}

export interface CommandSpec {
    readonly name: string;
    /** One line, for `dockyard --help`. */
    readonly summary: string;
    /** Forms of the command line, without the leading `dockyard`. */
    readonly usage: readonly string[];
    /** Paragraphs after the usage. */
    readonly description: string;
    readonly options: Readonly<Record<string, OptionSpec>>;
    /** [command line, what it does]. */
    readonly examples: readonly (readonly [string, string])[];
    /** [status, meaning]. */
    readonly exitStatus: readonly (readonly [string, string])[];
}

export const HELP_OPTION: OptionSpec = { type: "boolean", short: "h", description: "show this help" };

function optionLabel(name: string, o: OptionSpec): string {
    return `${o.short ? `-${o.short}, ` : ""}--${name}${o.value ? ` ${o.value}` : ""}`;
}

/** Two-column lines: `left` padded to the widest, then `right`. */
export function columns(rows: readonly (readonly [string, string])[], indent = "  "): string {
    const width = Math.max(...rows.map(([l]) => l.length));
    return rows.map(([l, r]) => `${indent}${l.padEnd(width)}  ${r}`.trimEnd()).join("\n");
}

export function commandHelp(c: CommandSpec): string {
    return [
        `dockyard ${c.name}: ${c.summary}`,
        "",
        "Usage:",
        ...c.usage.map((u) => `  dockyard ${u}`),
        "",
        c.description.trim(),
        "",
        "Options:",
        columns(Object.entries(c.options).map(([name, o]) => [optionLabel(name, o), o.description])),
        "",
        "Examples:",
        columns(c.examples.map(([cmd, what]) => [`dockyard ${cmd}`, `# ${what}`])),
        "",
        "Exit status:",
        columns(c.exitStatus),
        "",
    ].join("\n");
}

export interface ParsedCommand {
    /** `-h`/`--help` was given (before any `--`): everything else is ignored. */
    readonly help: boolean;
    /** String options as the list of their values (empty when absent), booleans as booleans. */
    readonly strings: Record<string, string[]>;
    readonly flags: Record<string, boolean>;
    readonly positionals: string[];
}

/** Whether `args` ask for help: `-h` or `--help` among the options, i.e. before a `--`. */
export function asksForHelp(args: readonly string[]): boolean {
    for (const a of args) {
        if (a === "--") return false;
        if (a === "-h" || a === "--help") return true;
    }
    return false;
}

/** Parses a command's arguments (everything after the command's name) against its options. */
export function parseCommand(c: CommandSpec, args: string[]): ParsedCommand {
    if (asksForHelp(args)) return { help: true, strings: {}, flags: {}, positionals: [] };
    const options = Object.fromEntries(
        Object.entries(c.options).map(([name, o]) => [name, { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.type === "string" ? { multiple: true } : {}) }]),
    );
    let parsed: { values: Record<string, unknown>; positionals: string[] };
    try {
        parsed = parseArgs({ args, options, strict: true, allowPositionals: true });
    } catch (e) {
        throw new UsageError(parseArgsMessage(e as NodeJS.ErrnoException, c), c.name);
    }
    const strings: Record<string, string[]> = {};
    const flags: Record<string, boolean> = {};
    for (const [name, o] of Object.entries(c.options)) {
        const v = parsed.values[name];
        if (o.type === "boolean") {
            flags[name] = v === true;
            continue;
        }
        const values = (v as string[] | undefined) ?? [];
        const max = o.max ?? 1;
        if (values.length > max) throw new UsageError(max === 1 ? `--${name} is given more than once` : `--${name} is given more than ${max} times`, c.name);
        if (values.some((x) => x === "")) throw new UsageError(`--${name} needs a value`, c.name);
        strings[name] = values;
    }
    return { help: false, strings, flags, positionals: parsed.positionals };
}

/** util.parseArgs's message, shorter and in dockyard's words where it is about a name. */
function parseArgsMessage(e: NodeJS.ErrnoException, c: CommandSpec): string {
    // Node names an option with a short form as '-f, --file <value>', or '-f': the long name is the one shown.
    const given = /'(?:-\w, )?([^' ]+)/.exec(e.message)?.[1];
    const long = given !== undefined && /^-\w$/.test(given) ? Object.entries(c.options).find(([, o]) => o.short === given.slice(1))?.[0] : undefined;
    const name = long !== undefined ? `--${long}` : given;
    switch (e.code) {
        case "ERR_PARSE_ARGS_UNKNOWN_OPTION":
            return `unknown option ${name} (a file named "${name}" goes after "--": -- ${name})`;
        case "ERR_PARSE_ARGS_INVALID_OPTION_VALUE":
            if (/argument missing/.test(e.message)) return `${name} needs a value`;
            if (/does not take an argument/.test(e.message)) return `${name} takes no value`;
            if (/ambiguous/.test(e.message)) return `${name} needs a value, not another option (a value starting with "-" is written ${name}=-value)`;
            return e.message;
        default:
            return e.message;
    }
}
