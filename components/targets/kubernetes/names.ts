/**
 * Kubernetes naming rules, applied to Compose names. Compose allows `_`, `.` and upper case in
 * service, volume, secret and network keys; Kubernetes object names must be DNS labels or
 * subdomains. Names are converted (lower case, `_` and `.` to `-`) rather than rejected, because
 * `my_db` is common in Compose files; a name that is still invalid after conversion, or two names
 * that collide once converted, are a SpecError naming the Compose path.
 */
import { SpecError } from "../../spec/errors";

/** RFC 1035 label: what a Service name must be (it becomes a DNS name, so it must start with a letter). */
const DNS_1035_LABEL = /^[a-z]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 label: namespaces, container names, volume names inside a pod. */
const DNS_1123_LABEL = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/;
/** RFC 1123 subdomain: Secrets, ConfigMaps, PVCs, NetworkPolicies. */
const DNS_1123_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

/** Lower case, `_` and `.` to `-`: how a Compose key becomes a Kubernetes name. */
export function kubeName(name: string): string {
    return name.toLowerCase().replace(/[_.]/g, "-");
}

/** A Compose key as an RFC 1035 label (Services, and so workloads and containers, which share the name). */
export function serviceObjectName(name: string, where: string): string {
    const out = kubeName(name);
    if (out.length > 63 || !DNS_1035_LABEL.test(out)) {
        throw new SpecError(
            `"${name}" cannot be a Kubernetes Service name: it becomes "${out}", which must be at most 63 characters of a-z, 0-9 and '-', starting with a letter`,
            where,
            name,
        );
    }
    return out;
}

/** A Compose key as an RFC 1123 label (namespaces, pod volume names). */
export function labelName(name: string, where: string): string {
    const out = kubeName(name);
    if (out.length > 63 || !DNS_1123_LABEL.test(out)) {
        throw new SpecError(`"${name}" cannot be a Kubernetes name: it becomes "${out}", which must be at most 63 characters of a-z, 0-9 and '-'`, where, name);
    }
    return out;
}

/** A Compose key (or explicit `name:`) as an RFC 1123 subdomain (Secrets, ConfigMaps, PVCs). */
export function subdomainName(name: string, where: string): string {
    const out = name.toLowerCase().replace(/_/g, "-");
    if (out.length > 253 || !DNS_1123_SUBDOMAIN.test(out)) {
        throw new SpecError(`"${name}" cannot be a Kubernetes object name: it becomes "${out}", which must be lower-case a-z, 0-9, '-' and '.'`, where, name);
    }
    return out;
}

/** Name of a pod volume (a DNS label): `<prefix>-<converted key>`, cut to 63 characters. */
export function podVolumeName(prefix: string, key: string): string {
    return `${prefix}-${kubeName(key)}`.replace(/[^a-z0-9-]/g, "-").slice(0, 63).replace(/-+$/, "");
}

/** IANA_SVC_NAME: at most 15 characters, a-z, 0-9 and '-', at least one letter, no '--', no '-' at either end. */
export function isPortName(name: string): boolean {
    return name.length <= 15 && /^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/.test(name) && /[a-z]/.test(name) && !name.includes("--");
}

/** Checks a Compose port `name` (long syntax); Kubernetes port names are IANA service names. */
export function portName(name: string, where: string): string {
    if (!isPortName(name)) {
        throw new SpecError("a Kubernetes port name must be at most 15 characters of a-z, 0-9 and '-', with at least one letter", where, name);
    }
    return name;
}

const LABEL_NAME = /^[A-Za-z0-9]([-A-Za-z0-9_.]*[A-Za-z0-9])?$/;

/** A label key: optional DNS-subdomain prefix and '/', then a name of at most 63 characters. */
export function isLabelKey(key: string): boolean {
    const slash = key.lastIndexOf("/");
    const prefix = slash < 0 ? undefined : key.slice(0, slash);
    const name = slash < 0 ? key : key.slice(slash + 1);
    if (prefix !== undefined && (prefix.length > 253 || !DNS_1123_SUBDOMAIN.test(prefix))) return false;
    return name.length <= 63 && LABEL_NAME.test(name);
}

/** A label value: empty, or at most 63 characters of alphanumerics, '-', '_' and '.', alphanumeric at both ends. */
export function isLabelValue(value: string): boolean {
    return value === "" || (value.length <= 63 && LABEL_NAME.test(value));
}

/**
 * Splits Compose labels into Kubernetes labels and annotations. Compose label values are free
 * text (Traefik rules, URLs, spaces); Kubernetes label values are not, and annotations take
 * anything. So a label that is valid as a Kubernetes label stays one and the rest become
 * annotations, rather than failing the deployment over metadata.
 */
export function splitLabels(labels: Record<string, string>): { labels: Record<string, string>; annotations: Record<string, string> } {
    const out = { labels: {} as Record<string, string>, annotations: {} as Record<string, string> };
    for (const [k, v] of Object.entries(labels)) {
        if (isLabelKey(k) && isLabelValue(v)) out.labels[k] = v;
        else if (isLabelKey(k)) out.annotations[k] = v;
        // A key that is not even a valid annotation key (spaces, several '/') has no Kubernetes form.
    }
    return out;
}

/** A label value made from free text: invalid characters to '-', cut to 63, trimmed to alphanumerics. */
export function toLabelValue(text: string): string {
    return text.replace(/[^A-Za-z0-9_.-]/g, "-").slice(0, 63).replace(/^[^A-Za-z0-9]+|[^A-Za-z0-9]+$/g, "");
}
