/**
 * Command strings split as Compose splits them: compose-go's transformShellCommand calls
 * go-shellwords' `Parse` with its defaults. Cases transcribed from go-shellwords'
 * shellwords_test.go (the default parser: no $VAR expansion, no command substitution) and from
 * compose-go's transform/shellCommands_test.go, plus the issue's `\t`, `\n` and `&&` cases.
 */
import * as assert from "assert";
import { shellWordsCut, splitShellWords } from "../../components/spec/shellwords";
import { assertSpecError } from "../harness";
import { loadProject } from "../compose/project";

const CASES: [string, string[], string?][] = [
    // go-shellwords TestSimple
    ["var --bar=baz", ["var", "--bar=baz"]],
    ['var --bar="baz"', ["var", "--bar=baz"]],
    ['var "--bar=baz"', ["var", "--bar=baz"]],
    [`var "--bar='baz'"`, ["var", "--bar='baz'"]],
    ["var --bar=`baz`", ["var", "--bar=`baz`"]],
    [`var "--bar=\\"baz'"`, ["var", `--bar="baz'`]],
    [`var "--bar=\\'baz\\'"`, ["var", "--bar='baz'"]],
    ["var --bar='\\'", ["var", "--bar=\\"]],
    ['var "--bar baz"', ["var", "--bar baz"]],
    ['var --"bar baz"', ["var", "--bar baz"]],
    ['var  --"bar baz"', ["var", "--bar baz"]],
    ['a "b"', ["a", "b"]],
    ['a " b "', ["a", " b "]],
    ['a "   "', ["a", "   "]],
    ["a 'b'", ["a", "b"]],
    ["a ' b '", ["a", " b "]],
    ["a '   '", ["a", "   "]],
    // TestLastSpace, TestEmptyArgs
    ["foo bar\\  ", ["foo", "bar "]],
    [`foo "" bar ''`, ["foo", "", "bar", ""]],
    // TestBacktick with ParseBacktick false (Compose's setting): kept as written
    ['echo $(echo "foo")', ["echo", '$(echo "foo")']],
    ["echo $(`echo1)", ["echo", "$(`echo1)"]],
    // TestHaveMore, TestHaveRedirect: an operator ends the command; the rest is dropped
    ["echo foo; seq 1 10", ["echo", "foo"], "; seq 1 10"],
    ["ls -la 2>foo", ["ls", "-la"], "2>foo"],
    // compose-go TestExpandShellCommands
    ["hello world", ["hello", "world"]],
    ["/bin/sh -c echo", ["/bin/sh", "-c", "echo"]],
    // The cases: a backslash-t or backslash-n is a tab or a newline inside the word
    ["a\\tb", ["a\tb"]],
    ["a\\nb", ["a\nb"]],
    ['"a\\tb"', ["a\tb"]],
    ["'a\\tb'", ["a\\tb"]],
    // A real tab or newline separates words; other Unicode spaces do not.
    ["a\tb\nc", ["a", "b", "c"]],
    ["a\u00a0b", ["a\u00a0b"]],
    // `&&`: Compose runs what comes before it, alone.
    ["migrate && serve", ["migrate"], "&& serve"],
    ["sh -c 'migrate && serve'", ["sh", "-c", "migrate && serve"]],
    ['sh -c "a | b" > /dev/null', ["sh", "-c", "a | b"], "> /dev/null"],
    ["run 2>&1", ["run"], "2>&1"],
    ["a\\;b", ["a;b"]],
    // Backslash escapes inside double quotes, as go-shellwords does (POSIX shells would keep it).
    ['"a\\b"', ["ab"]],
    ["nginx -g 'daemon off;'", ["nginx", "-g", "daemon off;"]],
    ['sh -c "echo \\"hi\\" $HOME"', ["sh", "-c", 'echo "hi" $HOME']],
];

describe("spec/shellwords: command strings split as Compose splits them", () => {
    for (const [line, words, cut] of CASES) {
        it(JSON.stringify(line), () => {
            assert.deepStrictEqual(splitShellWords(line, "services.a.command"), words);
            assert.strictEqual(shellWordsCut(line), cut);
        });
    }

    it("refuses what Compose refuses: unterminated quotes, a lone backslash, bare parentheses (TestError, TestBacktickError)", () => {
        for (const line of ["foo '", 'foo "', "foo `", "foo \\", "echo $(echo1", "echo $ (echo1", "echo (echo1", "echo )echo1"]) {
            assertSpecError(() => splitShellWords(line, "services.a.command"), "services.a.command", "not a valid command line");
        }
    });

    it("a Compose file whose command string Compose would cut runs the same, with a warning naming what is dropped", () => {
        const { spec, warnings } = loadProject({ "compose.yaml": "services:\n  web:\n    image: x\n    command: migrate && serve\n    entrypoint: [\"sh\", \"-c\"]\n" });
        assert.deepStrictEqual(spec.services.web.command, ["migrate"]);
        assert.strictEqual(warnings.length, 1, warnings.join("\n"));
        assert.match(warnings[0], /services\.web\.command: .*"&& serve" is dropped, as docker compose drops it/);
        assert.deepStrictEqual(loadProject({ "compose.yaml": "services:\n  web:\n    image: x\n    command: sh -c 'migrate && serve'\n" }).warnings, []);
    });
});
