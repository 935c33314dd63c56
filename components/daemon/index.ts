/** Docker engine settings as code: the `daemon.json` converter, its apply script and read-back (pure), and the `DockerDaemon` resource. */
export * from "./config";
export * from "./apply";
export * from "./readback";
export * from "./docker-daemon";
