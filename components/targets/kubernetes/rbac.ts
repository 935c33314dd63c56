/**
 * API access of a service: `x-kubernetes.clusterRoleRules` → a ServiceAccount, a ClusterRole with
 * those rules and a ClusterRoleBinding between them, and pods that run as that account. A service
 * without rules runs with no API token at all: Compose applications do not talk to the Kubernetes
 * API, and a token they never use is only something to steal (the namespace's `default` account
 * may have been granted more than nothing by someone else).
 */
import type * as k8s from "@pulumi/kubernetes";
import { ServiceSpec } from "../../spec/types";
import { ConvertContext } from "./context";
import { serviceObjectLabels } from "./labels";
import { serviceObjectName } from "./names";
import { ClusterRoleRule, serviceExtension } from "./options";

type PodSpec = k8s.types.input.core.v1.PodSpec;
type PolicyRule = k8s.types.input.rbac.v1.PolicyRule;

const RBAC_GROUP = "rbac.authorization.k8s.io";

/** The service's ClusterRole rules; undefined when it needs no API access. */
export function clusterRoleRules(s: ServiceSpec): readonly ClusterRoleRule[] | undefined {
    return serviceExtension(s).clusterRoleRules;
}

/**
 * Name of the ServiceAccount, ClusterRole and ClusterRoleBinding of a service:
 * `<namespace>-<service>`. ClusterRoles are cluster-wide, so the service name alone would collide
 * between apps; the namespace holds one app (its objects are named by Compose keys), so with the
 * service it is unique. When the target creates the namespace this is `<app>-<service>`. The
 * ServiceAccount gets the same name so that it can never be the namespace's own `default`.
 */
export function rbacName(ctx: ConvertContext, s: ServiceSpec): string {
    return `${ctx.namespace}-${serviceObjectName(s.name, `services.${s.name}`)}`;
}

/** A policy rule as Kubernetes writes it, empty lists left out. */
function toPolicyRule(r: ClusterRoleRule): PolicyRule {
    const list = (key: Exclude<keyof ClusterRoleRule, "verbs">): Partial<PolicyRule> => {
        const v = r[key];
        return v !== undefined && v.length ? { [key]: [...v] } : {};
    };
    return { ...list("apiGroups"), ...list("resources"), ...list("resourceNames"), ...list("nonResourceURLs"), verbs: [...r.verbs] };
}

/** The service's ServiceAccount; undefined without `clusterRoleRules`. */
export function toServiceAccount(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.core.v1.ServiceAccount | undefined {
    if (!clusterRoleRules(s)) return undefined;
    return {
        apiVersion: "v1",
        kind: "ServiceAccount",
        metadata: { name: rbacName(ctx, s), namespace: ctx.namespace, labels: serviceObjectLabels(ctx, s) },
    };
}

/** The service's ClusterRole (cluster-scoped: no namespace); undefined without `clusterRoleRules`. */
export function toClusterRole(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.rbac.v1.ClusterRole | undefined {
    const rules = clusterRoleRules(s);
    if (!rules) return undefined;
    return {
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: "ClusterRole",
        metadata: { name: rbacName(ctx, s), labels: serviceObjectLabels(ctx, s) },
        rules: rules.map(toPolicyRule),
    };
}

/** Binds the service's ClusterRole to its ServiceAccount; undefined without `clusterRoleRules`. */
export function toClusterRoleBinding(ctx: ConvertContext, s: ServiceSpec): k8s.types.input.rbac.v1.ClusterRoleBinding | undefined {
    if (!clusterRoleRules(s)) return undefined;
    const name = rbacName(ctx, s);
    return {
        apiVersion: `${RBAC_GROUP}/v1`,
        kind: "ClusterRoleBinding",
        metadata: { name, labels: serviceObjectLabels(ctx, s) },
        roleRef: { apiGroup: RBAC_GROUP, kind: "ClusterRole", name },
        subjects: [{ kind: "ServiceAccount", name, namespace: ctx.namespace }],
    };
}

/**
 * The pod's account: its own ServiceAccount (whose token is mounted) when the service has rules;
 * the existing account `x-kubernetes.serviceAccountName` names, whose own setting decides whether
 * its token is mounted; otherwise no token mounted at all.
 */
export function podServiceAccount(ctx: ConvertContext, s: ServiceSpec): Pick<PodSpec, "serviceAccountName" | "automountServiceAccountToken"> {
    if (clusterRoleRules(s)) return { serviceAccountName: rbacName(ctx, s) };
    const existing = serviceExtension(s).serviceAccountName;
    return existing !== undefined ? { serviceAccountName: existing } : { automountServiceAccountToken: false };
}
