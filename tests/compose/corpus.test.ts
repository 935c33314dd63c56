/**
 * Every Compose file of the shared corpus (awesome-compose, dockprom) loads, or fails with the
 * error a user should see. Loading uses an empty environment so results do not depend on the
 * machine: files that need variables get blanks (with a warning), as Compose does.
 */
import * as assert from "assert";
import * as fs from "fs";
import * as path from "path";
import { ComposeError, loadCompose, normalizeProjectName } from "../../components/compose";
import { CORPUS_DIR, describeWithCorpus } from "../harness";

const CORPUS = CORPUS_DIR;

/** Compose files under `dir`, as Compose would pick them (compose.y[a]ml, docker-compose*.y[a]ml). */
function composeFiles(dir: string): string[] {
    return fs.readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
        const p = path.join(dir, e.name);
        if (e.isDirectory()) return composeFiles(p);
        return /^(docker-)?compose([.-][\w.-]+)?\.ya?ml$/.test(e.name) ? [p] : [];
    });
}

interface ExpectedFailure {
    /** Substrings of the message: file, path, value, reason. */
    readonly message: string[];
    /** Why this is the right outcome. */
    readonly why: string;
}

/** Cases (files relative to the corpus, joined by " + ") that must fail, and why. */
const EXPECTED_FAILURES: Record<string, ExpectedFailure> = {
    "awesome-compose/plex/compose.yaml": {
        message: ["plex/compose.yaml:10", "services.plex.volumes[0]", "empty section between colons", '":/media/"'],
        why: "the volume is ${PLEX_MEDIA_PATH}:/media/; with the variable unset it becomes \":/media/\", which " +
            "Compose rejects too (\"invalid spec: :/media/: empty section between colons\", checked with docker stack config)",
    },
    "dockprom/docker-compose.yml + dockprom/docker-compose.exporters.yml": {
        message: ["docker-compose.exporters.yml:16", "services.nodeexporter.network_mode", "network_mode and networks cannot be used together", '"host"'],
        why: "the exporters file is meant to run alone on hosts that only run exporters (host networking); merged over " +
            "the main file, nodeexporter gets network_mode: host plus the main file's monitor-net, which docker compose " +
            "rejects as mutually exclusive",
    },
};

describeWithCorpus("compose/corpus", () => {
    const files = composeFiles(CORPUS).sort();
    const cases: string[][] = [
        ...files.map((f) => [f]),
        [path.join(CORPUS, "dockprom/docker-compose.yml"), path.join(CORPUS, "dockprom/docker-compose.exporters.yml")],
    ];

    it("finds the whole corpus (the 39 awesome-compose apps present and dockprom's two files)", () => {
        assert.strictEqual(files.filter((f) => f.includes("awesome-compose")).length, 39);
        assert.strictEqual(files.filter((f) => f.includes("dockprom")).length, 2);
    });

    for (const group of cases) {
        const key = group.map((f) => path.relative(CORPUS, f)).join(" + ");
        const expected = EXPECTED_FAILURES[key];
        it(`${key} ${expected ? "fails as it should" : "loads"}`, () => {
            const load = () => loadCompose(group, { env: {}, onWarning: () => undefined });
            if (expected) {
                assert.throws(load, (e: unknown) => {
                    assert.ok(e instanceof ComposeError, String(e));
                    for (const part of expected.message) assert.ok(e.message.includes(part), `${e.message} should contain ${part}`);
                    return true;
                });
                return;
            }
            const spec = load();
            assert.ok(Object.keys(spec.services).length > 0);
            const dirName = path.basename(path.dirname(group[0]));
            const explicitName = /^name:\s*(\S+)/m.exec(fs.readFileSync(group[0], "utf8"))?.[1];
            assert.strictEqual(spec.name, explicitName ?? normalizeProjectName(dirName));
        });
    }

    it("reads wordpress-mysql as written", () => {
        const spec = loadCompose(path.join(CORPUS, "awesome-compose/wordpress-mysql/compose.yaml"), { env: {}, onWarning: () => undefined });
        const { db, wordpress } = spec.services;
        assert.deepStrictEqual([db.image, db.command, db.restart, db.expose], [
            "mariadb:10.6.4-focal", ["--default-authentication-plugin=mysql_native_password"], { policy: "always" },
            [{ target: 3306, protocol: "tcp" }, { target: 33060, protocol: "tcp" }],
        ]);
        assert.deepStrictEqual(db.mounts, [{ type: "volume", source: "db_data", target: "/var/lib/mysql", readOnly: false }]);
        assert.deepStrictEqual(wordpress.ports, [{ target: 80, published: 80, protocol: "tcp", mode: "ingress" }]);
        assert.deepStrictEqual(wordpress.environment, {
            WORDPRESS_DB_HOST: "db", WORDPRESS_DB_USER: "wordpress", WORDPRESS_DB_PASSWORD: "wordpress", WORDPRESS_DB_NAME: "wordpress",
        });
        assert.deepStrictEqual(Object.keys(spec.volumes), ["db_data"]);
        assert.deepStrictEqual(Object.keys(spec.networks), ["default"]);
    });

    it("keeps dockprom's escaped $$ and the literal $ of its default password hash", () => {
        const spec = loadCompose(path.join(CORPUS, "dockprom/docker-compose.yml"), { env: {}, onWarning: () => undefined });
        assert.strictEqual(spec.services.caddy.environment.ADMIN_PASSWORD_HASH, "$2a$14$1l.IozJx7xQRVmlkEQ32OeEEfP5mRxTpbDTCTcXRqn19gXD8YK1pO");
        assert.strictEqual(spec.services.nodeexporter.command?.[3], "--collector.filesystem.mount-points-exclude=^/(sys|proc|dev|host|etc)($|/)");
    });
});
