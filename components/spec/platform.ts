/**
 * Platform syntax (Compose `platform`, OCI `os[/arch[/variant]]`), normalized the way containerd
 * normalizes it before Docker pulls or runs anything: lower case, `x86_64` → `amd64`, `aarch64` →
 * `arm64` (whose `v8` variant is the default and dropped), `armhf` → `arm/v7`, a lone architecture
 * → `linux/<arch>`. Targets read the parts with {@link splitPlatform}.
 */
import { SpecError } from "./errors";

/** A normalized platform split into its OCI parts. */
export interface PlatformParts {
    readonly os: string;
    readonly architecture?: string;
    readonly variant?: string;
}

const ARCH_ALIASES: Record<string, { architecture: string; variant?: string }> = {
    x86_64: { architecture: "amd64" },
    "x86-64": { architecture: "amd64" },
    aarch64: { architecture: "arm64" },
    i386: { architecture: "386" },
    armhf: { architecture: "arm", variant: "v7" },
    armel: { architecture: "arm", variant: "v6" },
};
const KNOWN_ARCHITECTURES = new Set(["amd64", "arm64", "arm", "386", "ppc64le", "ppc64", "s390x", "riscv64", "mips64le", "mips64", "loong64", "wasm"]);
const PART_RE = /^[a-z0-9_.-]+$/;

/** Validates and normalizes a platform string. */
export function parsePlatform(value: unknown, where: string): string {
    const parts = typeof value === "string" ? value.toLowerCase().split("/") : [];
    if (parts.length < 1 || parts.length > 3 || !parts.every((p) => PART_RE.test(p))) {
        throw new SpecError('a platform must be "os[/arch[/variant]]", such as "linux/amd64" or "linux/arm64"', where, value);
    }
    const [first, second, third] = parts;
    // containerd reads a lone architecture as one for the daemon's OS, which is Linux here.
    const lone = second === undefined && (KNOWN_ARCHITECTURES.has(first) || ARCH_ALIASES[first] !== undefined);
    const os = lone ? "linux" : first;
    let arch: string | undefined = lone ? first : second;
    let variant: string | undefined = third;
    const alias = arch === undefined ? undefined : ARCH_ALIASES[arch];
    if (alias) {
        arch = alias.architecture;
        variant = variant ?? alias.variant;
    }
    if (arch === "arm64" && (variant === "v8" || variant === "8")) variant = undefined;
    if (arch === "arm" && variant !== undefined && /^\d$/.test(variant)) variant = `v${variant}`;
    return [os, arch, variant].filter((p) => p !== undefined).join("/");
}

/** The parts of a normalized platform. */
export function splitPlatform(platform: string): PlatformParts {
    const [os, architecture, variant] = platform.split("/");
    return { os, ...(architecture !== undefined ? { architecture } : {}), ...(variant !== undefined ? { variant } : {}) };
}
