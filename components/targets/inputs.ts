/**
 * Resource inputs keyed by names users choose. Pulumi's SDK renders every top-level input of a
 * resource with `${value}` (for its debug labels); for a plain object holding its own `toString`
 * key (a label, option or file called `toString`) that throws "Cannot convert object to
 * primitive value" inside the SDK. Such a map goes in as an Output, which the SDK does not render.
 */
import * as pulumi from "@pulumi/pulumi";
import { hasOwn } from "../spec/records";

/** `map` as a top-level resource input: itself, or an Output of it when it has a `toString` key. */
export function keyedInput<T>(map: Record<string, T>): pulumi.Input<Record<string, T>> {
    return hasOwn(map, "toString") ? pulumi.output(map) as pulumi.Input<Record<string, T>> : map;
}
