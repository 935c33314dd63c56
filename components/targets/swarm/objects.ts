/**
 * App-wide Swarm objects: overlay networks, volumes, secrets and configs. Each converter takes a
 * spec and returns provider args; creating the resources is the target's job.
 */
import * as docker from "@pulumi/docker";
import * as pulumi from "@pulumi/pulumi";
import { AppSpec, FileSourceSpec, NetworkSpec, VolumeSpec } from "../../spec/types";
import { keyedInput } from "../inputs";
import { networkName, volumeName } from "../../spec/names";
import { labelList, stackLabels } from "./naming";

/** Swarm name of a top-level network: its `name:`, the key when external, else `<app>_<key>` (see spec/names). */
export { networkName } from "../../spec/names";

/**
 * The driver a network gets on Swarm: `overlay` unless another multi-host driver is named.
 * `bridge` (what single-host Compose files often spell out) is local to one engine and cannot
 * carry service traffic, so it becomes `overlay`, its Swarm equivalent; `swarmWarnings` says so.
 */
export function swarmNetworkDriver(net: NetworkSpec): string {
    return net.driver === undefined || net.driver === "bridge" ? "overlay" : net.driver;
}

/** An overlay network of the app. */
export function toNetworkArgs(app: AppSpec, net: NetworkSpec, labels: Record<string, string> = {}): docker.NetworkArgs {
    return {
        name: networkName(app, net.key),
        driver: swarmNetworkDriver(net),
        attachable: net.attachable,
        internal: net.internal,
        ...(net.enableIpv6 ? { ipv6: true } : {}),
        ...(Object.keys(net.driverOpts).length > 0 ? { options: keyedInput({ ...net.driverOpts }) } : {}),
        ...(net.ipam.driver !== undefined ? { ipamDriver: net.ipam.driver } : {}),
        ...(net.ipam.config.length > 0
            ? {
                  ipamConfigs: net.ipam.config.map((c) => ({
                      ...(c.subnet !== undefined ? { subnet: c.subnet } : {}),
                      ...(c.gateway !== undefined ? { gateway: c.gateway } : {}),
                      ...(c.ipRange !== undefined ? { ipRange: c.ipRange } : {}),
                      ...(Object.keys(c.auxAddresses).length > 0 ? { auxAddress: { ...c.auxAddresses } } : {}),
                  })),
              }
            : {}),
        labels: labelList({ ...net.labels, ...stackLabels(app.name, labels) }),
    };
}

/**
 * Resource options a network of the app needs besides its args.
 *
 * An overlay network with `driver_opts` ignores later changes to its `options`: the engine adds
 * the VXLAN id it allocated (`com.docker.network.driver.overlay.vxlanid_list`) to the options it
 * reports, the provider reads that back into `options`, a ForceNew map, and every `up` would
 * replace the network (and with it every service attached to it). The id cannot be known before
 * creation, and choosing it ourselves would risk a clash with the engine's allocation; not sending
 * the options is no choice either, since `encrypted` or `mtu` change what the network is. Ignoring
 * the one key is not enough: the provider diffs the map's size too. So the whole `options` map is
 * ignored after creation, the way `docker stack deploy` never updates an existing network: new
 * `driver_opts` take effect on a new network (rename it, or remove it from the app for one `up`).
 * A network without `driver_opts` needs nothing: the provider's `options` is then computed.
 */
export function networkResourceOptions(net: NetworkSpec): Pick<pulumi.CustomResourceOptions, "ignoreChanges"> {
    return swarmNetworkDriver(net) === "overlay" && Object.keys(net.driverOpts).length > 0 ? { ignoreChanges: ["options"] } : {};
}

/**
 * A volume of the app, created through the manager's engine.
 *
 * On a multi-node Swarm a volume with the `local` driver exists once per node: this resource is
 * the manager's copy, and a task scheduled elsewhere gets a new, empty volume of the same name on
 * its node (created from the mount's volume options). Data is shared between nodes only with a
 * multi-host driver (NFS through `driver_opts`, a plugin), or when placement constraints pin the
 * service to one node.
 */
export function toVolumeArgs(app: AppSpec, vol: VolumeSpec, labels: Record<string, string> = {}): docker.VolumeArgs {
    return {
        name: volumeName(app, vol.key),
        ...(vol.driver !== undefined ? { driver: vol.driver } : {}),
        ...(Object.keys(vol.driverOpts).length > 0 ? { driverOpts: keyedInput({ ...vol.driverOpts }) } : {}),
        labels: labelList({ ...vol.labels, ...stackLabels(app.name, labels) }),
    };
}

/** UTF-8 text to the standard base64 the provider's `data` fields take. */
export function base64(text: string): string {
    return Buffer.from(text, "utf8").toString("base64");
}

/**
 * A Swarm secret. Secrets are immutable in Swarm, so changing the content replaces the secret:
 * without an explicit `name`, Pulumi auto-names it (`<resource>-<random>`) so the replacement can
 * be created before the old one is removed from the service. `data` is base64 of the content and
 * is always marked secret.
 *
 * @param content the content (plain text; may be a Pulumi secret).
 */
export function toSecretArgs(app: AppSpec, spec: FileSourceSpec, content: pulumi.Input<string>, labels: Record<string, string> = {}): docker.SecretArgs {
    return {
        ...(spec.name !== undefined ? { name: spec.name } : {}),
        data: pulumi.secret(pulumi.output(content).apply(base64)),
        labels: labelList({ ...spec.labels, ...stackLabels(app.name, labels) }),
    };
}

/** A Swarm config; immutable like a secret and named the same way, but not marked secret. */
export function toConfigArgs(app: AppSpec, spec: FileSourceSpec, content: pulumi.Input<string>, labels: Record<string, string> = {}): docker.ServiceConfigArgs {
    return {
        ...(spec.name !== undefined ? { name: spec.name } : {}),
        data: pulumi.output(content).apply(base64),
        labels: labelList({ ...spec.labels, ...stackLabels(app.name, labels) }),
    };
}
