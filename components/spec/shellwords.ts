/**
 * Splits a command string into argv exactly as Compose does: compose-go's `transformShellCommand`
 * calls `shellwords.Parse` of github.com/mattn/go-shellwords with its defaults (no `$VAR`
 * expansion, no command substitution). Its rules, which this follows case for case:
 *
 * - words are separated by space, tab, CR and LF only (not other Unicode spaces);
 * - single quotes are literal; a backslash escapes the next character everywhere else, inside
 *   double quotes too (`"a\b"` is `ab`), and `\t` and `\n` become a tab and a newline;
 * - `$(…)` and backquotes are kept as written, spaces included, as part of the word;
 * - an unquoted `;`, `&`, `|`, `<` or `>` ends the command: the rest is dropped (with digits just
 *   before a `>`, as in `2>&1`, dropped too), so `a && b` runs `a` alone. {@link shellWordsCut}
 *   says what was dropped, for a warning;
 * - an unterminated quote, a trailing backslash, a bare `(` or `)` are errors.
 */
import { SpecError } from "./errors";

const isSpace = (c: string) => c === " " || c === "\t" || c === "\r" || c === "\n";

interface Parsed {
    readonly words: string[];
    /** Index in the text where an operator ended the command; -1 when the whole text was read. */
    readonly cutAt: number;
    /** Why it is invalid, when it is. */
    readonly error?: string;
}

function parse(text: string): Parsed {
    const words: string[] = [];
    let buf = "";
    let got: "no" | "single" | "quoted" = "no";
    let escaped = false;
    let doubleQuoted = false;
    let singleQuoted = false;
    let backQuote = false;
    let dollarQuote = false;
    let cutAt = -1;
    const chars = Array.from(text);
    let offset = 0; // index in `text` (UTF-16) of chars[i]
    for (let i = 0; i < chars.length; offset += chars[i].length, i++) {
        const c = chars[i];
        if (escaped) {
            escaped = false;
            if (backQuote || dollarQuote) {
                buf += "\\" + c;
                got = "single";
                continue;
            }
            buf += c === "t" ? "\t" : c === "n" ? "\n" : c;
            got = "single";
            continue;
        }
        if (c === "\\") {
            if (singleQuoted) buf += c;
            else escaped = true;
            continue;
        }
        if (isSpace(c)) {
            if (singleQuoted || doubleQuoted || backQuote || dollarQuote) {
                buf += c;
            } else if (got !== "no") {
                words.push(buf);
                buf = "";
                got = "no";
            }
            continue;
        }
        let literal = true;
        switch (c) {
            case "`":
                if (!singleQuoted && !doubleQuoted && !dollarQuote) backQuote = !backQuote;
                break;
            case ")":
                if (!singleQuoted && !doubleQuoted && !backQuote) {
                    if (!dollarQuote) return { words, cutAt, error: "a ')' without its '$('" };
                    buf += c;
                    dollarQuote = false;
                    got = "single";
                    continue;
                }
                break;
            case "(":
                if (!singleQuoted && !doubleQuoted && !backQuote) {
                    if (!dollarQuote && buf.endsWith("$") && !buf.endsWith("\\$")) {
                        dollarQuote = true;
                        buf += c;
                        continue;
                    }
                    return { words, cutAt, error: "a '(' that does not open '$('" };
                }
                break;
            case '"':
                if (!singleQuoted && !dollarQuote && !backQuote) {
                    if (doubleQuoted) got = "quoted";
                    doubleQuoted = !doubleQuoted;
                    literal = false;
                }
                break;
            case "'":
                if (!doubleQuoted && !dollarQuote && !backQuote) {
                    if (singleQuoted) got = "quoted";
                    singleQuoted = !singleQuoted;
                    literal = false;
                }
                break;
            case ";":
            case "&":
            case "|":
            case "<":
            case ">":
                if (!(singleQuoted || doubleQuoted || backQuote || dollarQuote)) {
                    cutAt = offset;
                    // `2>` : the file descriptor's digits go with the redirection.
                    if (c === ">" && buf.length > 0 && /^[0-9]+$/.test(buf)) {
                        cutAt = offset - buf.length;
                        got = "no";
                    }
                    i = chars.length; // stop reading
                    literal = false;
                }
                break;
        }
        if (!literal) {
            if (cutAt >= 0) break;
            continue;
        }
        got = "single";
        buf += c;
    }
    if (got !== "no") words.push(buf);
    if (escaped) return { words, cutAt, error: "it ends with a lone backslash" };
    if (singleQuoted) return { words, cutAt, error: "unterminated ' quote" };
    if (doubleQuoted) return { words, cutAt, error: 'unterminated " quote' };
    if (backQuote) return { words, cutAt, error: "unterminated ` quote" };
    if (dollarQuote) return { words, cutAt, error: "unterminated $( … )" };
    return { words, cutAt };
}

/** The argv Compose runs for a command string. @throws SpecError when Compose refuses it too. */
export function splitShellWords(text: string, path: string): string[] {
    const p = parse(text);
    if (p.error) throw new SpecError(`not a valid command line: ${p.error} (Compose refuses it too; write the command as a list, or quote it)`, path, text);
    return p.words;
}

/**
 * What of `text` Compose drops: from the first unquoted `;`, `&`, `|`, `<` or `>` on (`&& b` of
 * `a && b`); undefined when it runs the whole text.
 */
export function shellWordsCut(text: string): string | undefined {
    const p = parse(text);
    return p.cutAt < 0 ? undefined : text.slice(p.cutAt);
}
