/**
 * A merged, interpolated, validated Compose tree (snake_case) to the camelCase `AppInput` the
 * normalizer takes, driven by the key table of `./keys.ts`: each model field is read from the
 * Compose key the table names, user-named map keys (environment, labels, sysctls, driver_opts…)
 * are never touched, Compose keys the model has no place for are reported as warnings and left
 * out. Values interpolation turned into strings (`replicas: "${N}"`) are read back as numbers and
 * booleans, as compose-go does.
 */
import { AppInput, ServiceInput } from "../spec/input";
import { app, service } from "./keys";
import { ConvertContext, Tree } from "./shapes";

export type { ConvertContext };

/** Converts one Compose service. `where` is its path (`services.web`). */
export function convertService(s: Tree, where: string, ctx: ConvertContext): ServiceInput {
    return service.read(s, { path: where, ctx }) ?? {};
}

/** Converts a whole merged Compose tree (services already filtered by profile). */
export function toAppInput(tree: Tree, ctx: ConvertContext): AppInput {
    return app.read(tree, { path: "", ctx }) ?? { name: ctx.name, services: {} };
}
