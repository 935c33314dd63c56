/**
 * The order services are created in: every service after the services it depends on
 * (`depends_on`, and the implicit dependencies of `service:x` namespaces). defineApp rejects
 * cycles, so the order always exists; services without dependencies keep their written order.
 */
import { getOwn } from "./records";
import { AppSpec, ServiceSpec } from "./types";

export function dependencyOrder(spec: AppSpec): ServiceSpec[] {
    const out: ServiceSpec[] = [];
    const seen = new Set<string>();
    const visit = (name: string): void => {
        const s = getOwn(spec.services, name);
        if (!s || seen.has(name)) return;
        seen.add(name);
        s.dependsOn.forEach((d) => visit(d.service));
        out.push(s);
    };
    Object.keys(spec.services).forEach(visit);
    return out;
}
