/**
 * Splits a command string into argv the way Compose does (go-shellwords): whitespace separates
 * words, single quotes are literal, double quotes allow backslash escapes, a backslash outside
 * quotes escapes the next character. No expansion happens: `$VAR` stays as written.
 */
import { SpecError } from "./errors";

export function splitShellWords(text: string, path: string): string[] {
    const words: string[] = [];
    let word = "";
    let inWord = false;
    let quote: "'" | '"' | undefined;
    for (let i = 0; i < text.length; i++) {
        const c = text[i];
        if (quote === "'") {
            if (c === "'") quote = undefined;
            else word += c;
            continue;
        }
        if (quote === '"') {
            if (c === '"') quote = undefined;
            else if (c === "\\" && i + 1 < text.length && '"\\$`\n'.includes(text[i + 1])) word += text[++i];
            else word += c;
            continue;
        }
        if (c === "\\" && i + 1 < text.length) {
            word += text[++i];
            inWord = true;
        } else if (c === "'" || c === '"') {
            quote = c;
            inWord = true;
        } else if (/\s/.test(c)) {
            if (inWord) words.push(word);
            word = "";
            inWord = false;
        } else {
            word += c;
            inWord = true;
        }
    }
    if (quote) throw new SpecError(`unterminated ${quote} quote in command`, path, text);
    if (inWord) words.push(word);
    return words;
}
