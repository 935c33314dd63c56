/**
 * `Portainer`: the management UI, built as an application (see ./app) and deployed by the target
 * it is given (Docker host or Swarm).
 */
import * as pulumi from "@pulumi/pulumi";
import { checkedPlan, tellFinding } from "../app";
import { planWithPassword } from "../passwords";
import { deployPlan, Target } from "../targets/target";
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
        const { target, labels, ...settings } = args;
        // Planned before anything exists, the component and the generated password included.
        // Portainer disables its first-run page after five minutes; never leave the admin unset.
        const password = planWithPassword(settings.adminPassword);
        const spec = portainerApp({ ...settings, adminPassword: password.value }, target.discovery());
        const plan = checkedPlan(target, spec, name, labels ?? {});
        super("dockyard:portainer:Portainer", name, {}, opts);
        const adminPassword = password.create(`${name}-admin`, { parent: this });
        const deployed = deployPlan(target, plan, this, tellFinding(spec));
        this.url = deployed.endpoints.apply((e) => {
            const ep = e["portainer"]?.[0];
            return ep === undefined ? undefined : /^[a-z]+:\/\//.test(ep) ? ep.replace(/^http:/, "https:") : `https://${ep}`;
        });
        this.adminPassword = adminPassword;
        this.registerOutputs({ url: this.url, adminPassword: this.adminPassword });
    }
}
