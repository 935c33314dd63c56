/**
 * The names an application's networks, volumes, secrets and configs have in a runtime, resolved
 * once, the way Compose resolves them (compose-go `loader.go`): the `name:` given; else, for an
 * external object, its key (it already exists under that name); else `<project>_<key>`, scoped by
 * the project. Every target and the monitoring application use these, so an external network
 * `proxy` without `name:` is `proxy` everywhere, and an app's own network `back` is `shop_back` on
 * a Docker host and on a Swarm alike (the names `docker compose` and `docker stack deploy` give).
 */
import { getOwn } from "./records";
import { AppSpec } from "./types";

export type NamedKind = "networks" | "volumes" | "secrets" | "configs";

/** `<project>_<key>`: the scoped name of an app's own object. */
export function scopedName(app: string, key: string): string {
    return `${app}_${key}`;
}

/** The runtime name of `app`'s `kind` object `key`: its `name:`, the key when external, else `<app>_<key>`. */
export function objectName(app: AppSpec, kind: NamedKind, key: string): string {
    const def = getOwn<{ name?: string; external: boolean }>(app[kind], key);
    if (def?.name !== undefined) return def.name;
    return def?.external ? key : scopedName(app.name, key);
}

/** The runtime name of a network of `app`. */
export function networkName(app: AppSpec, key: string): string {
    return objectName(app, "networks", key);
}

/** The runtime name of a volume of `app`. */
export function volumeName(app: AppSpec, key: string): string {
    return objectName(app, "volumes", key);
}
