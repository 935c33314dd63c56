/**
 * Port syntax: every Compose form of `ports` and `expose`, expanded to one entry per port.
 *
 *   80 | "80" | "8080:80" | "127.0.0.1:8080:80" | "127.0.0.1::80" | "[::1]:8080:80"
 *   "8000-8010:8000-8010" | "9090-9091:8080-8081" | "53:53/udp" | long form objects
 *   "80-90:8080" (one container port on a range of host ports: the runtime picks a free one)
 */
import { isIP } from "net";
import { SpecError } from "./errors";
import { ExposeSpec, PortSpec, Protocol } from "./types";

/** Long-form port as a TypeScript caller (or a Compose file, after key conversion) writes it. */
export interface PortInput {
    readonly target: number | string;
    readonly published?: number | string;
    readonly hostIp?: string;
    readonly protocol?: string;
    readonly mode?: string;
    readonly name?: string;
    readonly appProtocol?: string;
}

const PROTOCOLS: readonly Protocol[] = ["tcp", "udp", "sctp"];

/** Most ports one `ports` or `expose` entry may cover: each becomes a mapping (a rule, a Service port) of its own. */
export const MAX_PORT_RANGE = 1000;

function checkHostIp(ip: string, path: string, whole: unknown): string {
    if (isIP(ip) === 0) throw new SpecError(`host address "${ip.length > 64 ? ip.slice(0, 61) + "..." : ip}" is not an IP address (such as 127.0.0.1 or ::1)`, path, whole);
    return ip;
}

function parseProtocol(value: string | undefined, path: string, whole: unknown): Protocol {
    const p = (value ?? "tcp").toLowerCase();
    if (!(PROTOCOLS as readonly string[]).includes(p)) {
        throw new SpecError(`unknown protocol "${value}": use tcp, udp or sctp`, path, whole);
    }
    return p as Protocol;
}

function parsePortNumber(text: string, path: string, whole: unknown): number {
    if (!/^\d+$/.test(text)) throw new SpecError(`"${text}" is not a port number`, path, whole);
    const n = Number(text);
    if (n < 1 || n > 65535) throw new SpecError(`port ${n} is out of range 1-65535`, path, whole);
    return n;
}

/** Parses `80` or `8000-8010` into [first, last]. */
function parseRange(text: string, path: string, whole: unknown): [number, number] {
    const m = /^([^-]+)-([^-]+)$/.exec(text);
    if (!m) {
        const n = parsePortNumber(text, path, whole);
        return [n, n];
    }
    const first = parsePortNumber(m[1], path, whole);
    const last = parsePortNumber(m[2], path, whole);
    if (last < first) throw new SpecError(`port range ${text} ends before it starts`, path, whole);
    if (last - first + 1 > MAX_PORT_RANGE) {
        throw new SpecError(`port range ${text} covers ${last - first + 1} ports; a range may cover at most ${MAX_PORT_RANGE}, each being a mapping of its own`, path, whole);
    }
    return [first, last];
}

function splitHostIp(text: string, path: string, whole: unknown): { hostIp?: string; rest: string } {
    // IPv6 host addresses are bracketed: [::1]:8080:80
    const v6 = /^\[([^\]]*)\]:(.*)$/.exec(text);
    if (v6) {
        if (isIP(v6[1]) !== 6) throw new SpecError(`host address [${v6[1]}] is not an IPv6 address`, path, whole);
        return { hostIp: v6[1], rest: v6[2] };
    }
    const parts = text.split(":");
    if (parts.length <= 2) return { rest: text };
    if (parts.length === 3) {
        if (parts[0] === "") return { hostIp: "", rest: `${parts[1]}:${parts[2]}` };
        if (isIP(parts[0]) !== 4) {
            throw new SpecError(`host address "${parts[0].length > 64 ? parts[0].slice(0, 61) + "..." : parts[0]}" is not an IPv4 address (HOST_IP:HOST_PORT:CONTAINER_PORT; an IPv6 address goes in brackets)`, path, whole);
        }
        return { hostIp: parts[0], rest: `${parts[1]}:${parts[2]}` };
    }
    throw new SpecError("too many ':' in port; an IPv6 host address must be bracketed, as in [::1]:8080:80", path, whole);
}

/** Parses one `ports` entry into one PortSpec per port. */
export function parsePort(value: string | number | PortInput, path: string): PortSpec[] {
    if (typeof value === "number") {
        return [{ target: parsePortNumber(String(value), path, value), protocol: "tcp", mode: "ingress" }];
    }
    if (typeof value === "object" && value !== null) return parseLongPort(value, path);
    if (typeof value !== "string") throw new SpecError("a port must be a number, a string such as \"8080:80\" or an object", path, value);

    const [spec, proto, ...extra] = value.trim().split("/");
    if (extra.length > 0) throw new SpecError("a port has at most one /protocol suffix", path, value);
    const protocol = parseProtocol(proto, path, value);
    const { hostIp, rest } = splitHostIp(spec, path, value);
    const colon = rest.lastIndexOf(":");
    const publishedText = colon >= 0 ? rest.slice(0, colon) : "";
    const [tFirst, tLast] = parseRange(colon >= 0 ? rest.slice(colon + 1) : rest, path, value);
    if (hostIp !== undefined && hostIp === "") throw new SpecError("empty host address before ':'", path, value);

    if (publishedText === "") {
        return expand(tFirst, tLast, undefined, undefined, hostIp, protocol);
    }
    const [pFirst, pLast] = parseRange(publishedText, path, value);
    if (tFirst === tLast && pFirst !== pLast) {
        // compose-go: one container port on a range of host ports, the engine picking a free one.
        return [{ target: tFirst, published: pFirst, publishedEnd: pLast, ...(hostIp ? { hostIp } : {}), protocol, mode: "ingress" }];
    }
    if (pLast - pFirst !== tLast - tFirst) {
        throw new SpecError(`published range ${publishedText} and container range have different lengths`, path, value);
    }
    return expand(tFirst, tLast, pFirst, pLast, hostIp, protocol);
}

function expand(tFirst: number, tLast: number, pFirst: number | undefined, _pLast: number | undefined, hostIp: string | undefined, protocol: Protocol): PortSpec[] {
    const out: PortSpec[] = [];
    for (let t = tFirst; t <= tLast; t++) {
        const published = pFirst === undefined ? undefined : pFirst + (t - tFirst);
        out.push({ target: t, ...(published !== undefined ? { published } : {}), ...(hostIp ? { hostIp } : {}), protocol, mode: "ingress" });
    }
    return out;
}

function parseLongPort(value: PortInput, path: string): PortSpec[] {
    if (value.target === undefined) throw new SpecError("a port needs a target (the container port)", path, value);
    const target = parsePortNumber(String(value.target), `${path}.target`, value.target);
    const protocol = parseProtocol(value.protocol, `${path}.protocol`, value.protocol);
    const mode = value.mode ?? "ingress";
    if (mode !== "ingress" && mode !== "host") throw new SpecError('port mode must be "ingress" or "host"', `${path}.mode`, value.mode);
    if (value.hostIp !== undefined && value.hostIp !== "" && typeof value.hostIp !== "string") throw new SpecError("host_ip must be a string", `${path}.hostIp`, value.hostIp);
    if (value.hostIp) checkHostIp(value.hostIp, `${path}.hostIp`, value.hostIp);
    if (value.appProtocol !== undefined && (typeof value.appProtocol !== "string" || value.appProtocol === "" || /\s/.test(value.appProtocol))) {
        throw new SpecError("app_protocol must be a protocol name such as http or grpc", `${path}.appProtocol`, value.appProtocol);
    }
    const base = {
        target,
        protocol,
        mode,
        ...(value.hostIp ? { hostIp: value.hostIp } : {}),
        ...(value.name ? { name: value.name } : {}),
        ...(value.appProtocol ? { appProtocol: value.appProtocol } : {}),
    } as const;
    if (value.published === undefined || value.published === "") return [base];
    const [pFirst, pLast] = parseRange(String(value.published), `${path}.published`, value.published);
    // A range of host ports for the one container port: the runtime picks a free one of them.
    return [{ ...base, published: pFirst, ...(pLast !== pFirst ? { publishedEnd: pLast } : {}) }];
}

/** Parses one `expose` entry (`3000`, `"3000-3005"`, `"53/udp"`). */
export function parseExpose(value: string | number, path: string): ExposeSpec[] {
    const [spec, proto, ...extra] = String(value).trim().split("/");
    if (extra.length > 0) throw new SpecError("an exposed port has at most one /protocol suffix", path, value);
    const protocol = parseProtocol(proto, path, value);
    const [first, last] = parseRange(spec, path, value);
    const out: ExposeSpec[] = [];
    for (let t = first; t <= last; t++) out.push({ target: t, protocol });
    return out;
}
