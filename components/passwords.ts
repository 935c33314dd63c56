/**
 * Passwords: the one the caller gave (a Pulumi secret), or one generated once and kept,
 * encrypted, in state — so a first `pulumi up` needs no extra step and never runs with a default.
 */
import * as pulumi from "@pulumi/pulumi";
import * as random from "@pulumi/random";

/** `given`, or the result of a `random.RandomPassword` named `name` (24 letters and digits). */
export function passwordOr(given: pulumi.Input<string> | undefined, name: string, opts?: pulumi.CustomResourceOptions): pulumi.Output<string> {
    return pulumi.secret(given ?? new random.RandomPassword(name, { length: 24, special: false }, opts).result);
}
