/**
 * `Portainer`: the management UI, built as an application (see ./app) and deployed by the target
 * it is given (Docker host or Swarm).
 */
import * as pulumi from "@pulumi/pulumi";
import { passwordOr } from "../passwords";
import type { Target } from "../targets/target";
import { portainerApp, PortainerSettings } from "./app";

export { portainerApp, PortainerSettings, PORTAINER_UI_PORT } from "./app";

/** Arguments of {@link Portainer}. */
export interface PortainerArgs extends PortainerSettings {
    /** Where Portainer runs: a Docker host's or a Swarm's target. */
    readonly target: Target;
    /** Extra labels put on every resource. @default {} */
    readonly labels?: Record<string, string>;
}

export class Portainer extends pulumi.ComponentResource {
    /** Portainer's HTTPS URL (its certificate is self-signed until you give it one). */
    public readonly url: pulumi.Output<string | undefined>;
    /** The admin password (the given one, or the generated one when none was given). */
    public readonly adminPassword: pulumi.Output<string>;

    constructor(name: string, args: PortainerArgs, opts?: pulumi.ComponentResourceOptions) {
        super("dockyard:portainer:Portainer", name, {}, opts);
        const { target, labels, ...settings } = args;
        // Portainer disables its first-run page after five minutes; never leave the admin unset.
        const adminPassword = passwordOr(settings.adminPassword, `${name}-admin`, { parent: this });
        const spec = portainerApp({ ...settings, adminPassword }, target.kind);
        const deployed = target.deploy(spec, { name, parent: this, labels: labels ?? {} });
        this.url = deployed.endpoints.apply((e) => {
            const ep = e["portainer"]?.[0];
            return ep === undefined ? undefined : /^[a-z]+:\/\//.test(ep) ? ep.replace(/^http:/, "https:") : `https://${ep}`;
        });
        this.adminPassword = adminPassword;
        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}
