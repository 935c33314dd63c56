/**
 * How the Docker-host and Swarm targets' planned resources are created: the `@pulumi/docker`
 * classes (and the one lookup) by type token.
 */
import * as docker from "@pulumi/docker";
import type { ResourceFactories } from "./materialize";
import type { PlannedOptions } from "./plan";

export const DOCKER = {
    network: "docker:index/network:Network",
    volume: "docker:index/volume:Volume",
    remoteImage: "docker:index/remoteImage:RemoteImage",
    registryImage: "docker:index/registryImage:RegistryImage",
    container: "docker:index/container:Container",
    service: "docker:index/service:Service",
    secret: "docker:index/secret:Secret",
    serviceConfig: "docker:index/serviceConfig:ServiceConfig",
    getNetwork: "docker:index/getNetwork:getNetwork",
    getRegistryImage: "docker:index/getRegistryImage:getRegistryImage",
} as const;

export const DOCKER_FACTORIES: ResourceFactories = {
    [DOCKER.network]: (name, args, opts) => new docker.Network(name, args as docker.NetworkArgs, opts),
    [DOCKER.volume]: (name, args, opts) => new docker.Volume(name, args as docker.VolumeArgs, opts),
    [DOCKER.remoteImage]: (name, args, opts) => new docker.RemoteImage(name, args as unknown as docker.RemoteImageArgs, opts),
    [DOCKER.registryImage]: (name, args, opts) => new docker.RegistryImage(name, args as unknown as docker.RegistryImageArgs, opts),
    [DOCKER.container]: (name, args, opts) => new docker.Container(name, args as unknown as docker.ContainerArgs, opts),
    [DOCKER.service]: (name, args, opts) => new docker.Service(name, args as unknown as docker.ServiceArgs, opts),
    [DOCKER.secret]: (name, args, opts) => new docker.Secret(name, args as unknown as docker.SecretArgs, opts),
    [DOCKER.serviceConfig]: (name, args, opts) => new docker.ServiceConfig(name, args as unknown as docker.ServiceConfigArgs, opts),
    // A lookup is not a resource: the materializer keeps its output for the Refs of later resources.
    [DOCKER.getNetwork]: (_name, args, opts) => docker.getNetworkOutput(args as unknown as docker.GetNetworkOutputArgs, { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) }),
    [DOCKER.getRegistryImage]: (_name, args, opts) => docker.getRegistryImageOutput(args as unknown as docker.GetRegistryImageOutputArgs, { parent: opts.parent, ...(opts.provider ? { provider: opts.provider } : {}) }),
};

/**
 * Options of an app's own volume, on a Docker host and on a Swarm. Data outlives the app
 * (`retainOnDelete`), as `docker compose down` keeps volumes. Labels are ignored after creation:
 * the engine cannot relabel a volume, and creating a volume whose name exists returns the
 * existing one unchanged. So a volume a `docker compose` project created (same name,
 * `<project>_<key>`) is adopted with its data and its Compose labels, and a later label change
 * would otherwise "replace" the volume on every `up` without changing anything.
 */
export function volumeOptions(retain: boolean): PlannedOptions {
    return { retainOnDelete: retain, ignoreChanges: ["labels"] };
}
