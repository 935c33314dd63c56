/** Published ports and the endpoint (load-balancing) mode of a Swarm service. */
import * as docker from "@pulumi/docker";
import { SpecError } from "../../spec/errors";
import { ServiceSpec } from "../../spec/types";

type EndpointSpec = docker.types.input.ServiceEndpointSpec;

/**
 * The endpoint spec of `service`. Each port keeps its publish mode: `ingress` publishes on every
 * node through the routing mesh, `host` only on the node that runs the task. A port without a
 * published port leaves the choice to Swarm (30000-32767 for ingress). `expose` has no Swarm
 * equivalent and needs none: services on a shared overlay network reach each other on any port.
 *
 * @throws SpecError when `endpoint_mode: dnsrr` meets an ingress port (Swarm refuses it: the
 *   routing mesh needs a virtual IP).
 */
export function toEndpointSpec(service: ServiceSpec, where: string): EndpointSpec | undefined {
    const mode = service.deploy.endpointMode;
    if (mode === "dnsrr") {
        const i = service.ports.findIndex((p) => p.mode === "ingress");
        if (i >= 0) {
            throw new SpecError('endpoint_mode "dnsrr" cannot be used with a port published in ingress mode: publish it with mode "host" or use endpoint_mode "vip"', `${where}.ports[${i}]`, service.ports[i]);
        }
    }
    if (mode === undefined && service.ports.length === 0) return undefined;
    return {
        ...(mode !== undefined ? { mode } : {}),
        ...(service.ports.length > 0
            ? {
                  ports: service.ports.map((p) => ({
                      ...(p.name !== undefined ? { name: p.name } : {}),
                      protocol: p.protocol,
                      targetPort: p.target,
                      ...(p.published !== undefined ? { publishedPort: p.published } : {}),
                      publishMode: p.mode,
                  })),
              }
            : {}),
    };
}
