/**
 * Compose networks on a flat pod network. Every pod carries a label per network it joins
 * (`dev.dockyard.network/<key>: "true"`); ordinary networks are only that label, since
 * Kubernetes pods can reach each other anyway. An `internal` network — no way out — becomes a
 * NetworkPolicy: pods that are on internal networks only may talk to, and be reached from, pods
 * of the same network, plus DNS in kube-system so that service names still resolve (Docker's
 * embedded DNS keeps working on internal networks too). Pods that also join an ordinary network
 * are not restricted, as in Compose, where that network is their way out. Enforcement needs a
 * network plugin that implements NetworkPolicy (Calico, Cilium…).
 */
import type * as k8s from "@pulumi/kubernetes";
import { NetworkSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { appObjectLabels, networkLabel } from "./labels";
import { kubeName } from "./names";

/** Name of the policy of an internal network. */
export function networkPolicyName(net: NetworkSpec): string {
    return `network-${kubeName(net.key)}`.slice(0, 253);
}

export function toNetworkPolicy(ctx: ConvertContext, net: NetworkSpec): k8s.types.input.networking.v1.NetworkPolicy | undefined {
    if (!net.internal) return undefined;
    const member = { matchLabels: { [networkLabel(net.key)]: "true" } };
    const ordinary = Object.values(ctx.app.networks).filter((n) => !n.internal).map((n) => networkLabel(n.key));
    return {
        apiVersion: "networking.k8s.io/v1",
        kind: "NetworkPolicy",
        metadata: { name: networkPolicyName(net), namespace: ctx.namespace, labels: appObjectLabels(ctx) },
        spec: {
            podSelector: {
                ...member,
                ...(ordinary.length ? { matchExpressions: ordinary.map((key) => ({ key, operator: "DoesNotExist" })) } : {}),
            },
            policyTypes: ["Ingress", "Egress"],
            ingress: [{ from: [{ podSelector: member }] }],
            egress: [
                { to: [{ podSelector: member }] },
                {
                    to: [{ namespaceSelector: { matchLabels: { "kubernetes.io/metadata.name": "kube-system" } } }],
                    ports: [{ protocol: "UDP", port: 53 }, { protocol: "TCP", port: 53 }],
                },
            ],
        },
    };
}
