/** dockyard: reusable Pulumi components for container environments. */
export * from "./spec";
export { App, AppArgs, AppFromComposeArgs } from "./app";
export { loadCompose, LoadComposeOptions, ComposeError, ComposeWarning } from "./compose";
export { DockerHost, DockerHostArgs, DockerTlsArgs, dockerHostSettings } from "./docker-host";
export { SwarmCluster, SwarmClusterArgs } from "./swarm-cluster";
export { Monitoring, MonitoringArgs } from "./monitoring";
export { Portainer, PortainerArgs } from "./portainer";
export { DockerTarget, DockerTargetArgs } from "./targets/docker";
export { SwarmTarget, SwarmTargetArgs } from "./targets/swarm";
export { KubernetesTarget, KubernetesTargetArgs } from "./targets/kubernetes";
export { Target, TargetKind, DeployOptions, DeployedApp } from "./targets/target";
/** A private registry: checked settings and the docker provider's `registryAuth` for it. */
export { RegistryArgs, Registry, registrySettings, registryAuth } from "./targets/registry";
export { render, RenderedResource, RenderOptions } from "./render";
/** The pure converters of each target, for tests and for programs that build their own resources. */
export * as docker from "./targets/docker";
export * as swarm from "./targets/swarm";
export * as kubernetes from "./targets/kubernetes";
/** Docker engine settings as code: `daemon.json` from a typed `DaemonConfig`. */
export { daemonJson, DaemonConfig, DaemonJson, DaemonFinding, DaemonTls, DaemonContext, AddressPool, UlimitValue } from "./daemon";
