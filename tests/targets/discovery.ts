/** The discovery of a default target of each kind, for tests of what monitoring and Portainer build on it. */
import { DockerTarget } from "../../components/targets/docker";
import { KubernetesTarget } from "../../components/targets/kubernetes";
import { SwarmTarget } from "../../components/targets/swarm";
import { Discovery, TargetKind } from "../../components/targets/target";

export function on(kind: TargetKind): Discovery {
    switch (kind) {
        case "docker":
            return new DockerTarget().discovery();
        case "swarm":
            return new SwarmTarget().discovery();
        case "kubernetes":
            return new KubernetesTarget().discovery();
    }
}
