/**
 * Build contexts that are not directories: a Git repository or an HTTP(S) URL (a tarball or a
 * Dockerfile). They are kept as written; only local contexts are resolved against the project
 * directory. The test is compose-go's (`paths/context.go`), itself taken from BuildKit's
 * dockerui: anything with `://` (also builder-specific kinds such as `docker-image://`), and
 * the Git shorthands `github.com/…` and `git@…`.
 */
import * as path from "path";

const REMOTE_PREFIXES = ["github.com/", "git@"];

/** True when a build context is a URL or a Git reference rather than a local path. */
export function isRemoteContext(context: string): boolean {
    return context.includes("://") || REMOTE_PREFIXES.some((p) => context.startsWith(p));
}

/** A local context made absolute against `dir`; a remote one as written. */
export function resolveBuildContext(context: string, dir: string): string {
    return isRemoteContext(context) ? context : path.resolve(dir, context);
}
