/** Volume, bind and tmpfs mounts of a Swarm service. */
import * as docker from "@pulumi/docker";
import { AppSpec, MountSpec } from "../../spec/types";
import { volumeName } from "../../spec/names";
import { labelList, stackLabels } from "./naming";

type Mount = docker.types.input.ServiceTaskSpecContainerSpecMount;

/** Swarm name of a top-level volume: its `name:`, the key when external, else `<app>_<key>` (see spec/names). */
export { volumeName } from "../../spec/names";

/**
 * Mounts as Swarm takes them. A named volume carries the volume's driver, options and labels
 * (as `docker stack deploy` does) because Swarm creates a missing volume on whichever node a task
 * lands: every node must create it the same way. External volumes are used by name only.
 *
 * A bind mount's host path must exist on the node running the task (Swarm does not create it,
 * unlike `docker run -v`); `subpath`, SELinux relabelling and tmpfs options other than size and
 * mode are not in the provider's schema (`swarmFindings` reports them). A tmpfs mode is
 * written as the provider reads it back ({@link tmpfsMode}).
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
                const mode = m.mode === undefined ? undefined : tmpfsMode(m.mode);
                const tmpfsOptions = {
                    ...(m.sizeBytes !== undefined ? { sizeBytes: m.sizeBytes } : {}),
                    ...(mode !== undefined ? { mode } : {}),
                };
                return { type: "tmpfs", target: m.target, ...(Object.keys(tmpfsOptions).length > 0 ? { tmpfsOptions } : {}) };
            }
        }
    });
}

/** The mode tmpfs gets when none is given: the kernel's default for a tmpfs root, sticky and writable by all. */
export const TMPFS_DEFAULT_MODE = 0o1777;

/**
 * The tmpfs mode to write for `mode`, or undefined to write none. The provider reads the mode
 * back as its permission bits only (`Mode.Perm()`), so a mode with the sticky, setuid or setgid
 * bit would show a change on every preview and update the service (restarting its tasks) on every
 * `up`. `1777` is the mode a tmpfs gets anyway, so it is not written; any other mode keeps its
 * permission bits only (`swarmFindings` warns about the bits dropped).
 */
export function tmpfsMode(mode: number): number | undefined {
    if (mode === TMPFS_DEFAULT_MODE) return undefined;
    return mode & 0o777;
}
