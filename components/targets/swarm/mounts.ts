/** Volume, bind and tmpfs mounts of a Swarm service. */
import * as docker from "@pulumi/docker";
import { AppSpec, MountSpec } from "../../spec/types";
import { labelList, scopedName, stackLabels } from "./naming";

type Mount = docker.types.input.ServiceTaskSpecContainerSpecMount;

/** Swarm name of a top-level volume: its explicit name, else `<app>_<key>`. */
export function volumeName(app: AppSpec, key: string): string {
    return app.volumes[key]?.name ?? scopedName(app.name, key);
}

/**
 * Mounts as Swarm takes them. A named volume carries the volume's driver, options and labels
 * (as `docker stack deploy` does) because Swarm creates a missing volume on whichever node a task
 * lands: every node must create it the same way. External volumes are used by name only.
 *
 * A bind mount's host path must exist on the node running the task (Swarm does not create it,
 * unlike `docker run -v`); `subpath` and SELinux relabelling are not in the provider's schema
 * (`swarmWarnings` reports them).
 *
 * @param labels extra labels for volumes Swarm creates.
 */
export function toMounts(app: AppSpec, mounts: MountSpec[], labels: Record<string, string> = {}): Mount[] {
    return mounts.map((m): Mount => {
        switch (m.type) {
            case "volume": {
                const vol = m.source !== undefined ? app.volumes[m.source] : undefined;
                const volumeOptions = {
                    ...(m.noCopy ? { noCopy: true } : {}),
                    ...(vol && !vol.external && vol.driver !== undefined ? { driverName: vol.driver } : {}),
                    ...(vol && !vol.external && Object.keys(vol.driverOpts).length > 0 ? { driverOptions: { ...vol.driverOpts } } : {}),
                    ...(vol && !vol.external ? { labels: labelList({ ...vol.labels, ...stackLabels(app.name, labels) }) } : {}),
                };
                return {
                    type: "volume",
                    ...(m.source !== undefined ? { source: volumeName(app, m.source) } : {}),
                    target: m.target,
                    readOnly: m.readOnly,
                    ...(Object.keys(volumeOptions).length > 0 ? { volumeOptions } : {}),
                };
            }
            case "bind":
                return {
                    type: "bind",
                    source: m.source,
                    target: m.target,
                    readOnly: m.readOnly,
                    ...(m.propagation !== undefined ? { bindOptions: { propagation: m.propagation } } : {}),
                };
            case "tmpfs": {
                const tmpfsOptions = {
                    ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}),
                    ...(m.mode !== undefined ? { mode: m.mode } : {}),
                };
                return { type: "tmpfs", target: m.target, ...(Object.keys(tmpfsOptions).length > 0 ? { tmpfsOptions } : {}) };
            }
        }
    });
}
