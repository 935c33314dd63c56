/** dockyard: reusable Pulumi components for container environments. */
export * from "./spec";
export { App, AppArgs } from "./app";
export { DockerHost, DockerHostArgs, DockerTlsArgs, dockerHostSettings } from "./docker-host";
export { DockerTarget, DockerTargetArgs } from "./targets/docker";
export { Target, TargetKind, DeployOptions, DeployedApp } from "./targets/target";
export { render, RenderedResource, RenderOptions } from "./render";
